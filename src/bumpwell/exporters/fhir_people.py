"""FHIR R4 resources about the person herself: Patient, pregnancy status and dates, the contraindications she
reported (Condition, with a clinician's clearance) and the clinicians who acted on her record (Practitioner)."""

from __future__ import annotations

from bumpwell.domain.identity import secondary
from bumpwell.exporters.fhir_codes import (
    DELIVERY_DATE,
    DUE_DATE,
    HL7,
    MEDICAL_RECORD,
    PREGNANCY_STATUS,
    PREGNANT,
    Json,
    coding,
    concept,
    day_words,
    extension,
    identifier,
    instant,
    minutes,
    narrated,
    resource_id,
)
from bumpwell.exporters.read_model import ConditionSummary, PersonStory

CLINICAL = f"{HL7}/condition-clinical"
CONDITION_CATEGORY = f"{HL7}/condition-category"


def patient_ref(story: PersonStory) -> Json:
    """A reference to the Patient entry of the bundle."""
    return {"reference": f"urn:uuid:{resource_id('patient', story.person_id)}"}


def practitioner_ref(user_id: str | None, name: str | None) -> Json:
    """A reference to a clinician's Practitioner entry (by display only when the account is gone)."""
    if user_id is None:
        return {"display": name or "a clinician"}
    return {"reference": f"urn:uuid:{resource_id('practitioner', user_id)}", "display": name or "a clinician"}


def patient(story: PersonStory) -> Json:
    """The person: her name in parts where the care team recorded them, birth date, hospital number and phone."""
    name: Json = {"use": "official", "text": story.identity.full_name}
    if story.family_name:
        name["family"] = story.family_name
    if story.given_name:
        name["given"] = story.given_name.split()
    ids = [identifier("person", story.person_id)]
    if story.hospital_number:
        ids.append({**identifier("hospital-number", story.hospital_number), "type": concept(MEDICAL_RECORD,
                    text="Hospital number")})  # fmt: skip
    resource: Json = {"resourceType": "Patient", "id": resource_id("patient", story.person_id), "identifier": ids,
                      "name": [name]}  # fmt: skip
    words = [f"{story.identity.full_name}, {secondary(story.identity)}."]
    if story.date_of_birth is not None:
        resource["birthDate"] = story.date_of_birth.isoformat()
    if story.phone:
        resource["telecom"] = [{"system": "phone", "value": story.phone, "use": "mobile"}]
    # No gender: pregnancy does not say which administrative gender a person has.
    return narrated(resource, *words)


def practitioners(story: PersonStory) -> list[Json]:
    """Each clinician who cleared a contraindication or closed a red flag, once."""
    seen: dict[str, str | None] = {}
    for c in story.conditions:
        if c.cleared_by_id is not None:
            seen.setdefault(c.cleared_by_id, c.cleared_by)
    for f in story.red_flags:
        if f.closed_by_id is not None:
            seen.setdefault(f.closed_by_id, f.closed_by)
    return [_practitioner(user_id, name) for user_id, name in sorted(seen.items())]


def _practitioner(user_id: str, name: str | None) -> Json:
    resource = {
        "resourceType": "Practitioner",
        "id": resource_id("practitioner", user_id),
        "identifier": [identifier("user", user_id)],
        "name": [{"text": name or "a clinician"}],
    }
    return narrated(resource, f"{name or 'A clinician'}, clinician on bumpwell.")


def pregnancy(story: PersonStory) -> list[Json]:
    """Pregnancy status (LOINC 82810-3), the estimated delivery date (11778-8), after the birth its date (93857-1)."""
    stated = instant(story.stated_at or story.generated_at)
    out = []
    dates = []
    if story.due_date is not None:
        dates.append(_dated(story, DUE_DATE, story.due_date.isoformat(), stated, "Estimated delivery date"))
    if story.status == "postpartum" and story.birth_date is not None:
        dates.append(_dated(story, DELIVERY_DATE, story.birth_date.isoformat(), stated, "Delivery date"))
    if story.status == "pregnant":
        value, words = concept(PREGNANT, text="Pregnant"), "Pregnant"
    else:  # no verified code for "not pregnant" (clinical-reference.md 16): words only
        value, words = concept(text="Not pregnant: after the birth"), "Not pregnant: after the birth"
    status = _observation(story, PREGNANCY_STATUS, stated, "Pregnancy status") | {"valueCodeableConcept": value}
    if dates:
        status["hasMember"] = [{"reference": f"urn:uuid:{d['id']}"} for d in dates]
    out.append(narrated(status, f"Pregnancy status: {words} (as she said on {stated[:10]})."))
    return out + dates


