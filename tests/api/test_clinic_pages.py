"""The clinician's pages without a browser: the board's order and paging, a person's page, and every form on it."""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bumpwell.bootstrap import Wiring
from bumpwell.domain.access import Role
from bumpwell.domain.care_board import Need
from bumpwell.services.accounts import create_user
from bumpwell.services.common import new_id
from bumpwell.services.records import CareLinkRecord, PersonRecord
from bumpwell.web import clinic_words as words
from bumpwell.web.app import create_app
from tests.api.conftest import CHECK_IN, PASSWORD, Clock, User, onboard, sign_up

BLEEDING = {"observations": {"vaginal_bleeding": "heavy"}}
# a row's given name (people signed up here share the family name Silva, which the board shows after it)
ROW_NAMES = re.compile(r'<th scope="row"><a href="/clinic/people/[0-9a-f-]+">([^<]+?)(?: Silva)?</a>')


def link(person: User, member: User, *, accept: bool = True) -> str:
    """``member`` joins ``person``'s care team with her code; she accepts unless told not to. Returns the link id."""
    base = f"/api/v1/people/{person.id}/care-team"
    invited = person.post(f"{base}/invitations", {"role": member.role}).json()
    assert member.post("/api/v1/care-team/join", {"code": invited["code"]}).status_code == 200
    if accept:
        assert person.post(f"{base}/{invited['id']}/accept").status_code == 200
    return str(invited["id"])


def linked(wiring: Wiring, clock: Clock, clinician: User, name: str, conditions: tuple[str, ...] = ()) -> User:
    """A person onboarded through the API (with these screening answers and a check-in after them), on the team."""
    person = sign_up(wiring, "person", name)
    onboard(person)
    if conditions:
        assert person.put(api(person, "/screening"), {"conditions": list(conditions)}).status_code == 200
        check_in(person, clock, CHECK_IN)
    link(person, clinician)
    return person


def check_in(person: User, clock: Clock, answers: dict[str, Any]) -> dict[str, Any]:
    """A check-in a minute after the one before (the latest plan is the one made last)."""
    clock.advance(minutes=1)
    made = person.post(api(person, "/check-ins"), answers)
    assert made.status_code == 201, made.text
    found: dict[str, Any] = made.json()
    return found


def api(person: User, path: str) -> str:
    return f"/api/v1/people/{person.id}{path}"


def page_of(person: User) -> str:
    return f"/clinic/people/{person.id}"


def post(member: User, url: str, data: dict[str, Any], token: str | None = None) -> Any:
    """A form post from ``member``'s browser, with its CSRF token unless another is given; redirects not followed."""
    body = {"csrf_token": member.csrf if token is None else token, **data}
    return member.client.post(url, data=body, follow_redirects=False)


def board_names(clinician: User, page: int = 1) -> list[str]:
    return ROW_NAMES.findall(clinician.client.get(f"/clinic?page={page}").text)


def action(html: str, pattern: str) -> str:
    found = re.search(rf'action="({pattern})"', html)
    assert found, f"no form posting to {pattern}"
    return found.group(1)


def plan_exercises(person: User) -> set[str]:
    plan = person.get(api(person, "/plan")).json()["plan"]
    return {i["exercise"] for s in plan["sessions"] for i in s["items"]}


