"""One person's story as a FHIR R4 Bundle (JSON, type "collection"): Patient, pain and check-in Observations,
the current CarePlan and a Flag for each red flag (active while open, inactive once a clinician closed it).

Resources are built as plain dicts in R4 shape; ids are UUIDv5 of stable keys, so a re-export of the same record
gives the same ids (a receiver updates instead of duplicating). Every resource also carries a bumpwell identifier.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bumpwell.exporters.read_model import (
    EXERCISE_DECISION,
    TRIAGE_LEVEL,
    AdjustmentSummary,
    CheckInSummary,
    ConditionSummary,
    DiaryDay,
    PersonStory,
    PlannedSession,
    RedFlagSummary,
)

Json = dict[str, Any]

LOINC = "http://loinc.org"
PAIN_CODE = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
FLAG_DETAIL = "http://hl7.org/fhir/StructureDefinition/flag-detail"  # R4 core extension: what the flag is about

PATTERN_WORDS = {
    "lumbar": "Lower back pain pattern",
    "pelvic_girdle_posterior": "Pelvic girdle pain pattern, back of the pelvis",
    "pelvic_girdle_anterior": "Pelvic girdle pain pattern, front of the pelvis",
    "mixed": "Mixed lower back and pelvic girdle pain pattern",
    "none": "No pain pattern",
    "unclear": "Pain pattern unclear",
}
SUPERVISION_WORDS = {
    "required": "Someone should be nearby during this session (supervision required).",
    "recommended": "Someone nearby is recommended during this session.",
    "not_needed": "This session can be done alone.",
}


def fhir_bundle(story: PersonStory, base_url: str = "https://bumpwell.invalid") -> bytes:
    """The story as a FHIR R4 collection Bundle: deterministic JSON (sorted keys, 2-space indent, UTF-8, newline)."""
    ids = _Ids(base_url, story.person_id)
    resources = [_patient(story, ids)]
    resources += [_pain_observation(day, ids) for day in story.diary]
    resources += [_check_in_observation(c, ids) for c in story.check_ins]
    if story.plan_id is not None and story.plan_week_start is not None:
        resources.append(_care_plan(story, story.plan_id, story.plan_week_start, ids))
    check_ins = {c.id for c in story.check_ins}
    resources += [_flag(flag, flag.source_id in check_ins, ids) for flag in story.red_flags]
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": _instant(story.generated_at),
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }
    return (json.dumps(bundle, sort_keys=True, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


class _Ids:
    """Stable resource ids and identifiers: UUIDv5 in a namespace of the base URL, keyed by what the record is."""

    def __init__(self, base_url: str, person_id: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.person_id = person_id
        self.namespace = uuid.uuid5(uuid.NAMESPACE_URL, self.base_url)

    def id(self, kind: str, key: str | None = None) -> str:
        """The resource id of the person (no key) or of one of their records (scoped by person, to stay unique)."""
        stable_key = self.person_id if key is None else f"{self.person_id}/{key}"
        return str(uuid.uuid5(self.namespace, f"{kind}:{stable_key}"))

    def identifier(self, kind: str, value: str) -> Json:
        """A bumpwell business identifier, for conditional updates on the receiving side."""
        return {"system": f"{self.base_url}/fhir/{kind}", "value": value}

    def system(self, name: str) -> str:
        """The URL of a bumpwell code system."""
        return f"{self.base_url}/fhir/CodeSystem/{name}"

    def extension(self, name: str) -> str:
        """The URL of a bumpwell extension."""
        return f"{self.base_url}/fhir/StructureDefinition/{name}"

    def patient_ref(self) -> Json:
        """A reference to the Patient entry of this bundle."""
        return {"reference": f"urn:uuid:{self.id('patient')}"}


def _patient(story: PersonStory, ids: _Ids) -> Json:
    # No birthDate: the app stores the baby's birth date, never the person's own. No gender: pregnancy does not
    # say which administrative gender a person has.
    return {
        "resourceType": "Patient",
        "id": ids.id("patient"),
        "identifier": [ids.identifier("person", story.person_id)],
        "name": [{"use": "usual", "text": story.display_name, "given": [story.display_name]}],
    }


def _pain_observation(day: DiaryDay, ids: _Ids) -> Json:
    return {
        "resourceType": "Observation",
        "id": ids.id("diary", day.id),
        "identifier": [ids.identifier("diary-entry", day.id)],
        "status": "final",
        "category": [_survey()],
        "code": _pain_code(),
        "subject": ids.patient_ref(),
        "effectiveDateTime": day.day.isoformat(),
        "valueInteger": day.pain,
    }


def _check_in_observation(check_in: CheckInSummary, ids: _Ids) -> Json:
    code = {"system": ids.system("observation"), "code": "check-in", "display": "bumpwell check-in"}
    components = [
        _component(ids, "exercise-decision", "Exercise decision", _coded(ids, "exercise-decision", check_in.exercise)),
        _component(ids, "pain-pattern", "Pain pattern", _coded(ids, "pain-pattern", check_in.pattern)),
    ]
    if check_in.pain_now is not None:
        components.append({"code": _pain_code(), "valueInteger": check_in.pain_now})
    observation = {
        "resourceType": "Observation",
        "id": ids.id("check-in", check_in.id),
        "identifier": [ids.identifier("check-in", check_in.id)],
        "status": "final",
        "category": [_survey()],
        "code": {"coding": [code], "text": "bumpwell check-in"},
        "subject": ids.patient_ref(),
        "effectiveDateTime": _instant(check_in.at),
        "valueCodeableConcept": _coded(ids, "triage", check_in.triage),
        "component": components,
    }
    notes = _check_in_notes(check_in)
    return {**observation, "note": notes} if notes else observation


def _check_in_notes(check_in: CheckInSummary) -> list[Json]:
    reasons = [{"text": f"Rule {r.rule}: {r.text} (sources: {r.source})"} for r in check_in.reasons]
    actions = [{"text": f"Advice given: {text}"} for _kind, text in check_in.actions]
    return reasons + actions


def _care_plan(story: PersonStory, plan_id: str, week_start: date, ids: _Ids) -> Json:
    plan: Json = {
        "resourceType": "CarePlan",
        "id": ids.id("plan", plan_id),
        "identifier": [ids.identifier("plan", plan_id)],
        "status": "active",
        "intent": "plan",
        "title": f"bumpwell exercise plan, week of {week_start.isoformat()}",
        "subject": ids.patient_ref(),
        "period": {"start": week_start.isoformat(), "end": (week_start + timedelta(days=6)).isoformat()},
    }
    activities = [activity for session in story.plan for activity in _activities(session, ids)]
    if activities:  # FHIR JSON allows no empty arrays
        plan["activity"] = activities
    notes = [_condition_words(c) for c in story.conditions] + [_adjustment_words(a) for a in story.adjustments]
    if notes:
        plan["note"] = [{"text": note} for note in notes]
    return plan


def _adjustment_words(adjustment: AdjustmentSummary) -> str:
    what = "took out" if adjustment.action == "exclude" else f"set the dose to {adjustment.dose} for"
    words = f"{adjustment.by} {what} {adjustment.name} ({adjustment.exercise}) on {adjustment.at.date().isoformat()}"
    if adjustment.over_limit:
        words += f"; left unchanged in {adjustment.over_limit} session(s) where it would pass the time limit"
    return f"{words}. Reason: {adjustment.reason}"


def _activities(session: PlannedSession, ids: _Ids) -> list[Json]:
    day = session.day.isoformat()
    supervision = SUPERVISION_WORDS.get(session.supervision, f"Supervision: {session.supervision}.")
    description = f"Part of a {session.kind.replace('_', ' ')} session of about {session.minutes} min. {supervision}"
    return [
        {
            "detail": {
                "code": {
                    "coding": [{"system": ids.system("exercise"), "code": item.exercise, "display": item.name}],
                    "text": f"{item.name}, {item.dose}",
                },
                "status": "scheduled",
                "scheduledPeriod": {"start": day, "end": day},
                "description": description,
            }
        }
        for item in session.items
    ]


def _condition_words(condition: ConditionSummary) -> str:
    if condition.cleared_by is None:
        return f"Reported by the person: {condition.name} ({condition.code}); no clinician clearance recorded."
    words = f"Cleared by {condition.cleared_by}"
    if condition.cleared_at is not None:
        words += f" on {condition.cleared_at.date().isoformat()}"
    words += f" for exercise with {condition.name} ({condition.code})"
    if condition.max_minutes is not None:
        words += f", max {condition.max_minutes} min a session"
    if condition.allowed is not None:
        words += f", allowed: {', '.join(condition.allowed)}"
    if condition.until is not None:
        words += f", until {condition.until.isoformat()}"
    return words + "."


def _flag(flag: RedFlagSummary, check_in_in_bundle: bool, ids: _Ids) -> Json:
    # The id derives from the red flag's own id: a re-export after a clinician closed it updates the same Flag.
    period = {"start": _instant(flag.raised_at)}
    if flag.closed_at is not None:
        period["end"] = _instant(flag.closed_at)
    if flag.kind == "session_stopped":
        text = "A session was stopped because of a warning sign"
    else:
        text = flag.action or TRIAGE_LEVEL.get(flag.triage or "", "Warning sign reported")
    code: Json = {"text": text}
    if flag.rules:
        code["coding"] = [{"system": ids.system("rule"), "code": rule, "display": name} for rule, name in flag.rules]
    resource: Json = {
        "resourceType": "Flag",
        "id": ids.id("red-flag", flag.id),
        "identifier": [ids.identifier("red-flag", flag.id)],
        "status": "active" if flag.open else "inactive",
        "category": [{"coding": [{"system": FLAG_CATEGORY, "code": "clinical", "display": "Clinical"}]}],
        "code": code,
        "subject": ids.patient_ref(),
        "period": period,
    }
    extensions = []
    if check_in_in_bundle:
        extensions.append(
            {"url": FLAG_DETAIL, "valueReference": {"reference": f"urn:uuid:{ids.id('check-in', flag.source_id)}"}}
        )
    if flag.closed_by:
        extensions.append({"url": ids.extension("flag-closed-by"), "valueString": flag.closed_by})
    if flag.close_note:
        extensions.append({"url": ids.extension("flag-close-note"), "valueString": flag.close_note})
    if extensions:
        resource["extension"] = extensions
    return resource


def _component(ids: _Ids, code: str, text: str, value: Json) -> Json:
    coding = {"system": ids.system("observation"), "code": code, "display": text}
    return {"code": {"coding": [coding], "text": text}, "valueCodeableConcept": value}


def _coded(ids: _Ids, system: str, code: str) -> Json:
    words = {"triage": TRIAGE_LEVEL, "exercise-decision": EXERCISE_DECISION, "pain-pattern": PATTERN_WORDS}[system]
    display = words.get(code, code.replace("_", " "))
    return {"coding": [{"system": ids.system(system), "code": code, "display": display}], "text": display}


def _survey() -> Json:
    return {"coding": [{"system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey"}]}


def _pain_code() -> Json:
    return {"coding": [{"system": LOINC, "code": PAIN_CODE, "display": PAIN_DISPLAY}], "text": "Pain score (0-10)"}


def _instant(moment: datetime) -> str:
    # Stored times are UTC-aware; a naive one is read as UTC rather than as this machine's local time.
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")
