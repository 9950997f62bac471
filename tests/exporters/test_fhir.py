"""The FHIR R4 Bundle: golden files, structure read by fhir.resources' R4B models, codes, references, stable ids,
the transaction form and what a maternity record needs.

fhir.resources validates structure and data types but not code values, so the codes are checked here by hand;
the official R4 JSON schema and Medplum's validator and server engine check it in test_fhir_validators.py.
Regenerate the golden files after an intended change with: BUMPWELL_REGENERATE_GOLDEN=1 pytest tests/exporters
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from bumpwell.exporters import fhir_codes
from bumpwell.exporters.fhir import fhir_bundle
from bumpwell.exporters.read_model import DiaryDay, PersonStory, RedFlagSummary

GOLDEN = Path(__file__).parent / "golden"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "exports.md"
CANON = "https://bumpwell.org/fhir"
LOINC = "http://loinc.org"
HL7 = "http://terminology.hl7.org/CodeSystem"
PAIN_CODING = {"system": LOINC, "code": "72514-3",
               "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported"}  # fmt: skip
SURVEY = {"system": f"{HL7}/observation-category", "code": "survey", "display": "Survey"}
TRIAGE = {"emergency", "urgent_same_day", "contact_within_24h", "discuss_at_next_visit", "ok_to_exercise"}
CLOSED_BY = f"{CANON}/StructureDefinition/flag-closed-by"
FLAG_DETAIL = "http://hl7.org/fhir/StructureDefinition/flag-detail"


def _bundle(story: PersonStory, kind: str = "collection") -> dict[str, Any]:
    bundle: dict[str, Any] = json.loads(fhir_bundle(story, kind))  # type: ignore[arg-type]
    return bundle


def _entries(story: PersonStory) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = _bundle(story)["entry"]
    return entries


def _resources(story: PersonStory, kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in _entries(story) if e["resource"]["resourceType"] == kind]


def _by_code(story: PersonStory, code: str) -> list[dict[str, Any]]:
    return [o for o in _resources(story, "Observation") if o["code"]["coding"][0]["code"] == code]


def _walk(value: Any) -> list[tuple[str, Any]]:
    """Every (key, value) pair in a JSON tree, depth first."""
    if isinstance(value, dict):
        return [pair for k, v in value.items() for pair in [(k, v), *_walk(v)]]
    if isinstance(value, list):
        return [pair for v in value for pair in _walk(v)]
    return []


def _ids(story: PersonStory) -> set[str]:
    return {e["fullUrl"] for e in _entries(story)}


@pytest.mark.parametrize("kind", ["collection", "transaction"])
def test_the_bundle_matches_its_golden_file_byte_for_byte(story: PersonStory, kind: str) -> None:
    data = fhir_bundle(story, kind)  # type: ignore[arg-type]
    golden = GOLDEN / f"fhir-{kind}.json"
    if os.environ.get("BUMPWELL_REGENERATE_GOLDEN") == "1":
        golden.write_bytes(data)
    assert golden.exists(), f"{golden} is missing; create it with BUMPWELL_REGENERATE_GOLDEN=1 pytest {__file__}"
    assert data == golden.read_bytes(), (
        f"fhir_bundle(story, {kind!r}) differs from {golden}. If the change is intended, regenerate it with "
        f"BUMPWELL_REGENERATE_GOLDEN=1 pytest {__file__} and review the diff before committing."
    )


def test_the_json_is_deterministic_sorted_indented_and_ends_with_a_newline(story: PersonStory) -> None:
    data = fhir_bundle(story)
    assert data == fhir_bundle(story)
    assert data.endswith(b"}\n")
    assert data == (json.dumps(json.loads(data), sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()


@pytest.mark.parametrize("kind", ["collection", "transaction"])
def test_fhir_resources_reads_the_bundle_with_the_expected_resources(story: PersonStory, kind: str) -> None:
    bundle = Bundle.model_validate_json(fhir_bundle(story, kind))  # type: ignore[arg-type]
    assert bundle.type == kind
    assert bundle.timestamp is not None
    assert bundle.timestamp.isoformat() == "2027-02-15T09:30:00+00:00"
    assert bundle.entry is not None
    kinds = Counter(e.resource.__resource_type__ for e in bundle.entry if e.resource is not None)
    # 21 diary days, 3 check-ins, pregnancy status and due date, 18 sessions' pain before and after (36)
    assert kinds == Counter({"Patient": 1, "Practitioner": 1, "Observation": 62, "Condition": 1, "CarePlan": 4,
                             "Procedure": 18, "Flag": 1})  # fmt: skip


def test_every_resource_has_a_generated_xhtml_narrative_in_plain_words(story: PersonStory) -> None:
    for entry in _entries(story):
        text = entry["resource"]["text"]
        assert text["status"] == "generated"
        assert text["div"].startswith('<div xmlns="http://www.w3.org/1999/xhtml"><p>')
        assert len(re.sub("<[^>]+>", "", text["div"])) > 10
    (patient,) = _resources(story, "Patient")
    assert "Ana Sofia Lindqvist, born 2 Jun 1994 · MRN RX4471." in patient["text"]["div"]


def test_every_pain_observation_is_a_loinc_0_to_10_survey_score_of_a_diary_day(story: PersonStory) -> None:
    diary = [o for o in _by_code(story, "72514-3") if "partOf" not in o]
    assert [o["effectiveDateTime"] for o in diary] == [d.day.isoformat() for d in story.diary]
    assert [o["valueInteger"] for o in diary] == [d.pain for d in story.diary]
    for obs in diary:
        assert obs["code"]["coding"] == [PAIN_CODING]
        assert obs["status"] == "final"
        assert obs["category"][0]["coding"] == [SURVEY]
        assert 0 <= obs["valueInteger"] <= 10


def test_check_in_observations_carry_triage_decision_pattern_pain_and_cited_reasons(story: PersonStory) -> None:
    check_ins = _by_code(story, "check-in")
    assert [o["effectiveDateTime"] for o in check_ins] == ["2027-01-04T08:00:00Z", "2027-01-25T08:00:00Z",
                                                           "2027-02-15T08:00:00Z"]  # fmt: skip
    for obs, summary in zip(check_ins, story.check_ins, strict=True):
        triage = obs["valueCodeableConcept"]["coding"][0]
        assert triage["system"] == f"{CANON}/CodeSystem/triage"
        assert triage["code"] == summary.triage
        assert triage["code"] in TRIAGE
        values = [c["valueCodeableConcept"]["coding"][0]["code"] for c in obs["component"][:2]]
        assert values == [summary.exercise, summary.pattern]
        assert obs["component"][2]["code"]["coding"] == [PAIN_CODING]
        assert obs["component"][2]["valueInteger"] == summary.pain_now
        notes = " ".join(n["text"] for n in obs["note"])
        for reason in summary.reasons:
            assert f"Rule {reason.rule}:" in notes
            assert reason.source in notes


def test_pregnancy_status_is_loinc_82810_3_pregnant_with_the_estimated_delivery_date_as_its_member(
    story: PersonStory,
) -> None:
    (status,) = _by_code(story, "82810-3")
    (due,) = _by_code(story, "11778-8")
    assert status["valueCodeableConcept"]["coding"] == [
        {"system": "http://snomed.info/sct", "code": "77386006", "display": "Pregnant"}
    ]
    assert status["hasMember"] == [{"reference": f"urn:uuid:{due['id']}"}]
    assert due["valueDateTime"] == "2027-04-30"
    assert due["code"]["coding"] == [{"system": LOINC, "code": "11778-8", "display": "Delivery date Estimated"}]
    assert status["effectiveDateTime"] == due["effectiveDateTime"] == "2027-01-04T07:45:00Z"  # when she said so


def test_after_the_birth_the_status_says_not_pregnant_and_the_delivery_date_is_loinc_93857_1(
    story: PersonStory,
) -> None:
    after = replace(story, status="postpartum", birth_date=date(2027, 4, 26))
    (status,) = _by_code(after, "82810-3")
    (born,) = _by_code(after, "93857-1")
    assert status["valueCodeableConcept"] == {"text": "Not pregnant: after the birth"}  # no unverified SNOMED code
    assert born["valueDateTime"] == "2027-04-26"
    assert status["id"] == _by_code(story, "82810-3")[0]["id"]  # the same Observation, updated


def test_the_patient_has_name_parts_birth_date_hospital_number_and_phone_but_no_gender(story: PersonStory) -> None:
    (patient,) = _resources(story, "Patient")
    assert patient["name"] == [{"use": "official", "text": "Ana Sofia Lindqvist", "family": "Lindqvist",
                               "given": ["Ana", "Sofia"]}]  # fmt: skip
    assert patient["birthDate"] == "1994-06-02"
    assert patient["identifier"][0] == {"system": f"{CANON}/identifier/person", "value": story.person_id}
    hospital = patient["identifier"][1]
    assert (hospital["system"], hospital["value"]) == (f"{CANON}/identifier/hospital-number", "RX4471")
    assert hospital["type"]["coding"] == [
        {"system": f"{HL7}/v2-0203", "code": "MR", "display": "Medical record number"}
    ]
    assert patient["telecom"] == [{"system": "phone", "value": "+44 7700 900123", "use": "mobile"}]
    assert "gender" not in patient
    bare = replace(story, given_name=None, family_name=None, date_of_birth=None, hospital_number=None, phone=None)
    (plain,) = _resources(bare, "Patient")
    assert plain["name"] == [{"use": "official", "text": "Ana"}]  # a display name is not a given name
    assert {"birthDate", "telecom"}.isdisjoint(plain)


def test_a_screened_contraindication_is_a_condition_cleared_by_a_practitioner_until_a_date(story: PersonStory) -> None:
    (condition,) = _resources(story, "Condition")
    (clinician,) = _resources(story, "Practitioner")
    assert condition["code"]["coding"] == [{"system": f"{CANON}/CodeSystem/rule", "code": "CI-R01", "display": "Twins"}]
    assert condition["clinicalStatus"]["coding"][0]["code"] == "active"
    assert condition["recordedDate"] == "2027-01-04T07:50:00Z"
    (note,) = condition["note"]
    assert note["authorReference"] == {"reference": f"urn:uuid:{clinician['id']}", "display": "Dr Mara Lind"}
    assert note["time"] == "2027-01-05T10:00:00Z"
    assert note["text"] == ("Cleared for exercise by Dr Mara Lind on 5 Jan 2027, at most 30 min a session, only: "
                            "walking, pelvic-floor, until 31 Mar 2027.")  # fmt: skip
    (clearance,) = condition["extension"]
    parts = {p["url"]: p for p in clearance["extension"]}
    assert clearance["url"] == f"{CANON}/StructureDefinition/exercise-clearance"
    assert parts["until"]["valueDate"] == "2027-03-31"
    assert parts["maxMinutes"]["valueQuantity"] == {"value": 30, "unit": "min", "system": "http://unitsofmeasure.org",
                                                    "code": "min"}  # fmt: skip
    assert clinician["identifier"] == [
        {"system": f"{CANON}/identifier/user", "value": story.conditions[0].cleared_by_id}
    ]
    uncleared = replace(story.conditions[0], cleared_by=None, cleared_by_id=None, cleared_at=None, until=None)
    (open_condition,) = _resources(replace(story, conditions=(uncleared,)), "Condition")
    assert open_condition["note"] == [{"text": "No clinician has cleared her to exercise with it."}]
    assert "extension" not in open_condition


def test_the_current_plan_is_active_and_the_plans_it_replaced_are_revoked_or_completed(story: PersonStory) -> None:
    plans = _resources(story, "CarePlan")
    assert [(p["period"]["start"], p["status"]) for p in plans] == [
        ("2027-02-01", "completed"), ("2027-02-08", "revoked"), ("2027-02-08", "completed"), ("2027-02-15", "active")
    ]  # fmt: skip
    assert sum(p["status"] == "active" for p in plans) == 1
    assert {a["detail"]["status"] for a in plans[1]["activity"]} == {"cancelled"}
    current = plans[-1]
    activities = [a["detail"] for a in current["activity"]]
    assert len(activities) == sum(len(s.items) for s in story.plan) == 13
    assert {a["status"] for a in activities} == {"scheduled"}
    assert activities[1]["code"]["text"] == "Walking, 15 min"
    assert activities[1]["scheduledPeriod"] == {"start": "2027-02-15", "end": "2027-02-15"}
    assert "supervision required" in activities[1]["description"]
    assert current["note"][1]["text"].startswith("Dr Mara Lind took out Shallow wall squat")


def test_each_ended_session_is_a_procedure_with_its_pain_before_and_after_and_her_note(story: PersonStory) -> None:
    procedures = _resources(story, "Procedure")
    assert len(procedures) == len(story.ended()) == 18
    assert Counter(p["status"] for p in procedures) == Counter({"completed": 17, "stopped": 1})
    (stopped,) = [p for p in procedures if p["status"] == "stopped"]
    assert stopped["statusReason"]["coding"] == [{"system": f"{CANON}/CodeSystem/session-stop-reason",
                                                  "code": "tired", "display": "Tired"}]  # fmt: skip
    assert stopped["note"][0] == {"text": "Her note when she stopped: Too tired after work"}
    assert stopped["performedPeriod"] == {"start": "2027-01-22T18:00:00Z", "end": "2027-01-22T18:09:00Z"}
    pains = [o for o in _by_code(story, "72514-3") if o.get("partOf") == [{"reference": f"urn:uuid:{stopped['id']}"}]]
    assert [(o["effectiveDateTime"], o["valueInteger"]) for o in pains] == [("2027-01-22T18:00:00Z", 4),
                                                                            ("2027-01-22T18:09:00Z", 3)]  # fmt: skip
    in_bundle = {f"urn:uuid:{p['id']}" for p in _resources(story, "CarePlan")}
    assert all(ref["reference"] in in_bundle for p in procedures for ref in p.get("basedOn", []))


def test_a_red_flag_is_coded_by_what_it_is_about_and_once_closed_is_inactive_naming_who_closed_it(
    story: PersonStory,
) -> None:
    (flag,) = _resources(story, "Flag")
    (clinician,) = _resources(story, "Practitioner")
    assert flag["status"] == "inactive"
    assert flag["code"] == {"coding": [{"system": f"{CANON}/CodeSystem/rule", "code": "RF-U01",
                                        "display": "Spotting or light bleeding in pregnancy"}],
                            "text": "Spotting or light bleeding in pregnancy"}  # fmt: skip
    assert "Contact your midwife" not in json.dumps(flag["code"])  # the advice is not what the flag is about
    assert flag["period"] == {"start": "2027-01-25T08:00:00Z", "end": "2027-01-25T11:30:00Z"}
    assert flag["identifier"] == [{"system": f"{CANON}/identifier/red-flag", "value": "f1"}]
    extensions = {e["url"]: e for e in flag["extension"]}
    assert extensions[CLOSED_BY]["valueReference"] == {"reference": f"urn:uuid:{clinician['id']}",
                                                       "display": "Dr Mara Lind"}  # fmt: skip
    note = extensions[f"{CANON}/StructureDefinition/flag-close-note"]["valueString"]
    assert note.startswith("Phoned her; seen at the maternity unit")
    (check_in,) = [o for o in _by_code(story, "check-in") if o["identifier"][0]["value"] == "c2"]
    assert extensions[FLAG_DETAIL]["valueReference"] == {"reference": f"urn:uuid:{check_in['id']}"}


def test_an_open_red_flag_is_an_active_flag_without_an_end_and_closing_it_keeps_its_id(story: PersonStory) -> None:
    still_open = replace(story.red_flags[0], closed_at=None, closed_by=None, close_note=None, closed_by_id=None)
    (flag,) = _resources(replace(story, red_flags=(still_open,)), "Flag")
    (closed,) = _resources(story, "Flag")
    assert flag["status"] == "active"
    assert flag["period"] == {"start": "2027-01-25T08:00:00Z"}
    assert [e["url"] for e in flag["extension"]] == [FLAG_DETAIL]
    assert flag["id"] == closed["id"] == str(uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL, CANON),
                                                        f"red-flag:{story.person_id}/f1"))  # fmt: skip


def test_a_session_stopped_for_a_warning_sign_is_a_flag_coded_as_such_pointing_to_its_procedure(
    story: PersonStory,
) -> None:
    stopped = RedFlagSummary(
        "f2", "session_stopped", "s24", datetime(2027, 1, 22, 18, 9, tzinfo=UTC), None, (), None, None, None, None
    )
    later = replace(story, red_flags=(*story.red_flags, stopped))
    flags = _resources(later, "Flag")
    assert [f["status"] for f in flags] == ["inactive", "active"]
    assert flags[1]["code"]["coding"] == [{"system": f"{CANON}/CodeSystem/flag", "code": "session-stopped",
                                           "display": "Session stopped for a warning sign"}]  # fmt: skip
    (procedure,) = [p for p in _resources(later, "Procedure") if p["identifier"][0]["value"] == "s24"]
    assert flags[1]["extension"] == [
        {"url": FLAG_DETAIL, "valueReference": {"reference": f"urn:uuid:{procedure['id']}"}}
    ]


def test_no_red_flag_means_no_flag_even_after_an_urgent_check_in(story: PersonStory) -> None:
    assert _resources(replace(story, red_flags=()), "Flag") == []


def test_every_reference_points_to_an_entry_of_the_bundle(story: PersonStory) -> None:
    entries = _entries(story)
    full_urls = [e["fullUrl"] for e in entries]
    assert len(set(full_urls)) == len(full_urls)
    assert all(e["fullUrl"] == f"urn:uuid:{e['resource']['id']}" for e in entries)
    references = {v for k, v in _walk(entries) if k == "reference"}
    assert references <= set(full_urls)


def test_the_transaction_puts_each_resource_conditionally_on_its_identifier_without_an_id(story: PersonStory) -> None:
    collection, transaction = _bundle(story)["entry"], _bundle(story, "transaction")["entry"]
    assert [e["fullUrl"] for e in transaction] == [e["fullUrl"] for e in collection]
    for entry, plain in zip(transaction, collection, strict=True):
        resource = entry["resource"]
        first = resource["identifier"][0]
        assert entry["request"] == {
            "method": "PUT",
            "url": f"{resource['resourceType']}?identifier={first['system']}|{first['value']}",
        }
        assert "id" not in resource
        assert resource == {k: v for k, v in plain["resource"].items() if k != "id"}
    urls = [e["request"]["url"] for e in transaction]
    assert len(set(urls)) == len(urls)  # no two entries match the same resource


def test_ids_are_uuid5_and_a_re_export_gives_the_same_ids(story: PersonStory) -> None:
    assert all(uuid.UUID(url.removeprefix("urn:uuid:")).version == 5 for url in _ids(story))
    assert [e["fullUrl"] for e in _entries(story)] == [e["fullUrl"] for e in _entries(story)]


def test_one_more_diary_day_adds_one_resource_and_keeps_every_other_id(story: PersonStory) -> None:
    later = replace(story, diary=(*story.diary, DiaryDay("d21", date(2027, 2, 16), 1)))
    before, after = _ids(story), _ids(later)
    assert before < after
    assert len(after - before) == 1


def test_every_bumpwell_url_is_a_documented_fixed_canonical_one(story: PersonStory) -> None:
    urls = {v for k, v in _walk(_bundle(story, "transaction")) if k in ("system", "url") and CANON in v}
    urls = {u.split("?identifier=")[-1].split("|")[0] for u in urls}
    documented = DOCS.read_text()
    assert urls, "the bundle names bumpwell systems"
    for url in sorted(urls):
        prefix, name = url.removeprefix(f"{CANON}/").split("/")
        assert prefix in ("CodeSystem", "StructureDefinition", "identifier"), url
        assert f"{CANON}/{prefix}/<" in documented, f"{CANON}/{prefix}/... is not described in docs/exports.md"
        assert f"`{name}`" in documented, f"{url} is not listed in docs/exports.md"
    names = [*fhir_codes.CODE_SYSTEMS, *fhir_codes.EXTENSIONS, *fhir_codes.IDENTIFIERS]
    assert all(f"`{name}`" in documented for name in names)


def test_no_text_speaks_of_a_diagnosis_and_no_value_is_empty(story: PersonStory) -> None:
    assert b"diagnos" not in fhir_bundle(story).lower()
    quiet = tuple(replace(c, reasons=(), actions=(), pain_now=None) for c in story.check_ins)
    bare = replace(story, plan=(), plan_id=None, plan_week_start=None, conditions=(), earlier_plans=(), sessions=(),
                   check_ins=quiet)  # fmt: skip
    data = fhir_bundle(bare)
    Bundle.model_validate_json(data)
    assert _resources(bare, "CarePlan") == []
    for value in (json.loads(data), _bundle(story), _bundle(story, "transaction")):
        assert all(v not in ([], {}, "", None) for _k, v in _walk(value))
