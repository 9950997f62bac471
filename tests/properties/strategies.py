"""Hypothesis strategies for valid ``bumpwell.assessment/1`` requests, drawn from the contract's vocabulary."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from bumpwell.domain import request as contract
from bumpwell.domain.rules import CONDITION_RULES

EXERCISES = sorted(
    [
        "walking", "swimming", "water-walking", "pelvic-tilt-semi-reclined", "pelvic-tilt-wall",
        "pelvic-tilt-four-point", "pelvic-tilt-supine", "bird-dog", "bird-dog-arm-only", "bird-dog-leg-slide",
        "wall-squat", "wall-squat-shallow", "sit-to-stand", "pelvic-floor", "deep-abdominal-drawing-in", "cat-cow",
        "childs-pose-knees-close", "calf-stretch-wall", "hamstring-stretch-seated", "hamstring-stretch-supine",
        "neck-stretch", "side-lying-relaxation", "warm-up", "cool-down", "single-leg-balance", "sumo-squat", "crunch",
    ]
)  # fmt: skip
ACTIVITIES = ["hot_yoga", "running", "breaststroke_kick", "vigorous_intensity", "scuba_diving"]

BOOL_OBSERVATIONS = [
    name
    for name in contract._OBSERVATION_KEYS
    if name not in contract._ENUMS and name not in ("contractions", "temperature_c")
]


def _rare_bool() -> st.SearchStrategy[bool]:
    """Mostly false, so that many generated people have no red flag and get a plan."""
    return st.sampled_from([False, False, False, False, False, False, True])


def _enum(values: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.one_of(st.just(values[0]), st.sampled_from(values))


contractions = st.fixed_dictionaries(
    {},
    optional={
        "per_hour": st.integers(0, 8),
        "regular": _rare_bool(),
        "painful": _rare_bool(),
        "settled_with_rest_min": st.one_of(st.none(), st.integers(0, 120)),
        "during_exercise": _rare_bool(),
    },
)

observations = st.fixed_dictionaries(
    {},
    optional={
        **{name: _rare_bool() for name in BOOL_OBSERVATIONS},
        **{name: _enum(values) for name, values in contract._ENUMS.items()},
        "contractions": contractions,
        "temperature_c": st.one_of(st.none(), st.floats(36.0, 39.5, allow_nan=False)),
    },
)

pain = st.fixed_dictionaries(
    {},
    optional={
        "locations": st.lists(st.sampled_from(contract.LOCATIONS), unique=True, max_size=3),
        "nrs_now": st.integers(0, 10),
        "nrs_worst_24h": st.integers(0, 10),
        "onset": st.sampled_from(["gradual", "sudden"]),
        "pattern": st.sampled_from(["mechanical", "constant", "night"]),
        "aggravators": st.lists(st.sampled_from(contract.AGGRAVATORS), unique=True, max_size=4),
        "days_at_or_above_7": st.integers(0, 5),
        "duration_weeks": st.integers(0, 30),
        "function_limit": st.sampled_from(["none", "some", "severe"]),
    },
)

preferences = st.fixed_dictionaries(
    {},
    optional={
        "days_per_week": st.integers(1, 7),
        "minutes_per_day": st.integers(5, 90),
        "pool_access": st.booleans(),
        "supervisor_available": st.booleans(),
    },
)


@st.composite
def programmes(draw: st.DrawFn) -> dict[str, Any]:
    days = draw(st.integers(0, 70))
    planned = draw(st.integers(0, 30))
    return {
        "days": days,
        "planned_sessions": planned,
        "completed_sessions": draw(st.integers(0, planned)),
        "baseline_nrs": draw(st.one_of(st.none(), st.integers(0, 10))),
        "current_nrs": draw(st.one_of(st.none(), st.integers(0, 10))),
        "days_worse_by_2": draw(st.integers(0, days)),
        "provoking": draw(st.lists(st.sampled_from(EXERCISES), unique=True, max_size=3)),
        "baseline_pgq": draw(st.one_of(st.none(), st.integers(0, 100))),
        "current_pgq": draw(st.one_of(st.none(), st.integers(0, 100))),
    }


@st.composite
def conditions(draw: st.DrawFn) -> list[dict[str, Any]]:
    codes = draw(st.lists(st.sampled_from(CONDITION_RULES), unique=True, max_size=2))
    out = []
    for code in codes:
        entry: dict[str, Any] = {"code": code, "cleared": draw(st.booleans())}
        if entry["cleared"] and draw(st.booleans()):
            entry["limits"] = {
                "max_minutes": draw(st.integers(5, 60)),
                "allowed": draw(st.lists(st.sampled_from(EXERCISES), unique=True, min_size=1, max_size=6)),
            }
        out.append(entry)
    return out


@st.composite
def requests(draw: st.DrawFn) -> dict[str, Any]:
    """A valid request: pregnant or after birth, with any mix of observations, pain, conditions and programme."""
    status = draw(st.sampled_from(["pregnant", "postpartum"]))
    req: dict[str, Any] = {"schema": "bumpwell.assessment/1", "today": "2027-01-11", "status": status}
    if status == "pregnant":
        req["gestation"] = {"weeks": draw(st.integers(4, 42)), "days": draw(st.integers(0, 6))}
        req["plurality"] = draw(st.sampled_from([1, 1, 1, 2, 3]))
    else:
        req["postpartum"] = {
            "weeks": draw(st.integers(0, 30)),
            "days": draw(st.integers(0, 6)),
            "delivery": draw(st.sampled_from(contract.DELIVERY)),
            "perineal_tear": draw(st.booleans()),
        }
    optional = {
        "conditions": conditions(),
        "observations": observations,
        "pain": pain,
        "activity_history": st.sampled_from(["inactive", "active", "vigorous"]),
        "wants": st.lists(st.sampled_from(EXERCISES + ACTIVITIES), unique=True, max_size=3),
        "preferences": preferences,
        "programme": programmes(),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            req[key] = draw(strategy)
    return req