def test_the_board_puts_red_flag_then_escalation_then_clearance_then_missed_then_on_track(
    wiring: Wiring, clock: Clock
) -> None:
    cleo = sign_up(wiring, "clinician", "Cleo")
    linked(wiring, clock, cleo, "Missy")  # starts on Monday and then does nothing: missed sessions a week later
    willa = linked(wiring, clock, cleo, "Willa")
    clock.advance(days=8)
    linked(wiring, clock, cleo, "Calm")  # starts today: nothing is due yet
    linked(wiring, clock, cleo, "Wanda", ("CI-R01",))  # twins: waits for a clearance
    for n in range(7):  # a week of diary pain 2 points above her baseline: worse (E4)
        day = (clock.now - timedelta(days=n)).date().isoformat()
        assert willa.post(api(willa, "/diary"), {"day": day, "pain": 6, "note": ""}).status_code == 201
    worse = check_in(willa, clock, CHECK_IN | {"pain": {"locations": ["lumbar"], "nrs_now": 6}})
    assert "E4" in {r["rule"] for r in worse["response"]["reasons"]}
    flo = linked(wiring, clock, cleo, "Flo")
    assert check_in(flo, clock, BLEEDING)["triage"] == "emergency"
    flagged_at = f"{clock.now:%a} {clock.now.day} {clock.now:%b %Y, %H:%M}</time>"

    board = cleo.client.get("/clinic").text
    assert ROW_NAMES.findall(board) == ["Flo", "Willa", "Wanda", "Missy", "Calm"]
    for count in ("1 red flag<", "1 escalation<", "1 waiting for clearance<", "1 missed sessions<", "1 on track<"):
        assert count in board, count
    for badge in ("Red flag", "Escalation", "Needs clearance", "Missed sessions", "On track"):
        assert f">{badge}</span>" in board, "each need has its words, not only a colour"
    assert flagged_at in board, "the time of Flo's red flag"
    assert "Pain has been worse for a week (E4)" in board, "the rule's name from content"

    page = cleo.client.get(page_of(flo)).text
    assert "Red flags (1 open)" in page
    assert "Emergency" in page
    closed = post(cleo, action(page, r"/clinic/people/[0-9a-f-]+/flags/[0-9a-f-]+/close"), {"note": "Phoned her."})
    assert closed.status_code == 303
    names = board_names(cleo)
    assert names[:3] == ["Willa", "Wanda", "Missy"], "closing her only flag moves Flo down the board"
    assert "Red flag closed" in cleo.client.get(closed.headers["location"]).text


def test_the_board_shows_fifty_people_a_page_and_lists_those_who_have_not_accepted_apart(wiring: Wiring) -> None:
    cleo = sign_up(wiring, "clinician", "Cleo")
    with wiring.stores() as store:
        for n in range(52):
            now = wiring.clock()
            user = create_user(store, wiring.hasher, now, f"p{n}@example.org", PASSWORD, f"Person {n:02d}", Role.person)
            store.add(CareLinkRecord(new_id(), user.id, cleo.id, "clinician", "active", None, now, now, now, now))
        store.commit()
    pending = sign_up(wiring, "person", "Penny")
    onboard(pending)
    pending.post(api(pending, "/diary"), {"day": "2027-01-10", "pain": 3, "note": "PENNY'S SECRET"})
    link(pending, cleo, accept=False)

    first = cleo.client.get("/clinic").text
    assert len(ROW_NAMES.findall(first)) == 50
    assert "People 1–50 of 52" in first
    assert 'href="/clinic?page=2" rel="next" accesskey="n" aria-keyshortcuts="Alt+Shift+N">Next 50' in first
    assert "Alt+Shift+N for the next page" in first, "the keys are said on the page"
    assert "52 on track" in first
    second = cleo.client.get("/clinic?page=2").text
    assert ROW_NAMES.findall(second) == ["Person 50", "Person 51"]
    assert 'href="/clinic?page=1" rel="prev" accesskey="p"' in second
    assert ROW_NAMES.findall(cleo.client.get("/clinic?page=99").text) == ["Person 50", "Person 51"]
    assert "Waiting for them to accept you" in first
    assert "Penny" in first
    assert "Penny" not in ROW_NAMES.findall(first)
    assert "SECRET" not in first
    assert cleo.client.get(page_of(pending)).status_code == 404, "no data before she accepts"


