"""Request validation: every refusal names the field and what is allowed; absent answers take the safe reading."""

from __future__ import annotations

from typing import Any

import pytest

from bumpwell.errors import InvalidRequest
from tests.conftest import base_request, run

PROGRAMME = {
    "days": 14,
    "planned_sessions": 8,
    "completed_sessions": 6,
    "baseline_nrs": 6,
    "current_nrs": 5,
    "days_worse_by_2": 0,
    "provoking": [],
    "baseline_pgq": None,
    "current_pgq": None,
}
POSTPARTUM = {"weeks": 8, "days": 0, "delivery": "vaginal", "perineal_tear": False}


def refused(request: Any) -> InvalidRequest:
    with pytest.raises(InvalidRequest) as caught:
        run(request)
    return caught.value


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"schema": "bumpwell.assessment/2"}, "schema", "must be 'bumpwell.assessment/1'"),
        ({"today": "11/01/2027"}, "today", "YYYY-MM-DD"),
        ({"today": "2027-02-30"}, "today", "YYYY-MM-DD"),
        ({"today": 20270111}, "today", "YYYY-MM-DD"),
        ({"status": None}, "status", "is required: one of pregnant, postpartum"),
        ({"gestation": None}, "gestation", "is required when status is 'pregnant'"),
        ({"gestation": {"weeks": 3, "days": 0}}, "gestation.weeks", "from 4 to 42"),
        ({"gestation": {"weeks": 20, "days": 7}}, "gestation.days", "from 0 to 6"),
        ({"gestation": {"weeks": 20.5}}, "gestation.weeks", "whole number"),
        ({"gestation": {"days": 2}}, "gestation.weeks", "is required"),
        ({"gestation": [20, 0]}, "gestation", "must be a JSON object"),
        ({"postpartum": POSTPARTUM}, "postpartum", "only allowed when status is 'postpartum'"),
        ({"plurality": True}, "plurality", "got True"),
        ({"activity_history": "athlete"}, "activity_history", "inactive, active, vigorous"),
        ({"wants": "swimming"}, "wants", "must be a list"),
        ({"wants": ["swimming", "swimming"]}, "wants[1]", "listed twice"),
        ({"wants": [7]}, "wants[0]", "unknown exercise or activity id 7"),
        ({"conditions": {"code": "CI-A01"}}, "conditions", "must be a list"),
        ({"conditions": [{"code": "CI-A01", "cleared": "yes"}]}, "conditions[0].cleared", "true or false"),
        ({"conditions": [{"code": "CI-A01"}, {"code": "CI-A01"}]}, "conditions[1].code", "listed twice"),
        (
            {"conditions": [{"code": "CI-R01", "cleared": False, "limits": {"max_minutes": 20}}]},
            "conditions[0].limits",
            "only allowed with cleared: true",
        ),
        (
            {"conditions": [{"code": "CI-R01", "cleared": True, "limits": {"allowed": ["yoga-flight"]}}]},
            "conditions[0].limits.allowed[0]",
            "unknown exercise id",
        ),
        (
            {"conditions": [{"code": "CI-R01", "cleared": True, "limits": {"max_minutes": 2}}]},
            "conditions[0].limits.max_minutes",
            "from 5 to 240",
        ),
        (
            {"observations": {"vaginal_bleeding": "lots"}},
            "observations.vaginal_bleeding",
            "none, spotting, light, heavy",
        ),
        ({"observations": {"fluid_leak": "no"}}, "observations.fluid_leak", "true or false"),
        ({"observations": {"temperature_c": 99}}, "observations.temperature_c", "from 30 to 45"),
        ({"observations": {"temperature_c": "hot"}}, "observations.temperature_c", "from 30 to 45"),
        ({"observations": {"contractions": {"per_hour": -1}}}, "observations.contractions.per_hour", "from 0 to 60"),
        ({"observations": {"contractions": {"often": True}}}, "observations.contractions.often", "unknown field"),
        ({"pain": {"locations": ["knee"]}}, "pain.locations[0]", "unknown pain location 'knee'"),
        ({"pain": {"aggravators": ["sneezing"]}}, "pain.aggravators[0]", "unknown aggravator"),
        ({"pain": {"nrs_now": 11}}, "pain.nrs_now", "from 0 to 10"),
        ({"pain": {"pattern": "sharp"}}, "pain.pattern", "mechanical, constant, night"),
        ({"preferences": {"days_per_week": 0}}, "preferences.days_per_week", "from 1 to 7"),
        ({"programme": {"planned_sessions": 3}}, "programme.days", "is required"),
        ({"programme": {**PROGRAMME, "completed_sessions": 9}}, "programme.completed_sessions", "more than planned"),
        ({"programme": {**PROGRAMME, "provoking": ["leapfrog"]}}, "programme.provoking[0]", "unknown exercise id"),
        ({"programme": {**PROGRAMME, "days_worse_by_2": 15}}, "programme.days_worse_by_2", "from 0 to 14"),
        ({"programme": {**PROGRAMME, "baseline_pgq": 101}}, "programme.baseline_pgq", "from 0 to 100"),
        ({"mood": "tired"}, "mood", "unknown field; allowed: schema, today, status"),
    ],
)
def test_bad_field_is_named_with_what_is_allowed(change: dict[str, Any], field: str, words: str) -> None:
    error = refused(base_request(**change))
    assert error.field == field
    assert words in error.message
    assert str(error).startswith(f"{field}: ")


