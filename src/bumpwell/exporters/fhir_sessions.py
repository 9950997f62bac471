"""FHIR R4 resources of what she did and what went wrong: each ended exercise session as a Procedure (completed
or stopped, with her words) and its pain before and after as Observations; each red flag as a Flag coded by what
it is about (the rules that fired), inactive once a clinician closed it, naming who."""

from __future__ import annotations

from bumpwell.exporters.fhir_care import check_in_id, pain_code, plan_id
from bumpwell.exporters.fhir_codes import (
    CLINICAL_FLAG,
    SURVEY,
    Json,
    coding,
    concept,
    day_words,
    extension,
    identifier,
    instant,
    narrated,
    resource_id,
)
from bumpwell.exporters.fhir_people import patient_ref, practitioner_ref
from bumpwell.exporters.read_model import PersonStory, RedFlagSummary, SessionSummary

FLAG_DETAIL = "http://hl7.org/fhir/StructureDefinition/flag-detail"  # R4 core extension: the record behind a flag
KIND_WORDS = {
    "strength": "Strength",
    "aerobic": "Aerobic",
    "stretch": "Stretching",
    "pelvic_floor": "Pelvic floor",
    "mixed": "Mixed strength and aerobic",
}  # the session kinds of engine-contract.md
STOP_WORDS = {"pain": "Pain", "warning_sign": "A warning sign", "tired": "Tired", "other": "Another reason"}
EFFORT_WORDS = {
    "can_sing": "could sing",
    "can_talk_not_sing": "could talk but not sing",
    "cannot_talk": "could not talk",
}
SUPERVISION = {"confirmed": "with a supervisor", "her_word": "someone she named, by her word",
               "alone": "she started alone", "not_needed": "needed nobody",
               "not_confirmed": "no supervisor confirmed (one was recommended)"}  # fmt: skip


def session_id(story: PersonStory, session: str) -> str:
    """The resource id of a session's Procedure."""
    return resource_id("session", f"{story.person_id}/{session}")


def sessions(story: PersonStory) -> list[Json]:
    """Each ended session (completed or stopped) as a Procedure, followed by its pain before and after."""
    plans = {p.id for p in story.earlier_plans} | ({story.plan_id} if story.plan_id else set())
    out = []
    for s in story.ended():
        out.append(_procedure(story, s, s.plan_id in plans))
        out += [_pain(story, s, "before", s.pain_before), _pain(story, s, "after", s.pain_after)]
    return [r for r in out if r]


def _procedure(story: PersonStory, s: SessionSummary, plan_in_bundle: bool) -> Json:
    kind = KIND_WORDS.get(s.kind, s.kind.replace("_", " ").capitalize())
    resource: Json = {
        "resourceType": "Procedure",
        "id": session_id(story, s.id),
        "identifier": [identifier("session", s.id)],
        "status": "completed" if s.status == "completed" else "stopped",
        "code": concept(coding("session-kind", s.kind, f"{kind} exercise session"), text=f"{kind} exercise session"),
        "subject": patient_ref(story),
    }
    if s.started_at is not None:
        period = {"start": instant(s.started_at)} | ({"end": instant(s.ended_at)} if s.ended_at else {})
        resource["performedPeriod"] = period
    else:
        resource["performedDateTime"] = s.day.isoformat()
    if plan_in_bundle and s.plan_id is not None:
        resource["basedOn"] = [{"reference": f"urn:uuid:{plan_id(story, s.plan_id)}"}]
    if s.status == "stopped":
        reason = STOP_WORDS.get(s.stop_reason or "", s.stop_reason or "not given")
        resource["statusReason"] = concept(*([coding("session-stop-reason", s.stop_reason, reason)] if s.stop_reason
                                             else []), text=f"Stopped: {reason}")  # fmt: skip
    notes = _notes(s)
    if notes:
        resource["note"] = [{"text": n} for n in notes]
    done = "completed" if s.status == "completed" else "stopped"
    return narrated(resource, f"{kind} exercise session on {day_words(s.day)}, planned {s.minutes} min: {done}.",
                    *notes)  # fmt: skip


