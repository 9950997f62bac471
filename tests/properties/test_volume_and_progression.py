"""Invariants 11 (the week's aerobic volume) and 13 (progression follows feedback), over generated requests."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bumpwell.bootstrap import catalogue as shipped_catalogue
from bumpwell.domain.catalogue import Catalogue
from tests.conftest import fired, run
from tests.properties.strategies import programmes, requests
from tests.properties.test_invariants import cleared_limits

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
GUIDELINE = 150  # minutes a week (CAN-2019, UKCMO-2019), the contract's number
SHARE, SLACK = 0.6, 5  # invariant 11: at least min(target, 0.6 x days x minutes) - 5
FREEZES = {"E2", "E4", "M10"}
DOSE_KEYS = ("sets", "reps", "hold_s")


def calm(req: dict[str, Any]) -> dict[str, Any]:
    """The request without today's symptoms or blocking conditions, so that most generated people get a plan."""
    req.pop("observations", None)
    pain = req.get("pain")
    if pain is not None:
        pain.update(nrs_now=min(pain.get("nrs_now", 0), 6), nrs_worst_24h=min(pain.get("nrs_worst_24h", 0), 6))
        pain.update(pattern="mechanical", function_limit="none", days_at_or_above_7=0)
        flagged = ("both_legs", "flank", "below_knee_one_leg")
        pain["locations"] = [x for x in pain.get("locations", []) if x not in flagged]
    conditions = [c for c in req.get("conditions", []) if c.get("cleared") and c["code"].startswith("CI-R")]
    req["conditions"] = conditions
    if req.get("plurality", 1) > 1 and not any(c["code"] == "CI-R01" for c in conditions):
        req["plurality"] = 1
    return req


def aerobic(response: dict[str, Any], catalogue: Catalogue) -> int:
    return sum(
        item["dose"]["minutes"] or 0
        for session in response["plan"]["sessions"]
        for item in session["items"]
        if catalogue.exercises[item["exercise"]].category == "aerobic"
    )


def cuts_aerobic_time(req: dict[str, Any], response: dict[str, Any]) -> bool:
    """What rightly cuts aerobic time (invariant 11): limits, RT-4's gentle subset, M10, M12, 12 weeks after birth."""
    rules = set(fired(response))
    after_birth = req.get("postpartum")
    early = after_birth is not None and after_birth["weeks"] < 12
    return bool(cleared_limits(req)) or bool(rules & {"RT-4", "M10", "M12"}) or early


@SETTINGS
@given(req=requests())
def test_invariant_11_the_target_is_the_guidelines_and_the_plan_reaches_it_as_far_as_her_time_allows(
    req: dict[str, Any],
) -> None:
    catalogue = shipped_catalogue()  # not a fixture: hypothesis would print the whole catalogue on a failure
    response = run(calm(req))
    assume(response["exercise"] != "no")
    target = response["plan"]["aerobic_minutes_target"]
    assert 0 < target <= GUIDELINE
    codes = {c["code"] for c in req.get("conditions", [])}
    if req["status"] == "pregnant" and req.get("activity_history") in ("active", "vigorous") and "CI-N01" not in codes:
        assert target == GUIDELINE
    if cuts_aerobic_time(req, response):
        return
    prefs = req.get("preferences", {})
    available = prefs.get("days_per_week", 3) * prefs.get("minutes_per_day", 30)
    assert aerobic(response, catalogue) >= min(target, SHARE * available) - SLACK


def doses(response: dict[str, Any], catalogue: Catalogue, categories: set[str]) -> dict[str, dict[str, int]]:
    """The largest planned dose of each exercise in ``categories``, field by field."""
    out: dict[str, dict[str, int]] = {}
    for session in response["plan"]["sessions"]:
        for item in session["items"]:
            if catalogue.exercises[item["exercise"]].category in categories:
                best = out.setdefault(item["exercise"], {})
                for key in DOSE_KEYS:
                    best[key] = max(best.get(key, 0), item["dose"][key] or 0)
    return out


@SETTINGS
@given(req=requests(), programme=programmes(), days=st.integers(7, 70))
def test_invariant_13_progression_follows_feedback(req: dict[str, Any], programme: dict[str, Any], days: int) -> None:
    catalogue = shipped_catalogue()
    calm(req)
    without = copy.deepcopy(req)
    without.pop("programme", None)
    req["programme"] = {**programme, "days": days, "days_worse_by_2": min(programme["days_worse_by_2"], days)}
    response, base = run(req), run(without)
    assume(response["exercise"] != "no" and base["exercise"] != "no")
    rules = set(fired(response))
    progressing = {"strength", "core"}
    now, before = doses(response, catalogue, progressing), doses(base, catalogue, progressing)
    common = sorted(set(now) & set(before))
    if "E1" in rules and not rules & FREEZES:
        for exercise in common:
            assert all(now[exercise][key] >= before[exercise][key] for key in DOSE_KEYS), exercise
        if common:
            assert any(now[e][key] > before[e][key] for e in common for key in DOSE_KEYS)
        assert response["plan"]["aerobic_minutes_target"] >= base["plan"]["aerobic_minutes_target"]
    if rules & FREEZES:
        everything = progressing | {"stretch", "yoga", "pelvic_floor", "relaxation"}
        now, before = doses(response, catalogue, everything), doses(base, catalogue, everything)
        for exercise in sorted(set(now) & set(before)):
            assert all(now[exercise][key] <= before[exercise][key] for key in DOSE_KEYS), exercise
        assert response["plan"]["aerobic_minutes_target"] <= base["plan"]["aerobic_minutes_target"]