def test_her_page_shows_stage_pattern_flags_pain_sessions_with_who_was_there_check_ins_and_plan(
    wiring: Wiring, clock: Clock
) -> None:
    cleo, sam = sign_up(wiring, "clinician", "Cleo"), sign_up(wiring, "supervisor", "Sam")
    ana = linked(wiring, clock, cleo, "Ana")
    link(ana, sam)
    assert sam.put("/api/v1/me/pin", {"pin": "246813"}).status_code == 204
    plan = ana.get(api(ana, "/plan")).json()["plan"]
    day = plan["sessions"][0]["day"]
    todays = [s for s in plan["sessions"] if s["day"] == day]
    index = next(i for i, s in enumerate(todays) if s["supervision"] == "required")
    for who in ({"alone": True}, {"supervisor_id": sam.id, "pin": "246813"}):
        started = ana.post(api(ana, "/sessions"), {"day": day, "index": index, "supervision": who}).json()
        done = ana.post(
            api(ana, f"/sessions/{started['id']}/complete"), {"pain_after": 2, "effort": "can_talk_not_sing"}
        )
        assert done.status_code == 200, done.text
    for day, pain in (("2027-01-09", 5), ("2027-01-10", 4)):
        assert ana.post(api(ana, "/diary"), {"day": day, "pain": pain, "note": "ANA'S DIARY TEXT"}).status_code == 201
    check_in(ana, clock, BLEEDING)

    page = cleo.client.get(page_of(ana)).text
    assert "23+0 weeks pregnant" in page
    assert "Her answers fit a lower back pattern." in page
    assert "Red flags (1 open)" in page
    assert "She was told:" in page
    assert "RF-" in page
    assert '<strong class="alone">She chose to start alone</strong>' in page, "starting alone stands out"
    assert "Sam was there (PIN)" in page
    assert '<strong class="alone">1 of her last 2 sessions</strong>' in page
    assert "<td>4.5</td>" in page, "the week's average diary pain in the chart's table"
    assert "ANA'S DIARY TEXT" not in page, "weekly numbers, not her diary words"
    assert "Source:" in page
    for triage in ("Emergency", "OK to exercise"):
        assert triage in page, "each check-in with its triage"
    assert "Walking" in page, "the plan, exercise by exercise"
    assert f'href="/api/v1/people/{ana.id}/report.pdf"' in page
    pdf = cleo.client.get(f"/api/v1/people/{ana.id}/report.pdf")
    assert pdf.content.startswith(b"%PDF")
    assert re.fullmatch(
        r'attachment; filename="bumpwell-report-ana[a-z-]*-\d{4}-\d\d-\d\d\.pdf"', pdf.headers["content-disposition"]
    )
    chart = cleo.client.get(f"{page_of(ana)}/chart.svg")
    assert chart.headers["content-type"].startswith("image/svg+xml")


def test_a_clearance_is_checked_field_by_field_and_lifts_the_pause_at_her_next_check_in(
    wiring: Wiring, clock: Clock
) -> None:
    cleo = sign_up(wiring, "clinician", "Cleo")
    ana = linked(wiring, clock, cleo, "Ana", ("CI-R01",))
    assert plan_exercises(ana) == set(), "no sessions while her twin pregnancy waits for a clearance"
    page = cleo.client.get(page_of(ana)).text
    assert "Record a clearance" in page
    assert "next check-in" in page
    url = f"{page_of(ana)}/clearance/CI-R01"
    wrong = {
        "max_minutes": ({"max_minutes": "500"}, "must be from 5 to 240 minutes"),  # as through the API
        "until": ({"until": "2000-01-01"}, "must be today or later"),
        "allowed": ({"allowed": ["walking", "handstand"]}, "unknown exercise id &#39;handstand&#39;"),
    }
    for field, (data, message) in wrong.items():
        refused = post(cleo, url, data)
        assert refused.status_code == 422, field
        assert f'id="clear-CI-R01-{field}-error">{message}' in refused.text, f"the message sits by {field}"
        assert f'href="#clear-CI-R01-{field}"' in refused.text, "the summary links to the field"
    words = post(cleo, url, {"max_minutes": "twenty"})
    assert 'aria-invalid="true" aria-describedby="clear-CI-R01-max_minutes-error"' in words.text
    kept = post(cleo, url, {"allowed": ["walking", "handstand"], "max_minutes": "25"})
    assert 'value="walking" checked' in kept.text, "her answers stay in the form"
    assert 'value="25"' in kept.text
    assert ana.get(api(ana, "/screening")).json()[0]["cleared_at"] is None, "nothing was kept"

    saved = post(cleo, url, {"max_minutes": "20", "allowed": ["walking", "pelvic-floor"], "until": "2027-03-01"})
    assert saved.status_code == 303
    shown = cleo.client.get(saved.headers["location"]).text
    for said in ("Cleared by Cleo", "at most 20 minutes a session", "until Mon 1 Mar 2027", "only Walking"):
        assert said in shown, said
    assert ana.get(api(ana, "/screening")).json()[0]["allowed"] == ["walking", "pelvic-floor"]
    assert plan_exercises(ana) == set(), "the clearance takes effect at her next check-in"
    check_in(ana, clock, CHECK_IN)
    sessions = ana.get(api(ana, "/plan")).json()["plan"]["sessions"]
    assert sessions, "the clearance lifts the pause"
    assert all(s["minutes"] <= 20 for s in sessions)
    # a pelvic-floor clearance covers the quick squeezes too (clinical-reference §20.30)
    assert plan_exercises(ana) <= {"walking", "pelvic-floor", "pelvic-floor-quick-squeezes", "warm-up", "cool-down"}

    withdrawn = post(cleo, action(shown, r"/clinic/people/[0-9a-f-]+/clearance/CI-R01/withdraw"), {})
    assert withdrawn.status_code == 303
    again = cleo.client.get(withdrawn.headers["location"]).text
    assert "Clearance withdrawn" in again
    assert "Record a clearance" in again


