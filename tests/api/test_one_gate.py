"""One service behind every entry point: the API, the pages and ``bumpwell session`` refuse the same stale check
the same way, and a supervisor's page reads (and is audited) as the API reads the same data (issue 14)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from typer.testing import CliRunner

from bumpwell.bootstrap import Wiring
from bumpwell.cli.main import app
from tests.api.conftest import CHECK_IN, PASSWORD, PROFILE, Clock, User, onboard, sign_up
from tests.api.test_pages import csrf, signed_up
from tests.api.test_pages import onboard as onboard_pages
from tests.api.test_team_pages import check_with, invite_and_accept, member, required_index, sessions_total, set_pin


def _a_planned_day(person: User) -> str:
    day: str = person.get(f"/api/v1/people/{person.id}/plan").json()["plan"]["sessions"][0]["day"]
    return day


def test_the_api_refuses_a_session_alone_after_a_five_day_old_check_in_and_says_to_check_in(
    wiring: Wiring, person: User, clock: Clock
) -> None:
    onboard(person)
    clock.advance(days=5)
    start = {"day": _a_planned_day(person), "index": 0, "supervision": {"alone": True}}
    refused = person.post(f"/api/v1/people/{person.id}/sessions", start)
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    problem = refused.json()
    assert problem["errors"][0]["field"] == "check_in"
    assert "check in again first: your last check-in was 5 days ago" in problem["errors"][0]["message"]
    assert person.get(f"/api/v1/people/{person.id}/sessions").json()["total"] == 0
    assert person.post(f"/api/v1/people/{person.id}/check-ins", CHECK_IN).status_code == 201
    start["day"] = _a_planned_day(person)
    assert person.post(f"/api/v1/people/{person.id}/sessions", start).status_code == 201


def test_a_check_that_is_an_hour_and_a_minute_old_no_longer_counts_through_the_api(person: User, clock: Clock) -> None:
    onboard(person)
    start = {"day": _a_planned_day(person), "index": 0, "supervision": {"alone": True}}
    clock.advance(minutes=61)
    assert person.post(f"/api/v1/people/{person.id}/sessions", start).status_code == 409
    clock.advance(minutes=-2)
    assert person.post(f"/api/v1/people/{person.id}/sessions", start).status_code == 201


def test_the_pages_refuse_the_same_five_day_old_check_alone_or_by_pin_and_lead_to_the_check(
    wiring: Wiring, clock: Clock
) -> None:
    ana = signed_up(wiring)
    onboard_pages(ana)
    sam = member(wiring, "supervisor", "Sam")
    invite_and_accept(ana, sam, "supervisor")
    set_pin(sam, "246813")
    index = required_index(ana, wiring)
    alone = check_with(ana, index, "alone")
    clock.advance(days=5)
    body = {"csrf_token": csrf(alone.text), "index": str(index), "understood": "yes"}
    later = ana.post("/check/alone", data=body)
    assert later.url.path == "/check", "a five-day-old check does not count: the check comes first"
    pin_page = ana.get(f"/check/pin?index={index}").text
    sam_id = re.search(r'name="supervisor_id" value="([0-9a-f-]+)"', pin_page)
    assert sam_id
    by_pin = ana.post("/check/pin", data=body | {"supervisor_id": sam_id.group(1), "pin": "246813"})
    assert by_pin.url.path == "/check", "the right PIN does not make an old check count"
    assert sessions_total(ana) == 0


def _cli_env(wiring: Wiring) -> dict[str, str]:
    return {
        "BUMPWELL_DATABASE_URL": wiring.settings.database_url,
        "BUMPWELL_ARGON2_MEMORY_KIB": "64",
        "BUMPWELL_ARGON2_TIME_COST": "1",
    }


def test_bumpwell_session_after_a_five_day_old_check_in_records_a_new_check_before_it_starts(
    wiring: Wiring, clock: Clock
) -> None:
    clock.now = datetime.now(UTC) - timedelta(days=5)  # the command reads the real clock
    person = sign_up(wiring, "person", "Ana")
    due = clock.now.date() + timedelta(weeks=17)
    person.put(f"/api/v1/people/{person.id}/profile", {**PROFILE, "due_date": due.isoformat()})
    assert person.post(f"/api/v1/people/{person.id}/check-ins", CHECK_IN).status_code == 201
    clock.now = datetime.now(UTC)
    args = ["session", "--email", "ana.person@example.org", "--password-stdin", "--speed", "1000"]
    # password, a warning sign: no session, and nothing is recorded
    warned = CliRunner().invoke(app, args, input=f"{PASSWORD}\ny\n", env=_cli_env(wiring))
    assert warned.exit_code == 1, warned.output
    assert person.get(f"/api/v1/people/{person.id}/check-ins").json()["total"] == 1
    # password, no warning sign, a wall, pain 3, alone (if asked), pain 2, effort 2
    ran = CliRunner().invoke(app, args, input=f"{PASSWORD}\nn\ny\n3\ny\n2\n2\n", env=_cli_env(wiring))
    assert ran.exit_code == 0, ran.output
    checks = person.get(f"/api/v1/people/{person.id}/check-ins").json()
    assert checks["total"] == 2, "the check before the session is on record, as on the web"
    plan = person.get(f"/api/v1/people/{person.id}/plan").json()
    listed = person.get(f"/api/v1/people/{person.id}/sessions").json()["items"][0]
    session: dict[str, Any] = person.get(f"/api/v1/people/{person.id}/sessions/{listed['id']}").json()
    assert session["plan_id"] == plan["id"], "the session starts from the plan of the new check"
    assert session["pain_before"] == 3


def _trail(person: User, actor_role: str) -> list[tuple[str, str, str]]:
    items = person.get(f"/api/v1/people/{person.id}/audit", params={"limit": 200}).json()["items"]
    return sorted((a["verb"], a["area"], a["detail"]) for a in items if a["actor_role"] == actor_role)


def test_a_supervisors_page_and_the_api_reading_the_same_data_leave_the_same_audit_entries(
    wiring: Wiring, person: User
) -> None:
    onboard(person)
    sam = sign_up(wiring, "supervisor", "Sam")
    invited = person.post(f"/api/v1/people/{person.id}/care-team/invitations", {"role": "supervisor"}).json()
    sam.post("/api/v1/care-team/join", {"code": invited["code"]})
    person.post(f"/api/v1/people/{person.id}/care-team/{invited['id']}/accept")
    assert sam.get("/supervise").status_code == 200
    by_page = _trail(person, "supervisor")
    assert ("read", "schedule", "") in by_page, "the page's read of her plan is audited"
    assert sam.get(f"/api/v1/people/{person.id}/plan").status_code == 200
    assert sam.get(f"/api/v1/people/{person.id}/red-flags", params={"open_only": "true", "limit": 3}).status_code == 200
    both = _trail(person, "supervisor")
    assert sorted(by_page + by_page) == both, "the API leaves exactly the entries the page left"


def test_the_policy_sets_how_fresh_a_check_must_be_and_how_many_wrong_pins_are_allowed(
    wiring: Wiring, clock: Clock
) -> None:
    policy = replace(wiring.catalogue.policy, check_fresh_min=10, pin_max_failures=2, presence_request_min=5)
    tight = replace(wiring, catalogue=replace(wiring.catalogue, policy=policy))
    person, sam = sign_up(tight, "person", "Ana"), sign_up(tight, "supervisor", "Sam")
    onboard(person)
    invited = person.post(f"/api/v1/people/{person.id}/care-team/invitations", {"role": "supervisor"}).json()
    sam.post("/api/v1/care-team/join", {"code": invited["code"]})
    person.post(f"/api/v1/people/{person.id}/care-team/{invited['id']}/accept")
    assert sam.put("/api/v1/me/pin", {"pin": "246813"}).status_code == 204
    day = _a_planned_day(person)
    asked = person.post(f"/api/v1/people/{person.id}/presence-requests", {"day": day, "index": 0}).json()
    assert datetime.fromisoformat(asked["expires_at"]) - clock.now == timedelta(minutes=5)
    wrong = {"day": day, "index": 0, "supervision": {"supervisor_id": sam.id, "pin": "111111"}}
    for _ in range(2):
        assert person.post(f"/api/v1/people/{person.id}/sessions", wrong).status_code == 422
    assert person.post(f"/api/v1/people/{person.id}/sessions", wrong).status_code == 429, "two wrong PINs, then wait"
    clock.advance(minutes=11)
    alone = {"day": day, "index": 0, "supervision": {"alone": True}}
    assert person.post(f"/api/v1/people/{person.id}/sessions", alone).status_code == 409, "ten minutes, not sixty"
