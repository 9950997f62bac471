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
        assert ex.stop_if, ex.id
    assert CONTACTS.search(catalogue.warning_signs.then)  # every card shows this block below its own signs
    assert "emergency number" in catalogue.warning_signs.then


SECTION_5 = {  # clinical-reference §5 and §20 reading 31: each warning sign, as the shared block must word it
    "bleeding": r"bleeding",
    "fluid leaking": r"fluid leaking",
    "regular or painful tightenings": r"tightenings that are regular or painful",
    "dizziness or feeling faint": r"dizzy or faint",
    "chest pain": r"chest pain",
    "breathlessness before exertion": r"short of breath before",
    "headache or changes in sight": r"headache.*sight",
    "calf pain or swelling": r"pain or swelling in your calf",
    "muscle weakness affecting balance": r"weak muscles.*balance",
    "the baby moving less (in pregnancy)": r"in pregnancy, your baby moving less",
}


@pytest.mark.parametrize("sign", sorted(SECTION_5))
def test_the_shared_stop_if_block_covers_every_warning_sign_of_section_5(catalogue: Catalogue, sign: str) -> None:
    assert any(re.search(SECTION_5[sign], line) for line in catalogue.warning_signs.signs), sign


def test_no_card_copies_the_shared_warning_signs(catalogue: Catalogue) -> None:
    """One shared block in content, not a copy per card (§20.31)."""
    for ex in catalogue.exercises.values():
        assert not any("warning sign such as" in line for line in ex.stop_if), ex.id


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
    texts += [("warning signs", catalogue.warning_signs.then)]
    return texts


def test_sentences_stay_short_enough_for_a_tired_reader(catalogue: Catalogue) -> None:
    """product.md: plain words, short sentences, a reading age of about 11."""
    for where, text in _all_texts(catalogue):
        longest = max(len(re.findall(r"[A-Za-z'-]+", s)) for s in _sentences(text))
        assert longest <= 30, f"{where}: a sentence of {longest} words"


def test_the_typical_text_reads_at_about_age_eleven(catalogue: Catalogue) -> None:
    grades = sorted(_grade(text) for _, text in _all_texts(catalogue))
    assert grades[len(grades) // 2] <= 7.5  # median grade level


def test_every_red_flag_text_and_action_reads_at_grade_8_or_below(catalogue: Catalogue) -> None:
    """§20 reading 31 and issue 12: each red-flag text on its own, not only the median (a frightened reader)."""
    red_flags = [rule for rule in catalogue.rules.values() if rule.id.startswith(("RF-", "RT-"))]
    texts = [(rule.id, rule.text) for rule in red_flags]
    texts += [(f"{rule.id} action", rule.action.text) for rule in red_flags if rule.action]
    assert len(texts) > 50
    assert [(where, round(_grade(text), 1)) for where, text in texts if _grade(text) > 8] == []


def test_the_grade_check_itself_tells_hard_text_from_plain_text() -> None:
    assert _grade("Call now. Do not drive. Ask someone to stay with you.") < 3
    hard = "Physiological oedema necessitates comprehensive evaluation, particularly regarding hypertensive disorders."
    assert _grade(hard) > 8