def test_an_absolute_contraindication_cannot_be_cleared_on_the_page_or_through_the_api(
    wiring: Wiring, clock: Clock
) -> None:
    cleo = sign_up(wiring, "clinician", "Cleo")
    ana = linked(wiring, clock, cleo, "Ana", ("CI-A01", "CI-A09"))
    page = cleo.client.get(page_of(ana)).text
    assert "a clearance cannot lift it" in page
    assert "/clearance/CI-A01" not in page, "no form for a condition that rules out a programme"
    assert "/clearance/CI-A09" in page, "gestational hypertension can be cleared (clinical reference §4.5)"
    refused = post(cleo, f"{page_of(ana)}/clearance/CI-A01", {"max_minutes": "20"})
    assert refused.status_code == 422
    assert "rules out an exercise programme" in refused.text
    through_api = cleo.put(api(ana, "/screening/CI-A01/clearance"), {"max_minutes": 20})
    assert through_api.status_code == 422
    assert through_api.json()["errors"][0]["field"] == "code"
    assert ana.get(api(ana, "/screening")).json()[0]["cleared_at"] is None


def test_a_plan_change_applies_at_once_shows_who_and_why_and_ending_it_brings_the_exercise_back(
    wiring: Wiring, clock: Clock
) -> None:
    cleo = sign_up(wiring, "clinician", "Cleo")
    ana = linked(wiring, clock, cleo, "Ana")
    plan = ana.get(api(ana, "/plan")).json()["plan"]
    items = [i for s in plan["sessions"] for i in s["items"]]
    target = next(i["exercise"] for i in items if i["dose"]["reps"] and i["exercise"] != "pelvic-floor")
    url = f"{page_of(ana)}/adjustments"
    wrong = {
        "reason": ({"exercise": target, "action": "exclude"}, "say why"),
        "dose-reps": ({"exercise": "walking", "action": "dose", "reps": "5", "reason": "less"}, "not dosed in reps"),
        "dose": ({"exercise": target, "action": "dose", "reason": "less"}, "name at least one"),
        "dose-sets": (
            {"exercise": target, "action": "dose", "sets": "two", "reason": "less"},
            "must be a whole number",
        ),
        "exercise": ({"exercise": "handstand", "action": "exclude", "reason": "no"}, "unknown exercise"),
    }
    for field, (data, message) in wrong.items():
        refused = post(cleo, url, data)
        assert refused.status_code == 422, field
        assert f'id="adjust-{field}-error">' in refused.text, field
        assert message in refused.text, field
        assert '<details id="adjust" open>' in refused.text, "the form stays open"

    saved = post(cleo, url, {"exercise": target, "action": "exclude", "reason": "Not while the pubic pain flares"})
    assert saved.status_code == 303
    assert target not in plan_exercises(ana), "taken out of her current plan at once"
    change = ana.get(api(ana, "/plan")).json()["adjustments"][0]
    assert (change["by"], change["reason"]) == ("Cleo", "Not while the pubic pain flares")
    assert "Not while the pubic pain flares" in ana.get("/team").text, "her own page says who and why"
    twice = post(cleo, url, {"exercise": target, "action": "exclude", "reason": "again"})
    assert twice.status_code == 422
    assert "already has a standing change" in twice.text

    page = cleo.client.get(page_of(ana)).text
    ended = post(cleo, action(page, r"/clinic/people/[0-9a-f-]+/adjustments/[0-9a-f-]+/end"), {})
    assert ended.status_code == 303
    assert target in plan_exercises(ana), "ending the change brings the exercise back"
    assert "Ended by Cleo" in cleo.client.get(page_of(ana)).text

    dosed = post(cleo, url, {"exercise": target, "action": "dose", "reps": "6", "reason": "Fewer for now"})
    assert dosed.status_code == 303
    now = [i for s in ana.get(api(ana, "/plan")).json()["plan"]["sessions"] for i in s["items"]]
    assert {i["dose"]["reps"] for i in now if i["exercise"] == target} == {6}
    assert "dose changed by Cleo" in cleo.client.get(page_of(ana)).text


