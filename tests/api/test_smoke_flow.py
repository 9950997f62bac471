"""A person's first week through the API, end to end on a real database."""

from __future__ import annotations

from bumpwell.bootstrap import Wiring
from tests.api.conftest import Clock, User, onboard


def test_a_person_checks_in_gets_a_plan_does_a_session_and_writes_the_diary(person: User, clock: Clock) -> None:
    check_in = onboard(person)
    assert check_in["triage"] == "ok_to_exercise"
    plan = person.get(f"/api/v1/people/{person.id}/plan").json()
    first = plan["plan"]["sessions"][0]
    started = person.post(
        f"/api/v1/people/{person.id}/sessions", {"day": first["day"], "pain_before": 3, "supervision": {"alone": True}}
    )
    assert started.status_code == 201, started.text
    session = started.json()
    assert [i["exercise"] for i in session["items"]] == [i["exercise"] for i in first["items"]]
    logged = person.post(
        f"/api/v1/people/{person.id}/sessions/{session['id']}/progress", {"position": 0, "status": "done", "pain": 3}
    )
    assert logged.status_code == 200, logged.text
    done = person.post(
        f"/api/v1/people/{person.id}/sessions/{session['id']}/complete",
        {"pain_after": 3, "effort": "can_talk_not_sing"},
    )
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "completed"
    assert done.json()["easier_next_time"] == []
    diary = person.post(f"/api/v1/people/{person.id}/diary", {"day": "2027-01-11", "pain": 3, "note": "better"})
    assert diary.status_code == 201, diary.text
    again = person.post(f"/api/v1/people/{person.id}/diary", {"day": "2027-01-11", "pain": 2})
    assert again.status_code == 200
    page = person.get(f"/api/v1/people/{person.id}/diary").json()
    assert page["total"] == 1
    assert page["items"][0]["pain"] == 2
    clock.advance(days=1)
    progress = person.get(f"/api/v1/people/{person.id}/progress").json()
    assert progress["weeks"][-1]["sessions_completed"] == 1


def test_the_interactive_docs_and_the_schema_are_served_without_a_cdn(app_client, wiring: Wiring) -> None:  # type: ignore[no-untyped-def]
    schema = app_client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    page = app_client.get("/api/v1/docs").text
    assert "https://" not in page
    assert app_client.get("/api/v1/docs/static/swagger-ui-bundle.js").status_code == 200