def test_a_request_must_be_an_object() -> None:
    assert refused(["schema"]).field == "request"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"postpartum": None}, "postpartum", "is required when status is 'postpartum'"),
        ({"gestation": {"weeks": 20, "days": 0}}, "gestation", "only allowed while pregnant"),
        ({"postpartum": {**POSTPARTUM, "weeks": 105}}, "postpartum.weeks", "from 0 to 104"),
        ({"postpartum": {**POSTPARTUM, "delivery": "home"}}, "postpartum.delivery", "vaginal, instrumental, caesarean"),
        ({"postpartum": {"weeks": 2}}, "postpartum.delivery", "is required"),
    ],
)
def test_postpartum_fields_are_checked(change: dict[str, Any], field: str, words: str) -> None:
    request = base_request(status="postpartum", postpartum=POSTPARTUM)
    del request["gestation"]
    request.update(change)
    if request.get("gestation") is None:
        request.pop("gestation", None)
    error = refused(request)
    assert (error.field, words in error.message) == (field, True)


def test_unanswered_questions_take_the_safe_reading() -> None:
    minimal = {"schema": "bumpwell.assessment/1", "status": "pregnant", "gestation": {"weeks": 12}}
    response = run(minimal)
    assert response["triage"] == "ok_to_exercise"
    assert response["pattern"] == "none"
    assert response["plan"]["week_start"] == "2027-01-11"  # the date handed in, since the request has none


def test_nulls_mean_not_answered() -> None:
    response = run(
        base_request(
            plurality=None,
            observations={"vaginal_bleeding": None, "fluid_leak": None, "temperature_c": None, "contractions": None},
            pain={"nrs_now": None, "pattern": None},
            programme=None,
        )
    )
    assert response["triage"] == "ok_to_exercise"


def test_a_missing_schema_is_named() -> None:
    request = base_request()
    del request["schema"]
    error = refused(request)
    assert (error.field, error.message) == ("schema", "must be 'bumpwell.assessment/1', got nothing")


def test_an_unknown_condition_code_is_named_with_examples() -> None:
    error = refused(base_request(conditions=[{"code": "CI-Z01", "cleared": False}]))
    assert error.field == "conditions[0].code"
    assert error.message.startswith("unknown condition code 'CI-Z01'; known: CI-A01, CI-A02")
