"""Clinician-readable cases (tests/clinical/cases/*.yaml), each a small change to base.yaml with its expectation.

Every rule the engine can fire must fire in at least one case and stay silent in at least one near miss.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from bumpwell.domain.rules import ENGINE_RULES
from tests.conftest import fired, planned, run

HERE = Path(__file__).parent
BASE = yaml.safe_load((HERE / "base.yaml").read_text(encoding="utf-8"))
DELETE = "<delete>"
AEROBIC = {"walking", "walking-short-bouts", "swimming", "water-walking"}
VOLUME_KEYS = {
    "aerobic_target",  # plan.aerobic_minutes_target, exactly
    "aerobic_at_least",  # the aerobic minutes planned over the week
    "aerobic_at_most",
    "longest_walk_at_most",  # the longest single aerobic item, in minutes
    "longest_walk_at_least",
    "pelvic_floor_sessions",  # sessions of kind pelvic_floor in the week
    "dose_at_least",  # {exercise: {reps|hold_s|minutes: n}}: the largest planned dose of it reaches n
    "dose_at_most",  # {exercise: {...}}: no planned dose of it is above n
    "action_says",  # words that some action's text contains
    "action_never_says",
    "not_every_day",  # exercises that some session day goes without
    "note_says",  # {exercise: words}: some planned item of it has a modification note with these words
    "no_note_says",  # words that no planned item's modification notes contain
}
EXPECT_KEYS = {
    "triage",
    "exercise",
    "pattern",
    "fired",
    "silent",
    "first_action",
    "excluded",
    "not_excluded",
    "continue",
    "planned",
    "not_planned",
    "sessions",
    "says",
    "never_says",
    *VOLUME_KEYS,
}


def merge(base: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    """Mappings merge, lists and scalars replace, and the string '<delete>' removes a key."""
    out = copy.deepcopy(base)
    for key, value in change.items():
        if value == DELETE:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def load_cases() -> list[dict[str, Any]]:
    cases = []
    for path in sorted((HERE / "cases").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            case["file"] = path.name
            cases.append(case)
    return cases


CASES = load_cases()


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 50


def test_every_rule_fires_somewhere_and_stays_silent_in_a_near_miss() -> None:
    fires = {rule for case in CASES for rule in case["expect"].get("fired", [])}
    silences = {rule for case in CASES for rule in case["expect"].get("silent", [])}
    assert sorted(set(ENGINE_RULES) - fires) == []
    assert sorted(set(ENGINE_RULES) - silences) == []


@pytest.mark.parametrize("case", CASES, ids=[f"{c['file']}: {c['name']}" for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    expect = case["expect"]
    assert set(expect) <= EXPECT_KEYS, f"unknown expectation keys: {set(expect) - EXPECT_KEYS}"
    response = run(merge(BASE, case.get("given") or {}))
    rules = fired(response)
    assert response["triage"] == expect["triage"], rules
    assert response["exercise"] == expect["exercise"], rules
    if "pattern" in expect:
        assert response["pattern"] == expect["pattern"]
    assert [r for r in expect.get("fired", []) if r not in rules] == [], rules
    assert [r for r in expect.get("silent", []) if r in rules] == [], rules
    if "first_action" in expect:
        assert response["actions"], "expected at least one action"
        assert response["actions"][0]["kind"] == expect["first_action"]
    excluded = {e["id"] for e in response["excluded"]}
    assert [i for i in expect.get("excluded", []) if i not in excluded] == []
    assert [i for i in expect.get("not_excluded", []) if i in excluded] == []
    if "continue" in expect:
        assert sorted(response["plan"]["continue"]) == sorted(expect["continue"])
    items = planned(response)
    assert [i for i in expect.get("planned", []) if i not in items] == [], sorted(items)
    assert [i for i in expect.get("not_planned", []) if i in items] == [], sorted(items)
    if "sessions" in expect:
        assert len(response["plan"]["sessions"]) == expect["sessions"]
    words = " ".join(entry["text"] for entry in [*response["reasons"], *response["actions"]]).lower()
    assert [w for w in expect.get("says", []) if w.lower() not in words] == [], words
    assert [w for w in expect.get("never_says", []) if w.lower() in words] == [], words
    check_volume(expect, response)


def check_volume(expect: dict[str, Any], response: dict[str, Any]) -> None:
    """The week's amounts: aerobic target and minutes, walks, pelvic floor sessions, doses, words, variety."""
    plan = response["plan"]
    items = [i for s in plan["sessions"] for i in s["items"]]
    walks = [i["dose"]["minutes"] for i in items if i["exercise"] in AEROBIC]
    if "aerobic_target" in expect:
        assert plan["aerobic_minutes_target"] == expect["aerobic_target"]
    assert sum(walks) >= expect.get("aerobic_at_least", 0), walks
    assert sum(walks) <= expect.get("aerobic_at_most", 10_000), walks
    assert max(walks, default=0) <= expect.get("longest_walk_at_most", 10_000), walks
    assert max(walks, default=0) >= expect.get("longest_walk_at_least", 0), walks
    if "pelvic_floor_sessions" in expect:
        assert sum(s["kind"] == "pelvic_floor" for s in plan["sessions"]) == expect["pelvic_floor_sessions"]
    for exercise, dose in expect.get("dose_at_least", {}).items():
        for key, least in dose.items():
            assert max((i["dose"][key] or 0 for i in items if i["exercise"] == exercise), default=0) >= least
    for exercise, dose in expect.get("dose_at_most", {}).items():
        for key, most in dose.items():
            assert all((i["dose"][key] or 0) <= most for i in items if i["exercise"] == exercise), exercise
    texts = " ".join(a["text"] for a in response["actions"])
    assert [w for w in expect.get("action_says", []) if w not in texts] == [], texts
    assert [w for w in expect.get("action_never_says", []) if w in texts] == [], texts
    for exercise, words in expect.get("note_says", {}).items():
        notes = [n for i in items if i["exercise"] == exercise for n in i["modifications"]]
        assert any(words in note for note in notes), notes
    every_note = " ".join(n for i in items for n in i["modifications"])
    assert [w for w in expect.get("no_note_says", []) if w in every_note] == [], every_note
    days = {s["day"] for s in plan["sessions"] if s["kind"] != "pelvic_floor"}
    for exercise in expect.get("not_every_day", []):
        on = {s["day"] for s in plan["sessions"] if any(i["exercise"] == exercise for i in s["items"])}
        assert on < days, f"{exercise} is planned on every session day"
