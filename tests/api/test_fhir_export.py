"""The FHIR export through the API on a real database: weeks of check-ins with the server's clock moved, a red
flag a clinician closed, the transaction form, and ids that do not depend on the server's public address."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from fastapi.testclient import TestClient

from bumpwell.bootstrap import Wiring, wire
from bumpwell.web.app import create_app
from tests.api.conftest import CHECK_IN, Clock, User
from tests.api.test_care_work import BLEEDING, team, url


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _three_weeks(ana: User, cleo: User, clock: Clock) -> None:
    """A red flag closed by Cleo, a second check-in the same day, a week later another, and six days after that."""
    flag_check_in = ana.post(url(ana, "/check-ins"), BLEEDING).json()
    flag = ana.get(url(ana, "/red-flags")).json()["items"][0]
    assert flag["source_id"] == flag_check_in["id"]
    assert (
        cleo.post(url(ana, f"/red-flags/{flag['id']}/close"), {"note": "Seen in triage, all well."}).status_code == 200
    )
    clock.advance(hours=3)
    assert ana.post(url(ana, "/check-ins"), CHECK_IN).status_code == 201
    for days in (7, 6):  # within the 14 days a login lasts
        clock.advance(days=days)
        assert ana.post(url(ana, "/check-ins"), CHECK_IN).status_code == 201


def test_weeks_of_plans_export_one_active_care_plan_and_a_closed_flag_names_its_clinician(
    wiring: Wiring, clock: Clock
) -> None:
    ana, _sam, cleo = team(wiring)
    _three_weeks(ana, cleo, clock)
    response = cleo.get(url(ana, "/fhir.json"), params={"type": "transaction"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/fhir+json"
    assert "transaction" in response.headers["content-disposition"]
    bundle = response.json()
    assert bundle["type"] == "transaction"
    plans = _resources(bundle, "CarePlan")
    statuses = [p["status"] for p in plans]
    assert statuses.count("active") == 1
    assert statuses[-1] == "active"
    assert "revoked" in statuses  # the plans replaced the same week (the check-in after the red flag, then onboarding)
    assert "completed" in statuses  # and those whose week ended first
    (flag,) = _resources(bundle, "Flag")
    (clinician,) = _resources(bundle, "Practitioner")
    assert flag["status"] == "inactive"
    assert clinician["identifier"][0]["value"] == cleo.id
    closed_by = next(e for e in flag["extension"] if e["url"].endswith("/flag-closed-by"))
    assert closed_by["valueReference"]["display"] == "Cleo"
    assert all(e["request"]["method"] == "PUT" and "?identifier=" in e["request"]["url"] for e in bundle["entry"])
    (patient,) = _resources(bundle, "Patient")  # her identifiers from sign-up
    assert patient["name"] == [{"use": "official", "text": "Ana Silva", "given": ["Ana"], "family": "Silva"}]
    assert patient["birthDate"] == "1994-03-03"
    (status,) = [o for o in _resources(bundle, "Observation") if o["code"]["coding"][0]["code"] == "82810-3"]
    assert status["valueCodeableConcept"]["coding"][0]["code"] == "77386006"


def test_the_export_is_the_same_whatever_the_servers_public_address(wiring: Wiring, clock: Clock) -> None:
    ana, _sam, cleo = team(wiring)
    _three_weeks(ana, cleo, clock)
    here = cleo.get(url(ana, "/fhir.json")).content
    moved = wire(replace(wiring.settings, public_url="https://bumpwell.other-hospital.example"), clock=clock)
    try:
        other = TestClient(create_app(moved), base_url="http://testserver", cookies=dict(cleo.client.cookies))
        there = other.get(url(ana, "/fhir.json"), headers=cleo.headers)
        assert there.status_code == 200, there.text
        assert there.content == here
    finally:
        moved.engine.dispose()
    assert b"other-hospital" not in here
    assert all(e["fullUrl"].startswith("urn:uuid:") for e in json.loads(here)["entry"])


def test_an_unknown_bundle_type_is_a_problem_naming_the_field(wiring: Wiring) -> None:
    ana, _sam, _cleo = team(wiring)
    response = ana.get(url(ana, "/fhir.json"), params={"type": "batch"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "type" in response.json()["errors"][0]["field"]
