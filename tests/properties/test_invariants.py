"""The contract's eight invariants (engine-contract.md), proved over generated requests, not only examples."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bumpwell.domain.catalogue import Catalogue
from bumpwell.errors import InvalidRequest
from tests.conftest import run
from tests.properties.strategies import requests

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PGP_FORBIDDEN = {"single_leg", "wide_stance", "deep_squat", "straddle", "breaststroke_kick"}
ANTERIOR_FORBIDDEN = PGP_FORBIDDEN | {"hip_abduction", "adductor_stretch"}
DOMING_FORBIDDEN = {"spinal_flexion_loaded", "full_plank", "double_leg_raise"}


def items(response: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    return [(s, i) for s in response["plan"]["sessions"] for i in s["items"]]


def gestation_days(req: dict[str, Any]) -> int:
    g = req.get("gestation")
    return g["weeks"] * 7 + g["days"] if g else -1


def blocking_conditions(req: dict[str, Any]) -> bool:
    """An absolute contraindication (except cleared CI-A09) or an uncleared relative one, as the contract states."""
    conditions = {c["code"]: c.get("cleared", False) for c in req.get("conditions", [])}
    if req["status"] == "pregnant":
        if req.get("plurality") == 3:
            conditions.setdefault("CI-A04", False)
        if req.get("plurality") == 2:
            conditions.setdefault("CI-R01", False)
        if "CI-R02" in conditions and gestation_days(req) >= 182:
            return True
    for code, cleared in conditions.items():
        if code.startswith("CI-A") and not (code == "CI-A09" and cleared):
            return True
        if code.startswith("CI-R") and not cleared:
            return True
    return False


@SETTINGS
@given(requests())
def test_invariant_1_no_exercise_with_a_red_flag_or_a_blocking_condition(req: dict[str, Any]) -> None:
    response = run(req)
    if response["triage"] in ("emergency", "urgent_same_day") or blocking_conditions(req):
        assert response["exercise"] == "no"
        assert response["plan"]["sessions"] == []
    if response["triage"] in ("emergency", "urgent_same_day"):
        assert response["plan"]["continue"] == []


@SETTINGS
@given(requests())
def test_invariant_2_nothing_flat_on_the_back_from_20_weeks_or_with_supine_symptoms(
    req: dict[str, Any],
) -> None:
    late = gestation_days(req) >= 140
    symptoms = req.get("observations", {}).get("supine_symptoms", False)
    if late or symptoms:
        assert all(item["position"] != "supine" for _, item in items(run(req)))


@SETTINGS
@given(requests())
def test_invariant_3_pelvic_girdle_patterns_never_get_the_loads_that_hurt_them(req: dict[str, Any]) -> None:
    response = run(req)
    forbidden = set()
    if response["pattern"] in ("pelvic_girdle_posterior", "pelvic_girdle_anterior", "mixed"):
        forbidden = PGP_FORBIDDEN
    if response["pattern"] == "pelvic_girdle_anterior":
        forbidden = ANTERIOR_FORBIDDEN
    assert all(not forbidden & set(item["tags"]) for _, item in items(response))


@SETTINGS
@given(requests())
def test_invariant_4_doming_rules_out_loaded_abdominal_work(req: dict[str, Any]) -> None:
    if req.get("observations", {}).get("doming_seen"):
        assert all(not DOMING_FORBIDDEN & set(item["tags"]) for _, item in items(run(req)))


@SETTINGS
@given(requests())
def test_invariant_5_no_breath_holding_heat_excluded_ids_or_unearned_vigour(req: dict[str, Any]) -> None:
    response = run(req)
    excluded = {e["id"] for e in response["excluded"]}
    for _, item in items(response):
        assert not {"breath_hold", "heat"} & set(item["tags"])
        assert item["exercise"] not in excluded
        if "vigorous" in item["tags"]:
            assert req.get("activity_history") == "vigorous"


@SETTINGS
@given(requests())
def test_with_nobody_there_no_session_needs_someone(req: dict[str, Any]) -> None:
    if not req.get("preferences", {}).get("supervisor_available", False):
        response = run(req)
        assert all(session["supervision"] != "required" for session, _ in items(response))
        if response["plan"]["sessions"]:
            assert response["actions"][-1]["kind"] == "education"


@SETTINGS
@given(req=requests())
def test_invariant_6_exercises_that_need_someone_sit_in_supervised_sessions(
    req: dict[str, Any], catalogue: Catalogue
) -> None:
    for session, item in items(run(req)):
        if catalogue.exercises[item["exercise"]].supervision == "required":
            assert session["supervision"] == "required"


def cleared_limits(req: dict[str, Any]) -> list[dict[str, Any]]:
    """Limits on every cleared condition, CI-N01 included (§20 reading 15); a blocked condition plans nothing."""
    return [c["limits"] for c in req.get("conditions", []) if c.get("cleared") and "limits" in c]


@SETTINGS
@given(requests())
def test_invariant_7_a_clinicians_limits_are_respected(req: dict[str, Any]) -> None:
    response = run(req)
    for limits in cleared_limits(req):
        allowed = set(limits["allowed"])
        if "pelvic-floor" in allowed:  # a clearance for the pelvic floor covers long holds and quick squeezes
            allowed.add("pelvic-floor-quick-squeezes")
        for session, item in items(response):
            assert item["exercise"] in allowed
            assert session["minutes"] <= limits["max_minutes"]


@SETTINGS
@given(requests())
def test_invariant_9_provoking_exercises_are_swapped_or_excluded_and_sessions_have_minutes(
    req: dict[str, Any],
) -> None:
    response = run(req)
    provoking = set(req.get("programme", {}).get("provoking", []))
    excluded = {e["id"]: e["rule"] for e in response["excluded"]}
    for session, item in items(response):
        assert item["exercise"] not in provoking
        assert isinstance(session["minutes"], int)
        assert session["minutes"] >= 1
    if response["exercise"] != "no":
        assert provoking <= set(excluded)
        for _, item in items(response):
            swapped = [note for note in item["modifications"] if note.startswith("In place of ")]
            for note in swapped:
                original = note.rsplit("(", 1)[1].rstrip(").")
                assert original in provoking or excluded.get(original) != "M10"


@SETTINGS
@given(requests())
def test_same_input_same_output_and_plain_json(req: dict[str, Any]) -> None:
    first = run(req)
    assert json.loads(json.dumps(first)) == first
    assert run(json.loads(json.dumps(req))) == first


MUTATIONS = [
    ("observations.bleeding", lambda r: r.setdefault("observations", {}).update(bleeding="none")),
    ("gestation.weeks", lambda r: r.__setitem__("gestation", {"weeks": 43, "days": 0})),
    ("pain.nrs_now", lambda r: r.__setitem__("pain", {"nrs_now": 11})),
    ("conditions[0].code", lambda r: r.__setitem__("conditions", [{"code": "CI-X99", "cleared": False}])),
    ("wants[0]", lambda r: r.__setitem__("wants", ["jumping-jacks"])),
    ("plurality", lambda r: r.__setitem__("plurality", True)),
    ("colour", lambda r: r.__setitem__("colour", "blue")),
]


@settings(max_examples=150, deadline=None)
@given(requests().filter(lambda r: r["status"] == "pregnant"), st.sampled_from(MUTATIONS))
def test_invariant_8_invalid_input_is_refused_naming_the_field(req: dict[str, Any], mutation: Any) -> None:
    field, mutate = mutation
    mutate(req)
    with pytest.raises(InvalidRequest) as refused:
        run(req)
    assert refused.value.field == field
