"""The fixed names a FHIR receiver matches on: the project's canonical URL for its code systems, extensions and
identifier systems (docs/api.md lists them), the standard terminologies used, stable ids and narrative.

Nothing here depends on where a server runs (``BUMPWELL_PUBLIC_URL``): two servers, or one moved to a new address,
export the same systems, codes and resource ids for the same record.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from html import escape
from typing import Any

Json = dict[str, Any]

CANONICAL = "https://bumpwell.org/fhir"  # a name, not an address the app serves (FHIR canonical URL convention)
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, CANONICAL)  # resource ids are UUIDv5 of stable keys in this namespace

CODE_SYSTEMS = {  # name -> what its codes are
    "observation": "bumpwell's own observation codes (the check-in and its parts)",
    "triage": "a check-in's triage level",
    "exercise-decision": "whether to exercise after a check-in",
    "pain-pattern": "the pain pattern a check-in's answers fit (pattern language, not a diagnosis)",
    "exercise": "the exercises of bumpwell's library (content/exercises/<id>.yaml)",
    "rule": "bumpwell's rules: contraindications, red flags, escalations (content/rules/*.yaml)",
    "session-kind": "the kind of an exercise session",
    "session-stop-reason": "why she stopped a session",
    "flag": "what a Flag is about when no rule names it",
}
EXTENSIONS = {  # name -> what it carries
    "flag-closed-by": "Flag: the clinician who closed it (Reference to a Practitioner)",
    "flag-close-note": "Flag: what the clinician did (string)",
    "exercise-clearance": "Condition: a clinician's clearance to exercise with it (clearedBy, clearedAt, until, "
    "maxMinutes, allowedExercise)",
}
IDENTIFIERS = {  # kind -> what its values are
    "person": "a person's bumpwell id (Patient)",
    "user": "a clinician's bumpwell user id (Practitioner)",
    "hospital-number": "the hospital number the care team recorded (Patient, type MR)",
    "pregnancy": "a person's pregnancy observations: <person id>/<LOINC code>",
    "condition": "a contraindication she reported: <person id>/<rule id>",
    "diary-entry": "a diary entry's id (pain Observation)",
    "check-in": "a check-in's id (Observation)",
    "plan": "a weekly plan's id (CarePlan)",
    "session": "an exercise session's id (Procedure); <session id>/pain-before and /pain-after (Observations)",
    "red-flag": "a red flag's id (Flag)",
}

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
HL7 = "http://terminology.hl7.org/CodeSystem"
PAIN = {"system": LOINC, "code": "72514-3", "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported"}
PREGNANCY_STATUS = {"system": LOINC, "code": "82810-3", "display": "Pregnancy status"}
DUE_DATE = {"system": LOINC, "code": "11778-8", "display": "Delivery date Estimated"}
DELIVERY_DATE = {"system": LOINC, "code": "93857-1", "display": "Date and time of obstetric delivery"}
PREGNANT = {"system": SNOMED, "code": "77386006", "display": "Pregnant"}  # verified: clinical-reference.md 16
MEDICAL_RECORD = {"system": f"{HL7}/v2-0203", "code": "MR", "display": "Medical record number"}
XHTML = "http://www.w3.org/1999/xhtml"
SURVEY = {
    "coding": [{"system": f"{HL7}/observation-category", "code": "survey", "display": "Survey"}],
    "text": "Survey",
}
CLINICAL_FLAG = {"coding": [{"system": f"{HL7}/flag-category", "code": "clinical", "display": "Clinical"}],
                 "text": "Clinical"}  # fmt: skip


def _known(names: dict[str, str], name: str) -> None:
    # every URL the exporter writes is one of the documented ones: a typo fails the tests, not a receiver's import
    if name not in names:
        raise KeyError(f"{name!r} is not one of {sorted(names)}")


def system(name: str) -> str:
    """The canonical URL of one of bumpwell's code systems."""
    _known(CODE_SYSTEMS, name)
    return f"{CANONICAL}/CodeSystem/{name}"


def extension(name: str) -> str:
    """The canonical URL of one of bumpwell's extensions."""
    _known(EXTENSIONS, name)
    return f"{CANONICAL}/StructureDefinition/{name}"


def identifier(kind: str, value: str) -> Json:
    """A bumpwell business identifier: what a receiver's conditional update matches on."""
    _known(IDENTIFIERS, kind)
    return {"system": f"{CANONICAL}/identifier/{kind}", "value": value}


def resource_id(kind: str, key: str) -> str:
    """A stable resource id: the same record gives the same id on every server, at every address."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def coding(name: str, code: str, display: str) -> Json:
    """A Coding in one of bumpwell's code systems."""
    return {"system": system(name), "code": code, "display": display}


def concept(*codings: Json, text: str) -> Json:
    """A CodeableConcept of the codings, with its text."""
    return {"coding": list(codings), "text": text} if codings else {"text": text}


def minutes(value: int) -> Json:
    """A duration in minutes, as a UCUM Quantity."""
    return {"value": value, "unit": "min", "system": UCUM, "code": "min"}


def narrated(resource: Json, *lines: str) -> Json:
    """The resource with a generated narrative of the lines (dom-6: every resource says itself in words)."""
    paragraphs = "".join(f"<p>{escape(line, quote=False)}</p>" for line in lines if line)
    return {**resource, "text": {"status": "generated", "div": f'<div xmlns="{XHTML}">{paragraphs}</div>'}}


def instant(moment: datetime) -> str:
    """A stored time as a FHIR instant in UTC (a naive time is read as UTC, not as this machine's local time)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")


def day_words(value: date) -> str:
    """A date in words for a narrative: 4 Jan 2027."""
    return value.strftime("%d %b %Y").lstrip("0")
