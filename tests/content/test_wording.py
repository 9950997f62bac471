"""How bumpwell speaks (product.md, clinical-reference §18): every warning names whom to contact, no text
diagnoses, and no red flag ever tells the person to carry on."""

from __future__ import annotations

import re

import pytest

from bumpwell.domain.catalogue import Catalogue
from bumpwell.domain.values import Level

CONTACTS = re.compile(
    r"emergency number|maternity unit|maternity triage|midwife|doctor|\bGP\b|physiotherapist|health visitor",
    re.IGNORECASE,
)
DIAGNOSIS = re.compile(
    r"\byou have (a |an )?(pre-eclampsia|pelvic girdle pain|PGP|sciatica|a UTI|an infection|a clot|DVT|"
    r"placenta|labour|cauda|diastasis)|\bthis is (not )?(Braxton|labour|pre-eclampsia|normal)\b|\bdiagnos",
    re.IGNORECASE,
)
CARRY_ON = re.compile(r"\b(carry on|keep going|push through|finish (your|the) session|wait and see)\b", re.IGNORECASE)


def test_every_rule_above_ok_has_an_action_that_names_whom_to_contact(catalogue: Catalogue) -> None:
    for rule in catalogue.rules.values():
        if rule.level > Level.OK_TO_EXERCISE:
            assert rule.action is not None, rule.id
            assert CONTACTS.search(rule.action.text), f"{rule.id}: {rule.action.text}"


def test_every_action_names_whom_to_contact(catalogue: Catalogue) -> None:
    for rule in catalogue.rules.values():
        if rule.action is not None:
            assert CONTACTS.search(rule.action.text), f"{rule.id}: {rule.action.text}"


def test_urgent_and_emergency_actions_say_to_call_now(catalogue: Catalogue) -> None:
    for rule in catalogue.rules.values():
        if rule.level == Level.EMERGENCY:
            assert rule.action is not None, rule.id
            assert rule.action.kind == "call_emergency", rule.id
            assert "emergency number" in rule.action.text, rule.id
        if rule.level == Level.URGENT_SAME_DAY:
            assert rule.action is not None, rule.id
            assert rule.action.kind == "call_maternity_unit_now", rule.id
            assert re.search(r"\bnow\b|straight away|right away", rule.action.text), rule.id


@pytest.mark.parametrize("field", ["text", "action"])
def test_no_rule_diagnoses(catalogue: Catalogue, field: str) -> None:
    for rule in catalogue.rules.values():
        text = rule.text if field == "text" else (rule.action.text if rule.action else "")
        assert not DIAGNOSIS.search(text), f"{rule.id}: {text}"


def test_no_red_flag_tells_the_person_to_carry_on(catalogue: Catalogue) -> None:
    for rule in catalogue.rules.values():
        if rule.level >= Level.CONTACT_WITHIN_24H:
            words = rule.text + " " + (rule.action.text if rule.action else "")
            assert not CARRY_ON.search(words), f"{rule.id}: {words}"


def test_no_exercise_text_diagnoses_and_every_one_says_when_to_stop(catalogue: Catalogue) -> None:
    for ex in catalogue.exercises.values():
        words = " ".join([ex.purpose, *ex.steps, *ex.cues, *ex.mistakes, *ex.stop_if, *ex.spotting])
        assert not DIAGNOSIS.search(words), ex.id
        assert any(CONTACTS.search(line) for line in ex.stop_if), f"{ex.id}: stop_if names no one to call"


def test_the_diagnosis_check_itself_catches_diagnoses() -> None:
    assert DIAGNOSIS.search("You have pelvic girdle pain.")
    assert DIAGNOSIS.search("This is Braxton Hicks.")
    assert not DIAGNOSIS.search("Your answers fit a pelvic girdle pain pattern; a physiotherapist can confirm it.")


def test_every_warning_reason_itself_names_whom_to_contact(catalogue: Catalogue) -> None:
    """A reason above "ok" is read on its own (in a report, in a list): it says who to turn to, not only the action."""
    for rule in catalogue.rules.values():
        if rule.level > Level.OK_TO_EXERCISE:
            assert CONTACTS.search(rule.text), f"{rule.id}: {rule.text}"


def _syllables(word: str) -> int:
    word = re.sub(r"[^a-z]", "", word.lower())
    groups = len(re.findall(r"[aeiouy]+", word))
    if word.endswith("e") and groups > 1 and not word.endswith(("le", "ee")):
        groups -= 1
    return max(1, groups)


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"[.!?;:]\s+", text) if s.strip()]


def _grade(text: str) -> float:
    """Flesch-Kincaid grade level (US school grade; grade 6 is about age 11)."""
    words = re.findall(r"[A-Za-z'-]+", text)
    syllables = sum(_syllables(w) for w in words)
    return 0.39 * len(words) / len(_sentences(text)) + 11.8 * syllables / len(words) - 15.59


def _all_texts(catalogue: Catalogue) -> list[tuple[str, str]]:
    texts = [(rule.id, rule.text) for rule in catalogue.rules.values()]
    texts += [(f"{rule.id} action", rule.action.text) for rule in catalogue.rules.values() if rule.action]
    for ex in catalogue.exercises.values():
        texts += [(f"{ex.id} purpose", ex.purpose), *((f"{ex.id} step", step) for step in ex.steps)]
        texts += [(f"{ex.id} stop_if", line) for line in ex.stop_if]
        texts += [(f"{ex.id} spotting", line) for line in ex.spotting]
    return texts


def test_sentences_stay_short_enough_for_a_tired_reader(catalogue: Catalogue) -> None:
    """product.md: plain words, short sentences, a reading age of about 11."""
    for where, text in _all_texts(catalogue):
        longest = max(len(re.findall(r"[A-Za-z'-]+", s)) for s in _sentences(text))
        assert longest <= 30, f"{where}: a sentence of {longest} words"


def test_the_typical_text_reads_at_about_age_eleven(catalogue: Catalogue) -> None:
    grades = sorted(_grade(text) for _, text in _all_texts(catalogue))
    assert grades[len(grades) // 2] <= 7.5  # median grade level