def _notes(s: SessionSummary) -> list[str]:
    notes = []
    if s.stop_note:
        notes.append(f"Her note when she stopped: {s.stop_note}")
    if s.effort:
        notes.append(f"Talk test after the session: she {EFFORT_WORDS.get(s.effort, s.effort)}.")
    if s.unusual:
        notes.append(f"Anything unusual, in her words: {s.unusual}")
    if s.supervision_status:
        who = f" ({s.supervised_by})" if s.supervised_by and s.supervision_status == "confirmed" else ""
        who = f" ({s.supervised_by}, not confirmed by them)" if s.supervision_status == "her_word" else who
        notes.append(f"Who was there: {SUPERVISION.get(s.supervision_status, s.supervision_status)}{who}.")
    return notes


def _pain(story: PersonStory, s: SessionSummary, when: str, pain: int | None) -> Json:
    if pain is None:
        return {}
    moment = s.started_at if when == "before" else s.ended_at
    resource: Json = {
        "resourceType": "Observation",
        "id": resource_id("session-pain", f"{story.person_id}/{s.id}/{when}"),
        "identifier": [identifier("session", f"{s.id}/pain-{when}")],
        "status": "final",
        "category": [SURVEY],
        "code": pain_code(),
        "subject": patient_ref(story),
        "effectiveDateTime": instant(moment) if moment is not None else s.day.isoformat(),
        "partOf": [{"reference": f"urn:uuid:{session_id(story, s.id)}"}],
        "valueInteger": pain,
    }
    return narrated(resource, f"Pain {when} the session on {day_words(s.day)}: {pain} out of 10.")


def flags(story: PersonStory) -> list[Json]:
    """Each red flag as a Flag: active while open, inactive with who closed it and what they did."""
    return [_flag(story, f) for f in story.red_flags]


def _flag(story: PersonStory, flag: RedFlagSummary) -> Json:
    # The id derives from the red flag's own id: a re-export after a clinician closed it updates the same Flag.
    period = {"start": instant(flag.raised_at)} | ({"end": instant(flag.closed_at)} if flag.closed_at else {})
    resource: Json = {
        "resourceType": "Flag",
        "id": resource_id("red-flag", f"{story.person_id}/{flag.id}"),
        "identifier": [identifier("red-flag", flag.id)],
        "status": "active" if flag.open else "inactive",
        "category": [CLINICAL_FLAG],
        "code": _flag_code(flag),
        "subject": patient_ref(story),
        "period": period,
        "author": patient_ref(story),  # she reported it; bumpwell's rules named it
    }
    extensions = _flag_extensions(story, flag)
    if extensions:
        resource["extension"] = extensions
    state = "Open: no clinician has closed it yet." if flag.open else (
        f"Closed {instant(flag.closed_at or flag.raised_at)} by {flag.closed_by or 'a clinician'}"
        + (f": {flag.close_note}" if flag.close_note else "."))  # fmt: skip
    return narrated(resource, f"Red flag raised {instant(flag.raised_at)}: {resource['code']['text']}.", state)


def _flag_code(flag: RedFlagSummary) -> Json:
    codings = [coding("rule", rule, name) for rule, name in flag.rules]
    if flag.kind == "session_stopped":
        codings.append(coding("flag", "session-stopped", "Session stopped for a warning sign"))
        return concept(*codings, text="Session stopped for a warning sign")
    return concept(*codings, text="; ".join(name for _rule, name in flag.rules) or "Warning sign reported")


def _flag_extensions(story: PersonStory, flag: RedFlagSummary) -> list[Json]:
    out = []
    if flag.kind == "check_in" and any(c.id == flag.source_id for c in story.check_ins):
        out.append(
            {"url": FLAG_DETAIL, "valueReference": {"reference": f"urn:uuid:{check_in_id(story, flag.source_id)}"}}
        )
    elif flag.kind == "session_stopped" and any(s.id == flag.source_id for s in story.ended()):
        out.append(
            {"url": FLAG_DETAIL, "valueReference": {"reference": f"urn:uuid:{session_id(story, flag.source_id)}"}}
        )
    if flag.closed_at is not None:
        out.append(
            {"url": extension("flag-closed-by"), "valueReference": practitioner_ref(flag.closed_by_id, flag.closed_by)}
        )
    if flag.close_note:
        out.append({"url": extension("flag-close-note"), "valueString": flag.close_note})
    return out
