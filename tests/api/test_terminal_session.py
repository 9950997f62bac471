"""`bumpwell session` against a real database: it finds today's session, runs it and logs it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from icalendar import Calendar
from typer.testing import CliRunner

from bumpwell.bootstrap import Wiring
from bumpwell.cli.main import app
from bumpwell.web.app import create_app
from tests.api.conftest import CHECK_IN, PASSWORD, PROFILE, Clock, sign_up


def test_bumpwell_session_runs_and_logs_todays_session(wiring: Wiring, clock: Clock) -> None:
    clock.now = datetime.now(UTC)  # the command reads the real clock, so the plan must start today
    person = sign_up(wiring, "person", "Ana")
    due = wiring.today() + timedelta(weeks=17)
    assert (
        person.put(f"/api/v1/people/{person.id}/profile", {**PROFILE, "due_date": due.isoformat()}).status_code == 200
    )
    assert person.post(f"/api/v1/people/{person.id}/check-ins", CHECK_IN).status_code == 201
    day = person.get(f"/api/v1/people/{person.id}/plan").json()["plan"]["sessions"][0]["day"]
    assert day == wiring.today().isoformat()
    env = {
        "BUMPWELL_DATABASE_URL": wiring.settings.database_url,
        "BUMPWELL_ARGON2_MEMORY_KIB": "64",
        "BUMPWELL_ARGON2_TIME_COST": "1",
    }
    todays = person.get(f"/api/v1/people/{person.id}/plan").json()["plan"]["sessions"][0]
    assert todays["supervision"] == "required", "this test walks the supervision step"
    # password, no warning sign, a wall, pain 3, nobody on the team: start alone (recorded), pain 2, effort 2
    answers = f"{PASSWORD}\nn\ny\n3\ny\n2\n2\n"
    args = ["session", "--email", "ana.person@example.org", "--password-stdin", "--speed", "1000"]
    result = CliRunner().invoke(app, args, input=answers, env=env)
    assert result.exit_code == 0, result.output
    assert "Nobody has joined your care team" in result.output
    assert "Saved" in result.output
    sessions = person.get(f"/api/v1/people/{person.id}/sessions").json()["items"]
    assert sessions[0]["status"] == "completed"
    assert sessions[0]["supervision_status"] == "alone"

    sam = sign_up(wiring, "supervisor", "Sam")
    invited = person.post(f"/api/v1/people/{person.id}/care-team/invitations", {"role": "supervisor"}).json()
    sam.post("/api/v1/care-team/join", {"code": invited["code"]})
    person.post(f"/api/v1/people/{person.id}/care-team/{invited['id']}/accept")
    assert sam.put("/api/v1/me/pin", {"pin": "246813"}).status_code == 204
    wrong = CliRunner().invoke(app, args, input=f"{PASSWORD}\nn\ny\n3\ny\n1\n111111\n", env=env)
    assert wrong.exit_code == 2
    assert "is not Sam's PIN" in wrong.output
    # password, no warning sign, a wall, pain 3, Sam is here: Sam (1) types the PIN, pain 2, effort 2
    answers = f"{PASSWORD}\nn\ny\n3\ny\n1\n246813\n2\n2\n"
    result = CliRunner().invoke(app, args, input=answers, env=env)
    assert result.exit_code == 0, result.output
    assert "246813" not in result.output, "the PIN is not echoed"
    latest = person.get(f"/api/v1/people/{person.id}/sessions").json()["items"][0]
    assert (latest["supervised_by_name"], latest["supervision_method"]) == ("Sam", "pin")


def test_bumpwell_report_writes_the_one_page_pdf(wiring: Wiring, clock: Clock, tmp_path: Path) -> None:
    clock.now = datetime.now(UTC)
    person = sign_up(wiring, "person", "Ana")
    due = wiring.today() + timedelta(weeks=17)
    person.put(f"/api/v1/people/{person.id}/profile", {**PROFILE, "due_date": due.isoformat()})
    person.post(f"/api/v1/people/{person.id}/check-ins", CHECK_IN)
    env = {"BUMPWELL_DATABASE_URL": wiring.settings.database_url, "BUMPWELL_ARGON2_MEMORY_KIB": "64"}
    out = tmp_path / "report.pdf"
    args = ["report", "ana.person@example.org", "--out", str(out), "--password-stdin"]
    result = CliRunner().invoke(app, args, input=f"{PASSWORD}\n", env=env)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    wrong = CliRunner().invoke(app, args, input="not the password\n", env=env)
    assert wrong.exit_code == 2
    assert "error:" in wrong.output


def test_the_report_downloads_for_the_person_and_the_api(wiring: Wiring, clock: Clock) -> None:
    person = sign_up(wiring, "person", "Ana")
    person.put(f"/api/v1/people/{person.id}/profile", PROFILE)
    person.post(f"/api/v1/people/{person.id}/check-ins", CHECK_IN)
    api = person.get(f"/api/v1/people/{person.id}/report.pdf")
    assert api.status_code == 200
    assert api.headers["content-type"] == "application/pdf"
    page = person.get("/report.pdf")
    assert page.content.startswith(b"%PDF")
    assert 'href="/report.pdf"' in person.get("/progress").text


def test_the_fhir_export_is_a_bundle_with_the_persons_pain_scores(wiring: Wiring) -> None:
    person = sign_up(wiring, "person", "Ana")
    person.put(f"/api/v1/people/{person.id}/profile", PROFILE)
    person.post(f"/api/v1/people/{person.id}/diary", {"day": "2027-01-10", "pain": 4})
    person.post(f"/api/v1/people/{person.id}/check-ins", CHECK_IN)
    response = person.get(f"/api/v1/people/{person.id}/fhir.json")
    assert response.headers["content-type"] == "application/fhir+json"
    bundle = response.json()
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("Patient") == 1
    assert kinds.count("CarePlan") == 1
    pain = [e["resource"] for e in bundle["entry"] if e["resource"].get("valueInteger") is not None]
    assert [p["valueInteger"] for p in pain] == [4]
    again = person.get(f"/api/v1/people/{person.id}/fhir.json").json()
    assert [e["fullUrl"] for e in again["entry"]] == [e["fullUrl"] for e in bundle["entry"]]


def test_the_calendar_feed_lives_at_a_secret_address_that_can_be_revoked(wiring: Wiring) -> None:
    person = sign_up(wiring, "person", "Ana")
    person.put(f"/api/v1/people/{person.id}/profile", PROFILE)
    person.post(f"/api/v1/people/{person.id}/check-ins", CHECK_IN)
    one_off = person.get(f"/api/v1/people/{person.id}/plan.ics")
    assert one_off.headers["content-type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in one_off.content
    first = person.post(f"/api/v1/people/{person.id}/calendar-feed").json()["url"]
    secret = first.rsplit("/", 1)[1].removesuffix(".ics")
    assert len(secret) >= 43  # 256 random bits, url-safe base64
    anyone = TestClient(create_app(wiring))
    feed = anyone.get(f"/calendar/{secret}.ics")
    assert feed.status_code == 200
    assert Calendar.from_ical(feed.content).walk("VEVENT")
    second = person.post(f"/api/v1/people/{person.id}/calendar-feed").json()["url"]
    assert second != first
    assert anyone.get(f"/calendar/{secret}.ics").status_code == 404
    assert person.delete(f"/api/v1/people/{person.id}/calendar-feed").status_code == 204
    assert anyone.get("/calendar/" + second.rsplit("/", 1)[1]).status_code == 404