def test_a_note_needs_words_and_she_reads_it(wiring: Wiring, clock: Clock) -> None:
    cleo = sign_up(wiring, "clinician", "Cleo")
    ana = linked(wiring, clock, cleo, "Ana")
    empty = post(cleo, f"{page_of(ana)}/notes", {"text": "  ", "visibility": "to_her"})
    assert empty.status_code == 422
    assert 'id="note-text-error">must be 1 to 4000 characters long' in empty.text
    saved = post(cleo, f"{page_of(ana)}/notes", {"text": "Keep to flat walks this week.", "visibility": "to_her"})
    assert (saved.status_code, saved.headers["location"]) == (303, f"{page_of(ana)}?saved=note#notes")
    assert "Keep to flat walks this week." in cleo.client.get(page_of(ana)).text
    assert "Keep to flat walks this week." in ana.client.get("/progress").text


def test_a_note_without_a_choice_of_who_reads_it_is_refused_and_nothing_is_kept(wiring: Wiring, clock: Clock) -> None:
    cleo = sign_up(wiring, "clinician", "Cleo")
    ana = linked(wiring, clock, cleo, "Ana")
    page = cleo.client.get(page_of(ana)).text
    assert 'name="visibility" value="to_her" required>' in page, "no choice is made for the clinician"
    assert 'name="visibility" value="clinical" required>' in page
    unchosen = post(cleo, f"{page_of(ana)}/notes", {"text": "Cervix closed, CTG normal."})
    assert unchosen.status_code == 422
    message = 'id="note-visibility-error">choose who reads it: she does, or her care team&#39;s clinicians only'
    assert message in unchosen.text
    assert 'href="#note-visibility">Who reads this note' in unchosen.text
    assert "Cervix closed, CTG normal.</textarea>" in unchosen.text, "her words wait in the form"
    forged = post(cleo, f"{page_of(ana)}/notes", {"text": "Cervix closed, CTG normal.", "visibility": "everyone"})
    assert forged.status_code == 422
    assert cleo.get(api(ana, "/notes")).json()["total"] == 0


def test_a_clinical_note_is_read_by_her_clinicians_and_never_by_her_or_her_supervisor(
    wiring: Wiring, clock: Clock
) -> None:
    cleo, sam = sign_up(wiring, "clinician", "Cleo"), sign_up(wiring, "supervisor", "Sam")
    ana = linked(wiring, clock, cleo, "Ana")
    link(ana, sam)
    clinical = post(cleo, f"{page_of(ana)}/notes", {"text": "Cervix closed, CTG normal.", "visibility": "clinical"})
    assert (clinical.status_code, clinical.headers["location"]) == (303, f"{page_of(ana)}?saved=clinical_note#notes")
    clock.advance(minutes=1)
    assert post(cleo, f"{page_of(ana)}/notes", {"text": "Walk on the flat.", "visibility": "to_her"}).status_code == 303
    page = cleo.client.get(f"{page_of(ana)}?saved=clinical_note").text
    assert "<strong>Clinical</strong> (her clinicians only): Cervix closed, CTG normal." in page
    assert "Clinical note added. Her care team&#39;s clinicians read it" in page
    listed = cleo.get(api(ana, "/notes")).json()
    assert [(n["text"], n["visibility"]) for n in listed["items"]] == [
        ("Walk on the flat.", "to_her"), ("Cervix closed, CTG normal.", "clinical"),
    ]  # fmt: skip
    hers = ana.get(api(ana, "/notes")).json()
    assert ([n["text"] for n in hers["items"]], hers["total"]) == (["Walk on the flat."], 1)
    for member, url in ((ana, "/progress"), (ana, "/notices"), (sam, "/notices"), (sam, "/supervise")):
        shown = member.client.get(url)
        assert shown.status_code == 200, url
        assert "Cervix closed" not in shown.text, f"the {member.role} reads the clinical note on {url}"
    assert "Walk on the flat." in ana.client.get("/progress").text
    for member in (ana, sam):
        assert "Cervix closed" not in member.get("/api/v1/me/notices").text
    assert sam.get(api(ana, "/notes")).status_code == 403
    exported = [(n["text"], n["visibility"]) for n in ana.get("/api/v1/me/export").json()["notes"]]
    assert ("Cervix closed, CTG normal.", "clinical") in exported, "her right of access: docs/api.md"


