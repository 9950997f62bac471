"""The FHIR R4 Bundle: golden file, structure read by fhir.resources' R4B models, code values, references, stable ids.

fhir.resources validates structure and data types but not code values, so the codes are checked here by hand.
Regenerate the golden file after an intended change with: BUMPWELL_REGENERATE_GOLDEN=1 pytest tests/exporters
"""

from __future__ import annotations

import json
import os
import uuid
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from bumpwell.exporters.fhir import fhir_bundle
from bumpwell.exporters.read_model import DiaryDay, PersonStory, RedFlagSummary

GOLDEN = Path(__file__).parent / "golden" / "fhir-bundle.json"
LOINC = "http://loinc.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
PAIN_CODING = {"system": LOINC, "code": "72514-3", "display": PAIN_DISPLAY}
SURVEY = {"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}
TRIAGE = {"emergency", "urgent_same_day", "contact_within_24h", "discuss_at_next_visit", "ok_to_exercise"}


def _entries(story: PersonStory) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(fhir_bundle(story))["entry"]
    return entries


def _resources(story: PersonStory, kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in _entries(story) if e["resource"]["resourceType"] == kind]


def _is_pain(resource: dict[str, Any]) -> bool:
    return resource["resourceType"] == "Observation" and resource["code"]["coding"][0]["system"] == LOINC


def _walk(value: Any) -> list[tuple[str, Any]]:
    """Every (key, value) pair in a JSON tree, depth first."""
    if isinstance(value, dict):
        return [pair for k, v in value.items() for pair in [(k, v), *_walk(v)]]
    if isinstance(value, list):
        return [pair for v in value for pair in _walk(v)]
    return []


def _ids(story: PersonStory) -> set[str]:
    return {e["fullUrl"] for e in _entries(story)}


def test_the_bundle_matches_the_golden_file_byte_for_byte(story: PersonStory) -> None:
    data = fhir_bundle(story)
    if os.environ.get("BUMPWELL_REGENERATE_GOLDEN") == "1":
        GOLDEN.write_bytes(data)
    assert GOLDEN.exists(), f"{GOLDEN} is missing; create it with BUMPWELL_REGENERATE_GOLDEN=1 pytest {__file__}"
    assert data == GOLDEN.read_bytes(), (
        f"fhir_bundle(story) differs from {GOLDEN}. If the change is intended, regenerate it with "
        f"BUMPWELL_REGENERATE_GOLDEN=1 pytest {__file__} and review the diff before committing."
    )


def test_the_json_is_deterministic_sorted_indented_and_ends_with_a_newline(story: PersonStory) -> None:
    data = fhir_bundle(story)
    assert data == fhir_bundle(story)
    assert data.endswith(b"}\n")
    assert data == (json.dumps(json.loads(data), sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode()


def test_fhir_resources_reads_the_bundle_with_the_expected_resources(story: PersonStory) -> None:
    bundle = Bundle.model_validate_json(fhir_bundle(story))
    assert bundle.type == "collection"
    assert bundle.timestamp is not None
    assert bundle.timestamp.isoformat() == "2027-02-15T09:30:00+00:00"
    assert bundle.entry is not None
    kinds = Counter(e.resource.__resource_type__ for e in bundle.entry if e.resource is not None)
    assert kinds == Counter({"Patient": 1, "Observation": 24, "CarePlan": 1, "Flag": 1})
    observations = _resources(story, "Observation")
    assert sum(1 for o in observations if _is_pain(o)) == 21
    assert sum(1 for o in observations if o["code"]["text"] == "bumpwell check-in") == 3


def test_every_pain_observation_is_a_loinc_0_to_10_survey_score_of_a_diary_day(story: PersonStory) -> None:
    pains = [o for o in _resources(story, "Observation") if _is_pain(o)]
    assert [o["effectiveDateTime"] for o in pains] == [d.day.isoformat() for d in story.diary]
    assert [o["valueInteger"] for o in pains] == [d.pain for d in story.diary]
    for obs in pains:
        assert obs["code"]["coding"] == [PAIN_CODING]
        assert obs["status"] == "final"
        assert obs["category"] == [{"coding": [SURVEY]}]
        assert isinstance(obs["valueInteger"], int)
        assert 0 <= obs["valueInteger"] <= 10


def test_check_in_observations_carry_triage_decision_pattern_pain_and_cited_reasons(story: PersonStory) -> None:
    check_ins = [o for o in _resources(story, "Observation") if not _is_pain(o)]
    assert [o["effectiveDateTime"] for o in check_ins] == ["2027-01-04T08:00:00Z", "2027-01-25T08:00:00Z",
                                                           "2027-02-15T08:00:00Z"]  # fmt: skip
    for obs, summary in zip(check_ins, story.check_ins, strict=True):
        triage = obs["valueCodeableConcept"]["coding"][0]
        assert triage["system"] == "https://bumpwell.invalid/fhir/CodeSystem/triage"
        assert triage["code"] == summary.triage
        assert triage["code"] in TRIAGE
        values = [c["valueCodeableConcept"]["coding"][0]["code"] for c in obs["component"][:2]]
        assert values == [summary.exercise, summary.pattern]
        assert obs["category"] == [{"coding": [SURVEY]}]
        assert obs["component"][2]["code"]["coding"] == [PAIN_CODING]
        assert obs["component"][2]["valueInteger"] == summary.pain_now
        notes = " ".join(n["text"] for n in obs["note"])
        for reason in summary.reasons:
            assert f"Rule {reason.rule}:" in notes
            assert reason.source in notes


def test_the_care_plan_schedules_each_planned_exercise_in_the_plan_week(story: PersonStory) -> None:
    (plan,) = _resources(story, "CarePlan")
    assert (plan["status"], plan["intent"]) == ("active", "plan")
    assert plan["period"] == {"start": "2027-02-15", "end": "2027-02-21"}
    activities = [a["detail"] for a in plan["activity"]]
    assert len(activities) == sum(len(s.items) for s in story.plan) == 13
    assert {a["status"] for a in activities} == {"scheduled"}
    assert activities[1]["code"]["text"] == "Walking, 15 min"
    assert activities[1]["scheduledPeriod"] == {"start": "2027-02-15", "end": "2027-02-15"}
    assert "supervision required" in activities[1]["description"]
    assert "can be done alone" in activities[4]["description"]
    assert plan["note"] == [
        {
            "text": "Cleared by Dr Mara Lind on 2027-01-05 for exercise with Twins (CI-R01), max 30 min a session, "
            "allowed: walking, pelvic-floor, until 2027-03-31."
        },
        {
            "text": "Dr Mara Lind took out Shallow wall squat (wall-squat-shallow) on 2027-02-10. Reason: Pubic pain "
            "on squats; leave them out until I see her on 1 March."
        },
    ]


def test_a_red_flag_a_clinician_closed_is_an_inactive_flag_whose_period_ends_when_it_was_closed(
    story: PersonStory,
) -> None:
    (flag,) = _resources(story, "Flag")
    assert flag["status"] == "inactive"
    assert flag["category"][0]["coding"] == [{"system": FLAG_CATEGORY, "code": "clinical", "display": "Clinical"}]
    assert flag["code"]["text"] == "Contact your midwife or maternity unit within 24 hours."
    assert flag["code"]["coding"] == [
        {
            "system": "https://bumpwell.invalid/fhir/CodeSystem/rule",
            "code": "RF-U01",
            "display": "Spotting or light bleeding in pregnancy",
        }
    ]
    assert flag["period"] == {"start": "2027-01-25T08:00:00Z", "end": "2027-01-25T11:30:00Z"}
    assert flag["identifier"] == [{"system": "https://bumpwell.invalid/fhir/red-flag", "value": "f1"}]
    extensions = {e["url"]: e for e in flag["extension"]}
    assert extensions["https://bumpwell.invalid/fhir/StructureDefinition/flag-closed-by"]["valueString"] == (
        "Dr Mara Lind"
    )
    note = extensions["https://bumpwell.invalid/fhir/StructureDefinition/flag-close-note"]["valueString"]
    assert note.startswith("Phoned her; seen at the maternity unit")


def test_the_flag_points_to_the_check_in_that_raised_it(story: PersonStory) -> None:
    (flag,) = _resources(story, "Flag")
    detail = next(e for e in flag["extension"] if e["url"] == "http://hl7.org/fhir/StructureDefinition/flag-detail")
    (check_in,) = [o for o in _resources(story, "Observation") if o["identifier"][0]["value"] == "c2"]
    assert detail["valueReference"] == {"reference": f"urn:uuid:{check_in['id']}"}
    # a check-in too old to be in the bundle is not referred to
    (older,) = _resources(replace(story, check_ins=story.check_ins[2:]), "Flag")
    assert all(e["url"] != "http://hl7.org/fhir/StructureDefinition/flag-detail" for e in older["extension"])


def test_an_open_red_flag_is_an_active_flag_without_an_end_and_closing_it_keeps_its_id(story: PersonStory) -> None:
    still_open = replace(story.red_flags[0], closed_at=None, closed_by=None, close_note=None)
    (flag,) = _resources(replace(story, red_flags=(still_open,)), "Flag")
    (closed,) = _resources(story, "Flag")
    assert flag["status"] == "active"
    assert flag["period"] == {"start": "2027-01-25T08:00:00Z"}
    assert [e["url"] for e in flag["extension"]] == ["http://hl7.org/fhir/StructureDefinition/flag-detail"]
    assert (
        flag["id"]
        == closed["id"]
        == str(uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL, "https://bumpwell.invalid"), f"red-flag:{story.person_id}/f1"))
    )


def test_a_session_stopped_for_a_warning_sign_is_a_flag_of_its_own(story: PersonStory) -> None:
    stopped = RedFlagSummary(
        "f2", "session_stopped", "s50", datetime(2027, 2, 8, 18, 0, tzinfo=UTC), None, (), None, None, None, None
    )
    data = fhir_bundle(replace(story, red_flags=(*story.red_flags, stopped)))
    Bundle.model_validate_json(data)
    flags = [e["resource"] for e in json.loads(data)["entry"] if e["resource"]["resourceType"] == "Flag"]
    assert [f["status"] for f in flags] == ["inactive", "active"]
    assert flags[1]["code"] == {"text": "A session was stopped because of a warning sign"}
    assert "extension" not in flags[1]
    assert flags[1]["period"] == {"start": "2027-02-08T18:00:00Z"}


def test_no_red_flag_means_no_flag_even_after_an_urgent_check_in(story: PersonStory) -> None:
    assert _resources(replace(story, red_flags=()), "Flag") == []


def test_the_patient_has_a_bumpwell_identifier_and_no_birth_date_or_gender(story: PersonStory) -> None:
    (patient,) = _resources(story, "Patient")
    assert patient["identifier"] == [{"system": "https://bumpwell.invalid/fhir/person", "value": story.person_id}]
    assert patient["name"][0]["text"] == "Ana"
    assert "birthDate" not in patient
    assert "gender" not in patient


def test_every_reference_points_to_an_entry_of_the_bundle(story: PersonStory) -> None:
    entries = _entries(story)
    full_urls = [e["fullUrl"] for e in entries]
    assert len(set(full_urls)) == len(full_urls)
    assert all(e["fullUrl"] == f"urn:uuid:{e['resource']['id']}" for e in entries)
    references = [v for k, v in _walk(entries) if k == "reference"]
    assert len(references) == 27  # 24 observations, the care plan, the flag, and the flag's check-in
    assert set(references) <= set(full_urls)


def test_ids_are_uuid5_and_a_re_export_gives_the_same_ids(story: PersonStory) -> None:
    assert all(uuid.UUID(url.removeprefix("urn:uuid:")).version == 5 for url in _ids(story))
    assert [e["fullUrl"] for e in _entries(story)] == [e["fullUrl"] for e in _entries(story)]


def test_one_more_diary_day_adds_one_resource_and_keeps_every_other_id(story: PersonStory) -> None:
    later = replace(story, diary=(*story.diary, DiaryDay("d21", date(2027, 2, 16), 1)))
    before, after = _ids(story), _ids(later)
    assert before < after
    assert len(after - before) == 1


def test_another_base_url_names_other_systems_and_ids(story: PersonStory) -> None:
    other = fhir_bundle(story, base_url="https://clinic.example/")
    assert b"https://bumpwell.invalid" not in other
    assert b'"system": "https://clinic.example/fhir/person"' in other
    assert _ids(story).isdisjoint(e["fullUrl"] for e in json.loads(other)["entry"])


def test_a_story_without_plan_or_reasons_still_validates_and_has_no_empty_values(story: PersonStory) -> None:
    bare = replace(
        story,
        plan=(),
        plan_id=None,
        plan_week_start=None,
        conditions=(),
        check_ins=tuple(replace(c, reasons=(), actions=(), pain_now=None) for c in story.check_ins),
    )
    data = fhir_bundle(bare)
    Bundle.model_validate_json(data)
    assert _resources(bare, "CarePlan") == []
    assert all(v not in ([], {}, "", None) for _k, v in _walk(json.loads(data)))
    assert all(v not in ([], {}, "", None) for _k, v in _walk(json.loads(fhir_bundle(story))))


def test_no_text_speaks_of_a_diagnosis(story: PersonStory) -> None:
    assert b"diagnos" not in fhir_bundle(story).lower()
