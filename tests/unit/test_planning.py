"""The planner on its own: fitting sessions into very little time, and who should be there."""

from __future__ import annotations

from datetime import date

import pytest

from bumpwell.domain.assessment import vocabulary
from bumpwell.domain.catalogue import Catalogue
from bumpwell.domain.planning import PlanRules, generate_week
from bumpwell.domain.progression import Dosing
from bumpwell.domain.request import Preferences, Request, parse_request
from tests.conftest import TODAY, base_request, run


def request(catalogue: Catalogue) -> Request:
    return parse_request(base_request(), vocabulary(catalogue), TODAY)


def rules(**changes: object) -> PlanRules:
    values: dict[str, object] = {
        "excluded": {},
        "replaces": {},
        "notes": (),
        "support": None,
        "dosing": Dosing(target=150, level="active"),
        "walk_cap": None,
        "max_minutes": None,
        "start": date(2027, 1, 11),
    }
    values.update(changes)
    return PlanRules(**values)  # type: ignore[arg-type]


def test_nothing_is_planned_that_does_not_fit_the_time(catalogue: Catalogue) -> None:
    plan = generate_week(request(catalogue), catalogue, "trimester_2", rules(max_minutes=0))
    assert plan["sessions"] == []
    assert plan["aerobic_minutes_target"] == 150  # the week's target stays the guideline's, whatever fits


def test_every_session_fits_the_clinicians_minutes(catalogue: Catalogue) -> None:
    plan = generate_week(request(catalogue), catalogue, "trimester_2", rules(max_minutes=12))
    assert plan["sessions"]
    assert all(session["minutes"] <= 12 for session in plan["sessions"])


@pytest.mark.parametrize(
    ("other", "supervision"), [("yoga-mountain-pose-wall", "recommended"), ("neck-stretch", "required")]
)
def test_supervision_follows_the_exercises_in_the_session(other: str, supervision: str) -> None:
    cleared = {"code": "CI-R05", "cleared": True, "limits": {"allowed": ["walking", other]}}
    sessions = run(base_request(conditions=[cleared]))["plan"]["sessions"]
    by_content = {tuple(i["exercise"] for i in s["items"]): s["supervision"] for s in sessions}
    assert by_content == {("walking", other): supervision}  # the walks leave time for the one allowed stretch
    short = run(base_request(conditions=[cleared], preferences={"days_per_week": 4, "minutes_per_day": 10}))
    assert {s["supervision"] for s in short["plan"]["sessions"]} == {"not_needed"}  # a 10-minute day is all walk


def test_default_preferences_are_three_days_of_thirty_minutes() -> None:
    assert (Preferences().days_per_week, Preferences().minutes_per_day) == (3, 30)


def test_in_a_week_of_two_strength_days_the_tilt_that_moves_on_to_its_alternate_keeps_the_built_up_dose() -> None:
    """The four-point tilt is both the half-reclined tilt's harder variant and its alternate: it is built up all week,
    so the day it arrives as the next step up it keeps that dose, not a restart from its starting dose (§20.29)."""
    improving = {"days": 49, "planned_sessions": 7, "completed_sessions": 7, "baseline_nrs": 5, "current_nrs": 2,
                 "days_worse_by_2": 0, "provoking": []}  # fmt: skip
    two_days = {"days_per_week": 2, "minutes_per_day": 30, "pool_access": False, "supervisor_available": True}
    plan = run(base_request(preferences=two_days, programme=improving, pain={"locations": ["lumbar"], "nrs_now": 2}))
    tilts = [i for s in plan["plan"]["sessions"] for i in s["items"] if i["exercise"] == "pelvic-tilt-four-point"]
    assert len(tilts) == 2
    assert [(i["dose"]["reps"], i["dose"]["hold_s"]) for i in tilts] == [(15, 20), (15, 20)]
    assert any("next step up" in note for i in tilts for note in i["modifications"])


@pytest.mark.parametrize("minutes", [1, 4])
def test_a_day_shorter_than_the_shortest_walk_plans_no_walk(catalogue: Catalogue, minutes: int) -> None:
    assert minutes < catalogue.policy.shortest_aerobic_bout_min
    plan = generate_week(request(catalogue), catalogue, "trimester_2", rules(max_minutes=minutes))
    walks = [i for s in plan["sessions"] for i in s["items"] if i["exercise"] in catalogue.template.aerobic_land]
    assert walks == []
    assert all(session["minutes"] <= minutes for session in plan["sessions"])