def test_her_clinician_calls_her_with_one_tap_and_sends_a_short_message_she_reads_in_her_notices(
    wiring: Wiring, clock: Clock
) -> None:
    cleo = sign_up(wiring, "clinician", "Cleo")
    ana = linked(wiring, clock, cleo, "Ana")
    identity = {"given_name": "Ana", "family_name": "Silva", "date_of_birth": "1994-03-03", "phone": "07700 900123"}
    assert ana.put(api(ana, "/identity"), identity).status_code == 200
    page = cleo.client.get(page_of(ana)).text
    assert '<a class="button" href="tel:07700900123">Call Ana: 07700 900123</a>' in page
    too_long = post(cleo, f"{page_of(ana)}/message", {"text": "x" * 501})
    assert too_long.status_code == 422
    assert 'id="message-text-error">must be 1 to 500 characters long' in too_long.text
    sent = post(cleo, f"{page_of(ana)}/message", {"text": "Please ring the clinic about Thursday."})
    assert (sent.status_code, sent.headers["location"]) == (303, f"{page_of(ana)}?saved=message#reach")
    notices = ana.client.get("/notices").text
    assert "A message from your care team" in notices
    assert "Cleo wrote: Please ring the clinic about Thursday." in notices
    assert "not read yet" in cleo.client.get(page_of(ana)).text
    ana.client.post("/notices/read", data={"csrf_token": ana.csrf})
    assert "Message sent" in cleo.client.get(f"{page_of(ana)}?saved=message").text
    assert "not read yet" not in cleo.client.get(page_of(ana)).text


def test_a_note_or_a_plan_change_with_a_bidirectional_control_is_refused_naming_the_field(
    wiring: Wiring, clock: Clock
) -> None:
    cleo = sign_up(wiring, "clinician", "Cleo")
    ana = linked(wiring, clock, cleo, "Ana")
    note = post(cleo, f"{page_of(ana)}/notes", {"text": "Walk \u202egnol", "visibility": "to_her"})
    assert note.status_code == 422
    assert "Text: must not contain bidirectional control characters" in note.text
    change = {"exercise": "walking", "action": "exclude", "reason": "not \u2066now"}
    refused = post(cleo, f"{page_of(ana)}/adjustments", change)
    assert refused.status_code == 422
    assert "Reason: must not contain bidirectional control characters" in refused.text
    assert ana.get(api(ana, "/notes")).json()["items"] == []
    assert ana.get(api(ana, "/plan")).json()["adjustments"] == []


def test_a_page_for_someone_who_has_not_set_up_her_stage_yet_still_opens(wiring: Wiring) -> None:
    cleo = sign_up(wiring, "clinician", "Cleo")
    ana = sign_up(wiring, "person", "Ana")
    link(ana, cleo)
    page = cleo.client.get(page_of(ana))
    assert page.status_code == 200
    assert "She has not told bumpwell her stage yet." in page.text
    assert "No check-ins yet." in page.text


def access_scene(
    wiring: Wiring, clock: Clock
) -> tuple[User, User, dict[str, User], list[tuple[str, str, dict[str, Any]]]]:
    """Ana on Cleo's board with an open red flag, a condition waiting for clearance and a plan change; everyone else
    who must see none of it; and every page and form of hers."""
    cleo = sign_up(wiring, "clinician", "Cleo")
    ana = linked(wiring, clock, cleo, "Ana", ("CI-R01",))
    ana.post(api(ana, "/diary"), {"day": "2027-01-10", "pain": 3, "note": "ANA'S SECRET"})
    check_in(ana, clock, BLEEDING)
    flag = ana.get(api(ana, "/red-flags")).json()["items"][0]["id"]
    change = cleo.post(api(ana, "/adjustments"), {"exercise": "walking", "action": "exclude", "reason": "flat only"})
    sam, carl = sign_up(wiring, "supervisor", "Sam"), sign_up(wiring, "clinician", "Carl")
    rita, pat = sign_up(wiring, "clinician", "Rita"), sign_up(wiring, "clinician", "Pat")
    link(ana, sam)
    linked(wiring, clock, carl, "Bea")  # Carl has people of his own, just not Ana
    removed = link(ana, rita)
    assert ana.delete(api(ana, f"/care-team/{removed}")).status_code in (200, 204)
    link(ana, pat, accept=False)
    anonymous = User(TestClient(create_app(wiring), base_url="http://testserver"), "", "", "anonymous")
    base = page_of(ana)
    forms = [
        ("GET", base, {}),
        ("GET", f"{base}/chart.svg", {}),
        ("GET", f"{base}/audit", {}),
        ("POST", f"{base}/flags/{flag}/close", {"note": "Phoned her."}),
        ("POST", f"{base}/clearance/CI-R01", {"max_minutes": "20"}),
        ("POST", f"{base}/clearance/CI-R01/withdraw", {}),
        ("POST", f"{base}/adjustments", {"exercise": "bird-dog", "action": "exclude", "reason": "not now"}),
        ("POST", f"{base}/adjustments/{change.json()['id']}/end", {}),
        ("POST", f"{base}/notes", {"text": "Hello"}),
        ("POST", f"{base}/message", {"text": "Hello"}),
    ]
    callers = {"Carl": carl, "Rita": rita, "Pat": pat, "Sam": sam, "Ana": ana, "anonymous": anonymous}
    return cleo, ana, callers, forms