def _dated(story: PersonStory, code: Json, value: str, stated: str, words: str) -> Json:
    resource = _observation(story, code, stated, words) | {"valueDateTime": value}
    return narrated(resource, f"{words}: {value} (as she said on {stated[:10]}).")


def _observation(story: PersonStory, code: Json, stated: str, text: str) -> Json:
    key = f"{story.person_id}/{code['code']}"
    return {
        "resourceType": "Observation",
        "id": resource_id("pregnancy", key),
        "identifier": [identifier("pregnancy", key)],
        "status": "final",
        "code": concept(code, text=text),
        "subject": patient_ref(story),
        "effectiveDateTime": stated,
        "performer": [patient_ref(story)],
    }


def conditions(story: PersonStory) -> list[Json]:
    """Each contraindication she reported, with a clinician's clearance to exercise where one was given."""
    return [_condition(story, c) for c in story.conditions]


def _condition(story: PersonStory, c: ConditionSummary) -> Json:
    key = f"{story.person_id}/{c.code}"
    resource: Json = {
        "resourceType": "Condition",
        "id": resource_id("condition", key),
        "identifier": [identifier("condition", key)],
        "clinicalStatus": concept({"system": CLINICAL, "code": "active", "display": "Active"}, text="Active"),
        "category": [concept({"system": CONDITION_CATEGORY, "code": "problem-list-item",
                              "display": "Problem List Item"}, text="Reported at screening")],
        "code": concept(coding("rule", c.code, c.name), text=c.name),
        "subject": patient_ref(story),
        "asserter": patient_ref(story),
    }  # fmt: skip
    if c.recorded_at is not None:
        resource["recordedDate"] = instant(c.recorded_at)
    words = _clearance_words(c)
    if c.cleared_at is None:
        resource["note"] = [{"text": words}]
        return narrated(resource, f"{c.name} ({c.code}), reported by her at screening.", words)
    by = practitioner_ref(c.cleared_by_id, c.cleared_by)
    resource["note"] = [{"authorReference": by, "time": instant(c.cleared_at), "text": words}]
    resource["extension"] = [{"url": extension("exercise-clearance"), "extension": _clearance(c, by)}]
    return narrated(resource, f"{c.name} ({c.code}), reported by her at screening.", words)


def _clearance(c: ConditionSummary, by: Json) -> list[Json]:
    parts: list[Json] = [{"url": "clearedBy", "valueReference": by}]
    if c.cleared_at is not None:
        parts.append({"url": "clearedAt", "valueDateTime": instant(c.cleared_at)})
    if c.until is not None:
        parts.append({"url": "until", "valueDate": c.until.isoformat()})
    if c.max_minutes is not None:
        parts.append({"url": "maxMinutes", "valueQuantity": minutes(c.max_minutes)})
    parts += [{"url": "allowedExercise", "valueCoding": {"system": coding("exercise", e, e)["system"], "code": e}}
              for e in c.allowed or ()]  # fmt: skip
    return parts


def _clearance_words(c: ConditionSummary) -> str:
    if c.cleared_at is None:
        return "No clinician has cleared her to exercise with it."
    words = f"Cleared for exercise by {c.cleared_by or 'a clinician'} on {day_words(c.cleared_at.date())}"
    if c.max_minutes is not None:
        words += f", at most {c.max_minutes} min a session"
    if c.allowed:
        words += f", only: {', '.join(c.allowed)}"
    if c.until is not None:
        words += f", until {day_words(c.until)}"
    return words + "."
