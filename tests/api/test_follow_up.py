"""A warning sign is followed up (issue 15 point 8): after a red flag, a calm check keeps exercise off until she
records that a named professional said she may exercise, or a clinician on her team closes the flag."""

from __future__ import annotations

from bumpwell.bootstrap import Wiring
from tests.api.conftest import Clock, User, onboard, sign_up
from tests.api.test_care_work import BLEEDING, team, url

CALM = {"observations": {"vaginal_bleeding": "none"}}
SEEN = {"seen": True, "seen_by": "midwife Ana", "told": "may_exercise"}


def start_first(person: User) -> int:
    """Try to start today's first session alone; the status code."""
    plan = person.get(url(person, "/plan")).json()["plan"]
    day = plan["sessions"][0]["day"]
    body = {"day": day, "index": 0, "supervision": {"alone": True}}
    return person.post(url(person, "/sessions"), body).status_code


def test_minutes_after_heavy_bleeding_a_calm_check_keeps_exercise_off_until_she_records_who_said_she_may(
    wiring: Wiring, clock: Clock
) -> None:
    ana = sign_up(wiring, "person", "Ana")
    onboard(ana)
    assert ana.post(url(ana, "/check-ins"), BLEEDING).json()["triage"] == "emergency"
    clock.advance(minutes=20)
    calm = ana.post(url(ana, "/check-ins"), CALM).json()
    assert calm["held_by"], "the open red flag holds exercise off"
    assert start_first(ana) == 409
    clock.advance(days=1)
    not_yet = ana.post(url(ana, "/check-ins"), CALM | {"follow_up": {"seen": True, "told": "not_yet"}}).json()
    assert not_yet["held_by"] == calm["held_by"]
    assert start_first(ana) == 409
    clock.advance(hours=2)
    seen = ana.post(url(ana, "/check-ins"), CALM | {"follow_up": SEEN}).json()
    assert seen["held_by"] is None
    assert seen["follow_up"] == SEEN
    assert start_first(ana) == 201
    clock.advance(days=1)
    assert ana.post(url(ana, "/check-ins"), CALM).json()["held_by"] is None, "followed up once is enough"


def test_a_clinician_closing_the_flag_ends_the_hold(wiring: Wiring, clock: Clock) -> None:
    ana, _sam, cleo = team(wiring)
    ana.post(url(ana, "/check-ins"), BLEEDING)
    clock.advance(hours=3)
    assert ana.post(url(ana, "/check-ins"), CALM).json()["held_by"]
    flag = ana.get(url(ana, "/red-flags"), params={"open_only": True}).json()["items"][0]
    closed = cleo.post(url(ana, f"/red-flags/{flag['id']}/close"), {"note": "seen in clinic, may exercise"})
    assert closed.status_code == 200
    clock.advance(minutes=5)
    assert ana.post(url(ana, "/check-ins"), CALM).json()["held_by"] is None
    assert start_first(ana) == 201


def test_may_exercise_without_saying_who_is_refused_naming_the_field(wiring: Wiring, clock: Clock) -> None:
    ana = sign_up(wiring, "person", "Ana")
    onboard(ana)
    ana.post(url(ana, "/check-ins"), BLEEDING)
    clock.advance(hours=1)
    vague = ana.post(url(ana, "/check-ins"), CALM | {"follow_up": {"seen": True, "told": "may_exercise"}})
    assert vague.status_code == 422
    assert vague.json()["errors"][0]["field"] == "follow_up.seen_by"
    assert ana.get(url(ana, "/check-ins")).json()["total"] == 2, "the refused check-in was not kept"


def test_a_check_without_any_red_flag_holds_nothing(wiring: Wiring) -> None:
    ana = sign_up(wiring, "person", "Ana")
    onboard(ana)
    assert ana.post(url(ana, "/check-ins"), CALM).json()["held_by"] is None


def test_the_api_records_someone_named_without_an_account_as_her_word(wiring: Wiring) -> None:
    ana = sign_up(wiring, "person", "Ana")
    onboard(ana)
    plan = ana.get(url(ana, "/plan")).json()["plan"]
    day = plan["sessions"][0]["day"]
    body = {"day": day, "index": 0, "supervision": {"named": "Tom"}}
    started = ana.post(url(ana, "/sessions"), body).json()
    assert (started["supervision_status"], started["supervised_by_name"]) == ("her_word", "Tom")
    both = ana.post(url(ana, "/sessions"), {**body, "supervision": {"named": "Tom", "alone": True}})
    assert both.status_code == 422