def untouched(cleo: User, ana: User) -> None:
    """Nothing on Ana's record changed."""
    assert ana.get(api(ana, "/red-flags")).json()["items"][0]["closed_at"] is None
    assert ana.get(api(ana, "/screening")).json()[0]["cleared_at"] is None
    assert [a["ended_at"] for a in ana.get(api(ana, "/adjustments")).json()["items"]] == [None]
    assert ana.get(api(ana, "/notes")).json()["total"] == 0
    assert "A message from your care team" not in ana.client.get("/notices").text


def test_only_her_accepted_clinicians_see_or_change_anything_on_her_pages(wiring: Wiring, clock: Clock) -> None:
    cleo, ana, callers, forms = access_scene(wiring, clock)
    expected = {"Carl": 404, "Rita": 404, "Pat": 404, "Sam": 403, "Ana": 403, "anonymous": 303}
    unknown = callers["Carl"].client.get("/clinic/people/00000000-0000-0000-0000-000000000000")
    assert unknown.status_code == 404
    for who, member in callers.items():
        for method, url, data in forms:
            answer = member.client.get(url, follow_redirects=False) if method == "GET" else post(member, url, data)
            assert answer.status_code == expected[who], f"{method} {url} as {who}: {answer.status_code}"
            if answer.status_code == 303:
                assert answer.headers["location"] == "/login"
            for secret in ("SECRET", "flat only"):
                assert secret not in answer.text, f"{url} shows her data to {who}"
            if who != "Ana":
                assert "Ana" not in answer.text, f"{url} names her to {who}"
            if expected[who] == 404 and method == "GET" and url.endswith(ana.id):
                assert answer.text == unknown.text, "an outsider cannot tell her id from an unknown one"
    untouched(cleo, ana)
    for who in ("Sam", "Ana"):
        assert callers[who].client.get("/clinic", follow_redirects=False).status_code == 403
    assert callers["anonymous"].client.get("/clinic", follow_redirects=False).headers["location"] == "/login"
    assert "Ana" not in callers["Carl"].client.get("/clinic").text
    assert "Ana" not in callers["Rita"].client.get("/clinic").text, "a removed clinician loses her at once"


def test_every_form_on_her_page_needs_the_csrf_token(wiring: Wiring, clock: Clock) -> None:
    cleo, ana, _callers, forms = access_scene(wiring, clock)
    for method, url, data in forms:
        if method == "POST":
            for token in ("", "forged"):
                assert post(cleo, url, data, token).status_code == 403, url
    untouched(cleo, ana)


def test_the_stage_and_the_board_counts_read_as_plain_words() -> None:
    after = PersonRecord("p", "postpartum", None, date(2027, 1, 1), "caesarean", False, 1, "active", 3, 20, False, True,
                         datetime(2027, 1, 1, tzinfo=UTC))  # fmt: skip
    assert words.stage(after, date(2027, 1, 11)) == "1+3 weeks after a caesarean birth"
    assert words.stage(None, date(2027, 1, 11)) == "She has not told bumpwell her stage yet."
    line = dict(words.count_line({Need.red_flag: 2, Need.escalation: 1, Need.clearance: 3}))
    assert [line[n] for n in Need] == [
        "2 red flags", "1 escalation", "3 waiting for clearance", "0 missed sessions", "0 handled for now",
        "0 on track",
    ]  # fmt: skip
    assert words.change_words({"sets": 2, "hold_s": 5}) == "2 sets, hold 5 s"
    assert words.sessions_done((3, 2), (12, 9)) == "2 of 3 planned in the 7 days before today; 9 of 12 in 28 days"
    assert words.sessions_done((0, 0), (6, 5)) == "Nothing planned in the 7 days before today; 5 of 6 in 28 days"
    assert words.sessions_done((0, 0), (0, 0)) == "Nothing was planned before today"
    assert words.sessions_done((0, 0), (0, 0), 2) == "2 sessions done today; none were planned before today"
    assert words.sessions_done((3, 2), (3, 2), 1) == (
        "1 session done today; 2 of 3 planned in the 7 days before today; 2 of 3 in 28 days"
    )
    assert words.started_alone(1, 2) == "1 of her last 2 sessions"
    assert words.started_alone(1, 1) == "Yes, her one session so far", "not '1 of her last 1 sessions'"
    assert words.started_alone(0, 1) == "No, her one session so far"
    assert words.started_alone(3, 3) == "All of her last 3 sessions"
    assert words.started_alone(0, 4) == "None of her last 4 sessions"
    assert words.started_alone(0, 0) == "No sessions yet"


