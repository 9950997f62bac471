"""The care team's pages without a browser: roles at sign-up, the person's team, joining, the supervisor's page,
presence confirmed on the supervisor's own phone or with their PIN, notices and the account with the PIN."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from bumpwell.bootstrap import Wiring
from bumpwell.services.records import NoticeRecord
from bumpwell.web.app import create_app
from tests.api.conftest import Clock
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


def make_code(person: TestClient, role: str) -> str:
    team = person.get("/team").text
    made = person.post("/team/invite", data={"csrf_token": csrf(team), "role": role})
    code = re.search(r'<p class="invite-code">([A-Z0-9-]+)</p>', made.text)
    assert code, "the code is shown once, large"
    return code.group(1)


def invite_and_accept(person: TestClient, joiner: TestClient, role: str, name: str = "Ana") -> None:
    code = make_code(person, role)
    joined = joiner.post("/join", data={"csrf_token": csrf(joiner.get("/join").text), "code": code})
    assert f"Waiting for {name} to accept you" in joined.text
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


def sessions_total(person: TestClient) -> int:
    me = person.get("/api/v1/me").json()["id"]
    total: int = person.get(f"/api/v1/people/{me}/sessions").json()["total"]
    return total


def check_with(person: TestClient, index: int, who: str) -> Any:
    """The check before a session (no warning sign), choosing how the supervisor is there."""
    page = person.get(f"/check?index={index}").text
    return person.post("/check", data={"csrf_token": csrf(page), "index": str(index), "warning": "no", "who": who})


def set_pin(supervisor: TestClient, pin: str) -> None:
    account = supervisor.get("/settings").text
    saved = supervisor.post("/settings", data={"csrf_token": csrf(account), "pin": pin, "pin_again": pin})
    assert "Your PIN is saved" in saved.text


def log_in(wiring: Wiring, email: str) -> Any:
    client = TestClient(create_app(wiring), follow_redirects=True)
    token = csrf(client.get("/login").text)
    return client.post("/login", data={"csrf_token": token, "email": email, "password": PASSWORD})


def test_roles_at_sign_up_lead_each_to_their_own_home(wiring: Wiring) -> None:
    ana = signed_up(wiring)
    sam = member(wiring, "supervisor", "Sam")
    cleo = member(wiring, "clinician", "Cleo")
    assert sam.get("/today").url.path == "/supervise"
    assert sam.get("/").url.path == "/supervise"
    assert ana.get("/supervise").url.path == "/today"
    assert "When your password is reset or changed, it shows here." in ana.get("/notices").text, "her own notices"
    assert cleo.get("/diary").url.path in ("/clinic", "/join")
    assert cleo.get("/team").url.path in ("/clinic", "/join")
    menu = sam.get("/supervise").text
    assert all(f'href="{to}"' in menu for to in ("/supervise", "/notices", "/settings"))
    assert 'href="/diary"' not in menu
    assert 'href="/team"' in ana.get("/today").text
    assert log_in(wiring, "sam@example.org").url.path == "/supervise"
    assert log_in(wiring, "cleo@example.org").url.path == "/clinic"
    assert log_in(wiring, "ana@example.org").url.path == "/start/stage", "no profile yet: the onboarding"
    refused = TestClient(create_app(wiring)).post(
        "/signup", data={"csrf_token": "x", "role": "admin", "display_name": "X", "email": "x@example.org"}
    )
    assert refused.status_code in (400, 422)


def test_the_sign_up_page_offers_only_the_roles_this_installation_allows(wiring: Wiring) -> None:
    client = TestClient(create_app(wiring))
    page = client.get("/signup").text
    for role in sorted(wiring.settings.signup_roles):
        assert f'name="role" value="{role}"' in page
    token = csrf(page)
    body = {"csrf_token": token, "role": "admin", "display_name": "Al", "email": "al@example.org", "password": PASSWORD}
    refused = client.post("/signup", data=body)
    assert refused.status_code == 422
    assert "Choose one of the kinds of account listed" in refused.text


def test_a_supervisor_joins_sees_the_sessions_with_what_to_watch_and_confirms_on_their_own_phone(
    wiring: Wiring,
) -> None:
    ana = signed_up(wiring)
    onboard(ana)
    sam = member(wiring, "supervisor", "Sam")
    before = sam.get("/supervise").text
    assert "You are not on anyone's care team yet" in before
    code = make_code(ana, "supervisor")
    sam.post("/join", data={"csrf_token": csrf(sam.get("/join").text), "code": code})
    assert "Waiting for Ana to accept you" in sam.get("/supervise").text
    assert "Next sessions" not in sam.get("/supervise").text, "nothing of her plan before she accepts"
    waiting = ana.get("/team").text
    accept = re.search(r'action="(/team/[0-9a-f-]+/accept)"', waiting)
    assert accept
    ana.post(accept.group(1), data={"csrf_token": csrf(waiting)})
    ana.post("/diary", data={"csrf_token": csrf(ana.get("/today").text), "pain": "3", "note": "DIARY-SECRET"})
    page = sam.get("/supervise").text
    assert "Next sessions" in page
    assert "Today at about 09:00:" in page, "her calendar's time of day, once a day"
    assert "be there" in page
    assert 'class="spot-list' in page, "each exercise's spotting cues"
    index = required_index(ana, wiring)
    assert "Sam will confirm on their own phone" in ana.get(f"/check?index={index}").text
    waiting_page = check_with(ana, index, "ask")
    assert "We asked Sam" in waiting_page.text
    assert "/static/wait.js" in waiting_page.text
    too_soon = ana.post(waiting_page.url.path, data={"csrf_token": csrf(waiting_page.text)})
    assert too_soon.status_code == 200
    assert "Nobody has tapped" in too_soon.text, "kind words, and the page stays"
    assert sessions_total(ana) == 0
    asking = sam.get("/supervise").text
    assert "Ana is about to start a session" in asking
    assert "This page updates by itself" in asking
    assert "/static/supervise.js" in asking
    live = sam.get("/supervise/asking.json")
    assert "no-store" in live.headers["cache-control"]
    assert [(a["name"], a["confirmed_by_name"]) for a in live.json()["asking"]] == [("Ana", None)]
    assert ana.get("/supervise/asking.json").url.path == "/today", "only a supervisor asks it"
    form = re.search(r'action="(/supervise/confirm/[0-9a-f-]+)"', asking)
    assert form
    assert sam.post(form.group(1), data={"csrf_token": "forged"}).status_code == 403
    thanked = sam.post(form.group(1), data={"csrf_token": csrf(asking)})
    assert "She can start the session now" in thanked.text
    assert "Sam is with you" in ana.get(waiting_page.url.path).text
    assert [a["confirmed_by_name"] for a in sam.get("/supervise/asking.json").json()["asking"]] == ["Sam"]
    player = ana.post(waiting_page.url.path, data={"csrf_token": csrf(waiting_page.text)})
    assert "Sam is with you" in player.text
    session = last_session(ana)
    assert (session["supervised_by_name"], session["supervision_method"]) == ("Sam", "own_phone")
    assert session["supervision_status"] == "confirmed"
    again = ana.post(waiting_page.url.path, data={"csrf_token": csrf(waiting_page.text)})
    assert "This request has ended" in again.text, "one confirmation starts one session"
    assert sessions_total(ana) == 1


def test_a_supervisor_sets_a_pin_and_types_it_on_her_phone(wiring: Wiring) -> None:
    ana = signed_up(wiring)
    onboard(ana)
    sam = member(wiring, "supervisor", "Sam")
    invite_and_accept(ana, sam, "supervisor")
    index = required_index(ana, wiring)
    pin_page = check_with(ana, index, "pin")
    assert "Your supervisor's PIN" in pin_page.text
    assert 'inputmode="numeric"' in pin_page.text
    assert 'autocomplete="off"' in pin_page.text
    sam_id = re.search(r'name="supervisor_id" value="([0-9a-f-]+)"', pin_page.text)
    assert sam_id
    body = {"csrf_token": csrf(pin_page.text), "index": str(index), "supervisor_id": sam_id.group(1)}
    no_pin = ana.post("/check/pin", data=body | {"pin": "246813"})
    assert no_pin.status_code == 422
    assert "Sam has not set a PIN yet" in no_pin.text
    account = sam.get("/settings").text
    assert "Your account" in account
    mismatch = sam.post("/settings", data={"csrf_token": csrf(account), "pin": "246813", "pin_again": "246814"})
    assert mismatch.status_code == 422
    assert "not the same" in mismatch.text
    for pin in ("12", "2468"):
        short = sam.post("/settings", data={"csrf_token": csrf(account), "pin": pin, "pin_again": pin})
        assert short.status_code == 422
        assert "6 to 8 digits" in short.text
    forged = {"csrf_token": "forged", "pin": "246813", "pin_again": "246813"}
    assert sam.post("/settings", data=forged).status_code == 403
    set_pin(sam, "246813")
    wrong = ana.post("/check/pin", data=body | {"pin": "111111"})
    assert wrong.status_code == 422
    assert "That is not Sam&#39;s PIN" in wrong.text
    assert sessions_total(ana) == 0
    player = ana.post("/check/pin", data=body | {"pin": "246813"})
    assert "Sam is with you" in player.text
    session = last_session(ana)
    assert (session["supervised_by_name"], session["supervision_method"]) == ("Sam", "pin")


def test_too_many_wrong_pins_make_her_wait(wiring: Wiring) -> None:
    ana = signed_up(wiring)
    onboard(ana)
    sam = member(wiring, "supervisor", "Sam")
    invite_and_accept(ana, sam, "supervisor")
    set_pin(sam, "246813")
    index = required_index(ana, wiring)
    pin_page = check_with(ana, index, "pin").text
    sam_id = re.search(r'name="supervisor_id" value="([0-9a-f-]+)"', pin_page)
    assert sam_id
    body = {"csrf_token": csrf(pin_page), "index": str(index), "supervisor_id": sam_id.group(1)}
    for _ in range(5):
        assert "That is not Sam&#39;s PIN" in ana.post("/check/pin", data=body | {"pin": "111111"}).text
    blocked = ana.post("/check/pin", data=body | {"pin": "246813"})
    assert blocked.status_code == 422
    assert "Too many wrong PINs for Sam. Please wait 15 minutes" in blocked.text
    assert sessions_total(ana) == 0


def test_starting_alone_or_by_pin_needs_a_check_within_the_hour(wiring: Wiring, clock: Clock) -> None:
    ana = signed_up(wiring)
    onboard(ana)
    index = required_index(ana, wiring)
    alone = check_with(ana, index, "alone")
    assert "Starting alone?" in alone.text
    clock.advance(hours=2)
    body = {"csrf_token": csrf(alone.text), "index": str(index), "understood": "yes"}
    later = ana.post("/check/alone", data=body)
    assert later.url.path == "/check", "an old check does not count: the check comes first"
    assert sessions_total(ana) == 0
    check_with(ana, index, "alone")
    player = ana.post("/check/alone", data=body)
    assert "You chose to start alone" in player.text
    assert last_session(ana)["supervision_status"] == "alone"


def test_with_nobody_on_the_team_the_check_explains_and_offers_starting_alone(wiring: Wiring) -> None:
    ana = signed_up(wiring)
    onboard(ana)
    index = required_index(ana, wiring)
    page = ana.get(f"/check?index={index}").text
    assert "Nobody has joined your care team as a supervisor yet" in page
    assert 'href="/team"' in page
    assert 'value="ask"' not in page
    assert 'value="alone"' in page
    asked = ana.post("/check", data={"csrf_token": csrf(page), "index": str(index), "warning": "no", "who": "ask"})
    assert "Starting alone?" in asked.text, "asking nobody ends at the explicit choice to start alone"


def test_a_red_flag_reaches_the_supervisors_notices_and_page(wiring: Wiring) -> None:
    ana = signed_up(wiring)
    onboard(ana)
    sam = member(wiring, "supervisor", "Sam")
    invite_and_accept(ana, sam, "supervisor")
    ana.post("/diary", data={"csrf_token": csrf(ana.get("/today").text), "pain": "3", "note": "DIARY-SECRET"})
    assert 'class="count"' not in sam.get("/supervise").text
    token = csrf(ana.get("/check/signs").text)
    stop = ana.post("/check/signs", data={"csrf_token": token, "answer": "ticked", "signs": ["chest"]})
    assert "Call for emergency help now" in stop.text
    notices = sam.get("/notices").text
    assert "Warning sign: Ana" in notices
    assert "Ana reported a warning sign" in notices
    assert "and was told:" in notices
    assert "new" in notices
    assert 'href="tel:112"' in notices
    assert '<span class="count">1<span class="visually-hidden"> new</span></span>' in notices, "the menu counts it"
    assert "Warning sign" in sam.get("/supervise").text
    assert sam.post("/notices/read", data={"csrf_token": "forged"}).status_code == 403
    read = sam.post("/notices/read", data={"csrf_token": csrf(notices)})
    assert "Mark all as read" not in read.text
    assert 'class="count"' not in read.text
    assert "notice unread" not in read.text
    for page in ("/supervise", "/notices", "/settings", "/join", "/exercises"):
        assert "DIARY-SECRET" not in sam.get(page).text, f"a supervisor never sees the diary ({page})"
    assert sam.get("/diary").url.path == "/supervise"


def test_a_clinician_gets_the_same_notices_with_a_link_to_her_page(wiring: Wiring) -> None:
    ana = signed_up(wiring)
    onboard(ana)
    cleo = member(wiring, "clinician", "Cleo")
    invite_and_accept(ana, cleo, "clinician")
    token = csrf(ana.get("/check/signs").text)
    ana.post("/check/signs", data={"csrf_token": token, "answer": "ticked", "signs": ["chest"]})
    notices = cleo.get("/notices").text
    assert "Warning sign: Ana" in notices
    assert re.search(r'href="/clinic/people/[0-9a-f-]+"', notices)
    account = cleo.get("/settings").text
    assert "Your account" in account
    assert 'name="pin"' not in account, "only a supervisor has a presence PIN"
    pins = {"pin": "246813", "pin_again": "246813"}
    assert cleo.post("/settings", data={"csrf_token": csrf(account), **pins}).url.path in (
        "/clinic",
        "/join",
    )


def test_notices_come_fifty_to_a_page_newest_first_with_every_new_one_counted(wiring: Wiring, clock: Clock) -> None:
    ana = signed_up(wiring)
    onboard(ana)
    sam = member(wiring, "supervisor", "Sam")
    invite_and_accept(ana, sam, "supervisor")
    ana_id = ana.get("/api/v1/me").json()["id"]
    sam_id = sam.get("/api/v1/me").json()["id"]
    with wiring.stores() as store:
        for n in range(55):
            at = clock.now - timedelta(minutes=55 - n)
            store.add(NoticeRecord(f"n-{n:02d}", ana_id, sam_id, None, "presence", f"Notice number {n}", at,
                                   at if n < 20 else None))  # fmt: skip
        store.commit()
    first = sam.get("/notices").text
    assert "35 new. Newest first." in first, "all new notices count, not only the page's"
    assert first.index("Notice number 54") < first.index("Notice number 53")
    assert "Notice number 4." not in first, "the oldest five wait on the next page"
    assert "Notices 1–50 of 55" in first
    assert 'href="/notices?page=2" rel="next">Older' in first
    second = sam.get("/notices?page=2").text
    assert all(f"Notice number {n}." in second for n in range(5))
    assert "Notices 51–55 of 55" in second
    assert 'href="/notices?page=1" rel="prev">Newer' in second
    assert "Notices 51–55 of 55" in sam.get("/notices?page=9").text, "past the end: the last page"
    assert sam.get("/notices?page=x").status_code == 422


def test_the_person_removes_a_member_after_a_confirm_step_and_access_ends(wiring: Wiring) -> None:
    ana = signed_up(wiring)
    onboard(ana)
    sam = member(wiring, "supervisor", "Sam")
    invite_and_accept(ana, sam, "supervisor")
    check_with(ana, required_index(ana, wiring), "ask")
    assert '<span class="count">1<' in sam.get("/supervise").text, "her request is a notice"
    team = ana.get("/team").text
    link = re.search(r'href="/team/([0-9a-f-]+)/remove"', team)
    assert link
    confirm = ana.get(f"/team/{link.group(1)}/remove").text
    assert "Remove Sam?" in confirm
    assert ana.get("/team").text.count("On your team") == 1, "the confirm step alone removes nothing"
    ana.post(f"/team/{link.group(1)}/remove", data={"csrf_token": csrf(confirm)})
    assert "Removed" not in ana.get("/team").text
    after = sam.get("/supervise").text
    assert "Next sessions" not in after
    assert "is about to start a session" not in after
    assert 'class="count"' not in after, "notices from someone who removed you no longer count"
    wrong = sam.post("/join", data={"csrf_token": csrf(sam.get("/join").text), "code": "AAAA-BBBB-CCCC"})
    assert wrong.status_code == 422
    assert "This invitation code is unknown, used or expired" in wrong.text


def test_a_code_shown_once_says_what_to_tell_them_and_a_pending_member_can_be_declined(wiring: Wiring) -> None:
    ana = signed_up(wiring)
    onboard(ana)
    team = ana.get("/team").text
    made = ana.post("/team/invite", data={"csrf_token": csrf(team), "role": "supervisor"}).text
    assert "I will be with someone while she exercises" in made, "the role to choose at sign-up"
    assert "Join page" in made
    assert "We show it only now" in made
    code = re.search(r'<p class="invite-code">([A-Z0-9-]+)</p>', made)
    assert code
    assert code.group(1) not in ana.get("/team").text, "the code is shown once"
    jo = member(wiring, "supervisor", "Jo")
    jo.post("/join", data={"csrf_token": csrf(jo.get("/join").text), "code": code.group(1)})
    waiting = ana.get("/team").text
    decline = re.search(r'href="(/team/[0-9a-f-]+/remove)"', waiting)
    assert decline
    asked = ana.get(decline.group(1)).text
    assert "Decline Jo?" in asked
    ana.post(decline.group(1), data={"csrf_token": csrf(asked)})
    assert not re.search(r"\bJo\b", ana.get("/team").text)  # a CSRF token may hold "Jo"
    assert "You are not on anyone's care team yet" in jo.get("/supervise").text


def test_the_team_page_shows_the_clinicians_changes_to_the_plan(wiring: Wiring) -> None:
    ana = signed_up(wiring)
    onboard(ana)
    cleo = member(wiring, "clinician", "Cleo")
    invite_and_accept(ana, cleo, "clinician")
    me = ana.get("/api/v1/me").json()["id"]
    plan = ana.get(f"/api/v1/people/{me}/plan").json()["plan"]
    exercise = plan["sessions"][0]["items"][-1]["exercise"]
    name = escape(wiring.catalogue.exercises[exercise].name)
    token = cleo.get("/api/v1/me").json()["csrf_token"]
    body = {"exercise": exercise, "action": "exclude", "reason": "It hurt last time; we try the others first."}
    made = cleo.post(f"/api/v1/people/{me}/adjustments", json=body, headers={"X-CSRF-Token": token})
    assert made.status_code == 201
    page = ana.get("/team").text
    assert "Changes to your plan" in page
    assert f"<strong>Cleo</strong> took out {name} on" in page
    assert "Why: It hurt last time; we try the others first." in page


@pytest.mark.parametrize(
    "path",
    ["/team/invite", "/team/{link}/accept", "/team/{link}/remove", "/check", "/check/pin", "/check/alone",
     "/check/wait/{asked}"],
)  # fmt: skip
def test_every_form_of_the_person_needs_its_csrf_token(wiring: Wiring, path: str) -> None:
    ana = signed_up(wiring)
    onboard(ana)
    sam = member(wiring, "supervisor", "Sam")
    code = make_code(ana, "supervisor")
    sam.post("/join", data={"csrf_token": csrf(sam.get("/join").text), "code": code})
    link = re.search(r'action="/team/([0-9a-f-]+)/accept"', ana.get("/team").text)
    assert link
    asked = "00000000-0000-0000-0000-000000000000"
    url = path.format(link=link.group(1), asked=asked)
    refused = ana.post(url, data={"csrf_token": "forged", "index": "0", "role": "supervisor", "who": "alone"})
    assert refused.status_code == 403
    assert "Waiting for you" in ana.get("/team").text, "nothing changed"


@pytest.mark.parametrize("path", ["/join", "/supervise/confirm/{asked}", "/notices/read", "/settings"])
def test_every_form_of_a_member_needs_its_csrf_token(wiring: Wiring, path: str) -> None:
    sam = member(wiring, "supervisor", "Sam")
    url = path.format(asked="00000000-0000-0000-0000-000000000000")
    pins = {"pin": "246813", "pin_again": "246813"}
    refused = sam.post(url, data={"csrf_token": "forged", "code": "AAAA-BBBB-CCCC", **pins})
    assert refused.status_code == 403


def test_a_request_left_for_more_than_half_an_hour_ends_kindly_on_both_phones(wiring: Wiring, clock: Clock) -> None:
    ana = signed_up(wiring)
    onboard(ana)
    sam = member(wiring, "supervisor", "Sam")
    invite_and_accept(ana, sam, "supervisor")
    waiting = check_with(ana, required_index(ana, wiring), "ask")
    asking = sam.get("/supervise").text
    form = re.search(r'action="(/supervise/confirm/[0-9a-f-]+)"', asking)
    assert form
    assert "Open My people to confirm" in sam.get("/notices").text
    clock.advance(minutes=31)
    assert "is about to start a session" not in sam.get("/supervise").text
    notice = sam.get("/notices").text
    assert "Open My people to confirm" not in notice, "an ended request's notice sends him nowhere"
    assert "This request has ended: she started her session, or it ran out after 30 minutes." in notice
    late = sam.post(form.group(1), data={"csrf_token": csrf(asking)})
    assert "That request has ended" in late.text
    ended = ana.post(waiting.url.path, data={"csrf_token": csrf(waiting.text)})
    assert "This request has ended" in ended.text
    assert 'href="/check?index=' in ended.text, "she can ask again"
    assert sessions_total(ana) == 0


def test_the_supervisors_warning_card_calls_her_own_maternity_unit_when_she_stored_its_number(wiring: Wiring) -> None:
    ana = signed_up(wiring)
    onboard(ana)
    sam = member(wiring, "supervisor", "Sam")
    invite_and_accept(ana, sam, "supervisor")
    details = ana.get("/details").text
    ana.post("/details/unit-phone", data={"csrf_token": csrf(details), "unit_phone": "+44 20 7946 0000"})
    token = csrf(ana.get("/check/signs").text)
    ana.post("/check/signs", data={"csrf_token": token, "answer": "ticked", "signs": ["chest"]})
    card = sam.get("/supervise").text
    assert 'her maternity unit on <a href="tel:+442079460000">+44 20 7946 0000</a>' in card
