"""Invariants 10 and 12 (engine-contract.md), proved over generated requests: a stop day never encourages
exercise, and the catalogue's own stages bind the plan whatever the request wants."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bumpwell.bootstrap import catalogue as shipped_catalogue
from bumpwell.domain.assessment import stage_of, vocabulary
from bumpwell.domain.request import parse_request
from tests.conftest import TODAY, run
from tests.properties.strategies import EXERCISES, requests
from tests.properties.test_invariants import SETTINGS, items

ENCOURAGING = re.compile(
    r"carry on|build up|keep to the exercises|your plan can|starts? tomorrow|start gently|starts with|"
    r"add a little|add only a few|you can exercise|keep going",
    re.IGNORECASE,
)
NEVER_ON_A_STOP_DAY = re.compile(r"^(M\d\d|E\d|G-3|G-4|CI-N01|RT-6|RF-D\d\d)$")
CALL_NOW = {"call_emergency", "call_maternity_unit_now"}


def stop_day(response: dict[str, Any]) -> bool:
    return response["exercise"] == "no" or response["triage"] in ("emergency", "urgent_same_day")


@SETTINGS
@given(requests())
def test_invariant_10_a_stop_day_shows_only_what_stops_exercise_and_whom_to_contact(req: dict[str, Any]) -> None:
    response = run(req)
    if not stop_day(response):
        return
    assert response["plan"]["sessions"] == []
    assert [r["rule"] for r in response["reasons"] if NEVER_ON_A_STOP_DAY.match(r["rule"])] == []
    for entry in [*response["reasons"], *response["actions"]]:
        assert not ENCOURAGING.search(entry["text"]), entry
    assert response["actions"], "a stop day always says whom to contact"
    if response["triage"] in ("emergency", "urgent_same_day"):
        assert {a["kind"] for a in response["actions"]} <= CALL_NOW
        assert all(r["rule"].startswith(("RF-E", "RF-U", "RT-1")) for r in response["reasons"])


# The triage level each kind of action speaks for: the headline must be the level of the most urgent action shown.
ACTION_LEVEL = {
    "call_emergency": "emergency",
    "call_maternity_unit_now": "urgent_same_day",
    "contact_provider_24h": "contact_within_24h",
    "see_physiotherapist": "discuss_at_next_visit",
    "mention_at_next_visit": "discuss_at_next_visit",
}
LEVELS = ("ok_to_exercise", "discuss_at_next_visit", "contact_within_24h", "urgent_same_day", "emergency")


@SETTINGS
@given(requests())
def test_a_stop_days_headline_is_the_level_of_what_it_shows(req: dict[str, Any]) -> None:
    """Never lower than a shown red flag's level, never above every shown finding without saying whom and why."""
    response = run(req)
    if not stop_day(response):
        return
    catalogue = shipped_catalogue()
    headline = LEVELS.index(response["triage"])
    for reason in response["reasons"]:
        if reason["rule"].startswith("RF-"):
            assert LEVELS.index(catalogue.rule(reason["rule"]).level.wire) <= headline, reason
    assert ACTION_LEVEL[response["actions"][0]["kind"]] == response["triage"], response["actions"]


OFF_STAGE_WANTS = st.lists(st.sampled_from([*EXERCISES, "full-plank", "reverse-lunge"]), unique=True, max_size=4)


@SETTINGS
@given(req=requests(), wants=OFF_STAGE_WANTS)
def test_invariant_12_an_exercise_not_for_this_stage_is_never_planned_and_is_listed_as_excluded(
    req: dict[str, Any], wants: list[str]
) -> None:
    req["wants"] = wants
    catalogue = shipped_catalogue()
    response = run(req)
    stage = stage_of(parse_request(req, vocabulary(catalogue), TODAY), catalogue)
    for _, item in items(response):
        assert stage in catalogue.exercises[item["exercise"]].stages, item["exercise"]
    if response["exercise"] != "no":
        excluded = {e["id"] for e in response["excluded"]}
        off_stage = {w for w in wants if w in catalogue.exercises and stage not in catalogue.exercises[w].stages}
        assert off_stage <= excluded