def test_stored_times_read_on_the_servers_clock_like_today(wiring: Wiring, monkeypatch: pytest.MonkeyPatch) -> None:
    """Times are stored in UTC; pages show them where the server runs, the same clock that says what today is."""
    from bumpwell.web.views import TEMPLATES, install_filters

    install_filters(wiring)
    late = datetime(2026, 11, 24, 23, 30, tzinfo=UTC)
    monkeypatch.setenv("TZ", "Europe/Athens")  # UTC+2 in November
    time.tzset()
    try:
        filters = TEMPLATES.env.filters
        assert filters["moment"](late) == "Wed 25 Nov 2026, 01:30"
        assert filters["longday"](late) == "Wed 25 Nov 2026"
        assert filters["shortday"](late) == "25 Nov"
        assert filters["longday"]("2026-11-24") == "Tue 24 Nov 2026", "a day stays the day it is"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_clinician_downloads_her_caseload_as_csv_as_searched_and_safe_to_open(wiring: Wiring, clock: Clock) -> None:
    cleo = sign_up(wiring, "clinician", "Cleo")
    ana = linked(wiring, clock, cleo, "Ana")
    linked(wiring, clock, cleo, "=HYPERLINK(1)")
    identity = {"given_name": "Ana", "family_name": "Silva", "date_of_birth": "1994-03-03", "hospital_number": "12345"}
    assert ana.put(api(ana, "/identity"), identity).status_code == 200
    board_page = cleo.client.get("/clinic").text
    assert 'href="/clinic/caseload.csv" download>Download your caseload as a spreadsheet (CSV)' in board_page
    got = cleo.client.get("/clinic/caseload.csv")
    assert got.headers["content-type"] == "text/csv; charset=utf-8"
    assert got.headers["content-disposition"] == f'attachment; filename="caseload-{wiring.today().isoformat()}.csv"'
    lines = got.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("family_name,given_name,date_of_birth,hospital_number,need,reason")
    assert any(line.startswith("Silva,Ana,1994-03-03,12345,") for line in lines)
    assert any(",'=HYPERLINK(1)," in line for line in lines), "a name that looks like a formula stays text"
    found = cleo.client.get("/clinic/caseload.csv?q=12345").content.decode("utf-8-sig").splitlines()
    assert len(found) == 2, "the board's search applies"
    searched = cleo.client.get("/clinic?q=12345").text
    assert 'href="/clinic/caseload.csv?q=12345" download>Download these people' in searched
    assert cleo.client.get("/clinic/caseload.csv?need=nope").status_code == 422
    assert ana.client.get("/clinic/caseload.csv", follow_redirects=False).status_code == 403


def test_her_clinician_reads_who_read_or_changed_her_record_in_plain_words(wiring: Wiring, clock: Clock) -> None:
    cleo = sign_up(wiring, "clinician", "Cleo")
    ana = linked(wiring, clock, cleo, "Ana")
    assert 'href="/clinic/people/' + ana.id + '/audit">Who opened this record' in cleo.client.get(page_of(ana)).text
    post(cleo, f"{page_of(ana)}/notes", {"text": "Keep to flat walks.", "visibility": "to_her"})
    page = cleo.client.get(f"{page_of(ana)}/audit")
    assert page.status_code == 200
    assert "<h1>Who read or changed Ana" in page.text
    assert "<td>Cleo, clinician</td><td>read her progress</td>" in page.text
    assert "<td>Cleo, clinician</td><td>read her warning signs (2 times)</td>" in page.text, "one line for a page"
    assert "<td>Cleo, clinician</td><td>changed the notes to her (note)</td>" in page.text
    assert "<td>she herself</td>" in page.text
    assert cleo.get(api(ana, "/audit")).status_code == 200, "the API answers her clinician the same"
