"""The care team's pages without a browser: roles at sign-up, the person's team, joining, the supervisor's page,
presence confirmed on the supervisor's own phone or with their PIN, notices and the PIN settings."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

from bumpwell.bootstrap import Wiring
from bumpwell.web.app import create_app
from tests.api.test_pages import PASSWORD, csrf, onboard, signed_up


def member(wiring: Wiring, role: str, name: str) -> TestClient:
    client = TestClient(create_app(wiring), follow_redirects=True)
    token = csrf(client.get("/signup").text)
    body = {"csrf_token": token, "role": role, "display_name": name, "email": f"{name.lower()}@example.org",
            "password": PASSWORD}  # fmt: skip
    page = client.post("/signup", data=body)
    assert page.status_code == 200
    assert "Join a care team" in page.text, "a new supervisor or clinician lands on the join page"
    return client


def invite_and_accept(person: TestClient, joiner: TestClient, role: str) -> None:
    team = person.get("/team").text
    made = person.post("/team/invite", data={"csrf_token": csrf(team), "role": role})
    code = re.search(r'<p class="invite-code">([A-Z0-9-]+)</p>', made.text)
    assert code, "the code is shown once, large"
    joined = joiner.post("/join", data={"csrf_token": csrf(joiner.get("/join").text), "code": code.group(1)})
    assert "needs to accept you" in joined.text
    waiting = person.get("/team").text
    link = re.search(r'action="/team/([0-9a-f-]+)/accept"', waiting)
    assert link, "the person is asked to accept"
    assert "Never your diary" in waiting or role == "clinician"
    person.post(f"/team/{link.group(1)}/accept", data={"csrf_token": csrf(waiting)})
    assert "On your team" in person.get("/team").text


def required_index(person: TestClient, wiring: Wiring) -> int:
    me = person.get("/api/v1/me").json()["id"]
    plan = person.get(f"/api/v1/people/{me}/plan").json()["plan"]
    todays = [s for s in plan["sessions"] if s["day"] == wiring.today().isoformat()]
    return next(i for i, s in enumerate(todays) if s["supervision"] == "required")


def last_session(person: TestClient) -> dict[str, Any]:
    me = person.get("/api/v1/me").json()["id"]
    found: dict[str, Any] = person.get(f"/api/v1/people/{me}/sessions").json()["items"][0]
    return found


def test_roles_at_sign_up_lead_each_to_their_own_home(wiring: Wiring) -> None:
    ana = signed_up(wiring)
    sam = member(wiring, "supervisor", "Sam")
    cleo = member(wiring, "clinician", "Cleo")
    assert sam.get("/today").url.path == "/supervise"
    assert sam.get("/").url.path == "/supervise"
    assert ana.get("/supervise").url.path == "/today"
    assert cleo.get("/diary").url.path in ("/clinic", "/join")
    assert 'href="/supervise"' in sam.get("/supervise").text
    assert 'href="/team"' in ana.get("/today").text
    refused = TestClient(create_app(wiring)).post(
        "/signup", data={"csrf_token": "x", "role": "admin", "display_name": "X", "email": "x@example.org"}
    )
    assert refused.status_code in (400, 422)


def test_a_supervisor_joins_sees_the_sessions_with_what_to_watch_and_confirms_on_their_own_phone(
    wiring: Wiring,
) -> None:
    ana = signed_up(wiring)
    onboard(ana)
    sam = member(wiring, "supervisor", "Sam")
    before = sam.get("/supervise").text
    assert "You are not on anyone's care team yet" in before
    invite_and_accept(ana, sam, "supervisor")
    ana.post("/diary", data={"csrf_token": csrf(ana.get("/today").text), "pain": "3", "note": "DIARY-SECRET"})
    page = sam.get("/supervise").text
    assert "Next sessions" in page
    assert "be there" in page
    assert "DIARY-SECRET" not in page
    index = required_index(ana, wiring)
    check = ana.get(f"/check?index={index}").text
    assert "Sam will confirm on their own phone" in check
    waiting = ana.post("/check", data={"csrf_token": csrf(check), "index": str(index), "warning": "no", "who": "ask"})
    assert "Waiting for Sam" in waiting.text
    too_soon = ana.post(waiting.url.path, data={"csrf_token": csrf(waiting.text)})
    assert too_soon.status_code == 409
    assert "no supervisor has confirmed yet" in too_soon.text
    asking = sam.get("/supervise").text
    assert "Ana is about to start a session" in asking
    form = re.search(r'action="(/supervise/confirm/[0-9a-f-]+)"', asking)
    assert form
    assert sam.post(form.group(1), data={"csrf_token": "forged"}).status_code == 403
    thanked = sam.post(form.group(1), data={"csrf_token": csrf(asking)})
    assert "She can start the session now" in thanked.text
    player = ana.post(waiting.url.path, data={"csrf_token": csrf(waiting.text)})
    assert "Sam is with you" in player.text
    session = last_session(ana)
    assert (session["supervised_by_name"], session["supervision_method"]) == ("Sam", "own_phone")


def test_a_supervisor_sets_a_pin_and_types_it_on_her_phone(wiring: Wiring) -> None:
    ana = signed_up(wiring)
    onboard(ana)
    sam = member(wiring, "supervisor", "Sam")
    invite_and_accept(ana, sam, "supervisor")
    settings = sam.get("/settings").text
    mismatch = sam.post("/settings", data={"csrf_token": csrf(settings), "pin": "2468", "pin_again": "2469"})
    assert mismatch.status_code == 422
    short = sam.post("/settings", data={"csrf_token": csrf(settings), "pin": "12", "pin_again": "12"})
    assert short.status_code == 422
    assert "4 to 8 digits" in short.text
    saved = sam.post("/settings", data={"csrf_token": csrf(settings), "pin": "2468", "pin_again": "2468"})
    assert "Your PIN is saved" in saved.text
    index = required_index(ana, wiring)
    check = ana.get(f"/check?index={index}").text
    pin_page = ana.post("/check", data={"csrf_token": csrf(check), "index": str(index), "warning": "no", "who": "pin"})
    assert "Your supervisor's PIN" in pin_page.text
    sam_id = re.search(r'name="supervisor_id" value="([0-9a-f-]+)"', pin_page.text)
    assert sam_id
    body = {"csrf_token": csrf(pin_page.text), "index": str(index), "supervisor_id": sam_id.group(1)}
    wrong = ana.post("/check/pin", data=body | {"pin": "1111"})
    assert wrong.status_code == 422
    assert "is not Sam&#39;s PIN" in wrong.text
    player = ana.post("/check/pin", data=body | {"pin": "2468"})
    assert "Sam is with you" in player.text
    session = last_session(ana)
    assert (session["supervised_by_name"], session["supervision_method"]) == ("Sam", "pin")


def test_a_red_flag_reaches_the_supervisors_notices_and_page(wiring: Wiring) -> None:
    ana = signed_up(wiring)
    onboard(ana)
    sam = member(wiring, "supervisor", "Sam")
    invite_and_accept(ana, sam, "supervisor")
    token = csrf(ana.get("/check/signs").text)
    stop = ana.post("/check/signs", data={"csrf_token": token, "answer": "ticked", "signs": ["chest"]})
    assert "Call for emergency help now" in stop.text
    notices = sam.get("/notices").text
    assert "Ana reported a warning sign" in notices
    assert "new" in notices
    assert 'href="tel:112"' in notices
    assert "Warning sign" in sam.get("/supervise").text
    read = sam.post("/notices/read", data={"csrf_token": csrf(notices)})
    assert "Mark all as read" not in read.text


def test_the_person_removes_a_member_after_a_confirm_step_and_access_ends(wiring: Wiring) -> None:
    ana = signed_up(wiring)
    onboard(ana)
    sam = member(wiring, "supervisor", "Sam")
    invite_and_accept(ana, sam, "supervisor")
    team = ana.get("/team").text
    link = re.search(r'href="/team/([0-9a-f-]+)/remove"', team)
    assert link
    confirm = ana.get(f"/team/{link.group(1)}/remove").text
    assert "Remove Sam?" in confirm
    ana.post(f"/team/{link.group(1)}/remove", data={"csrf_token": csrf(confirm)})
    assert "Removed" not in ana.get("/team").text
    assert "Next sessions" not in sam.get("/supervise").text
    wrong = sam.post("/join", data={"csrf_token": csrf(sam.get("/join").text), "code": "AAAA-BBBB-CCCC"})
    assert wrong.status_code == 422
    assert "unknown, used or expired" in wrong.text
