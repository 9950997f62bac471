"""A clinician's plan adjustments, applied after the engine (domain/adjustments.py)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from bumpwell.domain.adjustments import Adjustment, apply, problem
from bumpwell.domain.catalogue import Catalogue
from bumpwell.domain.timing import aerobic_minutes
from tests.conftest import base_request, planned, run


def adjustment(exercise: str, action: str = "exclude", dose: dict[str, int] | None = None) -> Adjustment:
    return Adjustment("adj-1", exercise, action, dose, "her knee hurts", "Dr Lee", "2027-01-10T09:00:00+00:00")


@pytest.fixture(scope="module")
def plan() -> dict[str, Any]:
    response = run(base_request())
    assert {"wall-squat", "walking"} <= planned(response), "the base plan should hold both"
    plan: dict[str, Any] = response["plan"]
    return plan


def items(plan: dict[str, Any], exercise: str) -> list[dict[str, Any]]:
    return [i for s in plan["sessions"] for i in s["items"] if i["exercise"] == exercise]


def test_taking_an_exercise_out_removes_it_from_every_session_and_says_so(
    plan: dict[str, Any], catalogue: Catalogue
) -> None:
    before = len(items(plan, "wall-squat"))
    out, applied = apply(plan, [adjustment("wall-squat")], catalogue, None)
    assert items(out, "wall-squat") == []
    assert applied[0] | {"changed": before} == applied[0]
    assert applied[0]["by"] == "Dr Lee"
    assert applied[0]["reason"] == "her knee hurts"
    assert items(plan, "wall-squat"), "the engine's plan itself is never changed"


def test_sessions_are_re_timed_and_one_left_with_only_a_warm_up_goes(
    plan: dict[str, Any], catalogue: Catalogue
) -> None:
    kept = {i["exercise"] for s in plan["sessions"] for i in s["items"]} - {"warm-up", "cool-down"}
    out, _ = apply(plan, [adjustment(exercise) for exercise in sorted(kept)], catalogue, None)
    assert out["sessions"] == []
    assert out["aerobic_minutes_target"] == plan["aerobic_minutes_target"]  # the target, not what is left
    fewer, _ = apply(plan, [adjustment("walking")], catalogue, None)
    assert all(s["minutes"] <= t["minutes"] for s, t in zip(fewer["sessions"], plan["sessions"], strict=False))
    assert aerobic_minutes(fewer, catalogue) == 0 < aerobic_minutes(plan, catalogue)


def test_an_exercise_that_may_continue_while_exercise_is_paused_can_be_taken_out(catalogue: Catalogue) -> None:
    paused = {"week_start": "2027-01-10", "aerobic_minutes_target": 0, "continue": ["pelvic-floor", "walking"],
              "sessions": []}  # fmt: skip
    out, applied = apply(paused, [adjustment("walking")], catalogue, None)
    assert out["continue"] == ["pelvic-floor"]
    assert applied[0]["changed"] == 1


def test_a_dose_change_applies_to_every_time_the_exercise_is_planned(
    plan: dict[str, Any], catalogue: Catalogue
) -> None:
    out, applied = apply(plan, [adjustment("wall-squat", "dose", {"reps": 6})], catalogue, None)
    assert {i["dose"]["reps"] for i in items(out, "wall-squat")} == {6}
    assert applied[0]["changed"] == len(items(plan, "wall-squat"))
    assert applied[0]["not_applied_over_limit"] == 0


def test_a_dose_change_that_would_break_the_cleared_minutes_is_not_applied(
    plan: dict[str, Any], catalogue: Catalogue
) -> None:
    longest = max(s["minutes"] for s in plan["sessions"] if items({"sessions": [s]}, "walking"))
    out, applied = apply(plan, [adjustment("walking", "dose", {"minutes": 60})], catalogue, longest)
    assert all(s["minutes"] <= longest for s in out["sessions"])
    assert applied[0]["not_applied_over_limit"] >= 1


def test_an_adjustment_for_an_exercise_not_planned_changes_nothing(plan: dict[str, Any], catalogue: Catalogue) -> None:
    out, applied = apply(plan, [adjustment("crunch"), adjustment("swimming", "dose", {"minutes": 10})], catalogue, None)
    assert out == plan
    assert [a["changed"] for a in applied] == [0, 0]


@pytest.mark.parametrize(
    ("exercise", "action", "dose", "field"),
    [
        ("no-such", "exclude", None, "exercise"),
        ("wall-squat", "exclude", {"reps": 5}, "dose"),
        ("wall-squat", "swap", None, "action"),
        ("wall-squat", "dose", None, "dose"),
        ("wall-squat", "dose", {"weight": 5}, "dose.weight"),
        ("wall-squat", "dose", {"minutes": 5}, "dose.minutes"),
        ("wall-squat", "dose", {"reps": 0}, "dose.reps"),
        ("wall-squat", "dose", {"reps": 31}, "dose.reps"),
        ("wall-squat", "dose", {"reps": True}, "dose.reps"),
        ("walking", "dose", {"minutes": 61}, "dose.minutes"),
    ],
)
def test_impossible_adjustments_name_the_field(
    exercise: str, action: str, dose: dict[str, Any] | None, field: str, catalogue: Catalogue
) -> None:
    found = problem(exercise, action, dose, catalogue)
    assert found is not None
    assert found[0] == field


def test_possible_adjustments_pass(catalogue: Catalogue) -> None:
    assert problem("wall-squat", "exclude", None, catalogue) is None
    assert problem("wall-squat", "dose", {"sets": 2, "reps": 8, "hold_s": 3}, catalogue) is None
    assert problem("walking", "dose", {"minutes": 15}, catalogue) is None


def test_the_most_a_dose_may_ask_for_comes_from_the_policy(catalogue: Catalogue) -> None:
    """The caps are DESIGN values in content/policy.yaml, not numbers in the code."""
    tighter = dataclasses.replace(catalogue, policy=dataclasses.replace(catalogue.policy, adjustment_max_reps=10))
    assert problem("wall-squat", "dose", {"reps": 12}, catalogue) is None
    assert problem("wall-squat", "dose", {"reps": 12}, tighter) == ("dose.reps", "must be a whole number from 1 to 10")
