"""FHIR R4 resources of her diary, check-ins and weekly plans: pain Observations (LOINC 72514-3), check-in
Observations with the engine's outcome and cited reasons, and CarePlans (the current one active, the ones it
replaced revoked or completed, so that a receiver never keeps two active plans)."""

from __future__ import annotations

from datetime import date, timedelta

from bumpwell.exporters.fhir_codes import (
    PAIN,
    SURVEY,
    Json,
    coding,
    concept,
    day_words,
    identifier,
    instant,
    narrated,
    resource_id,
)
from bumpwell.exporters.fhir_people import patient_ref
from bumpwell.exporters.read_model import (
    EXERCISE_DECISION,
    TRIAGE_LEVEL,
    AdjustmentSummary,
    CheckInSummary,
    ConditionSummary,
    DiaryDay,
    PersonStory,
    PlannedSession,
)

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
WORDS = {"triage": TRIAGE_LEVEL, "exercise-decision": EXERCISE_DECISION, "pain-pattern": PATTERN_WORDS}


def pain_code() -> Json:
    """LOINC 72514-3, the 0-10 pain score."""
    return concept(PAIN, text="Pain score (0-10)")


def pain_observations(story: PersonStory) -> list[Json]:
    """One Observation for each diary day."""
    return [_pain(story, day) for day in story.diary]


def _pain(story: PersonStory, day: DiaryDay) -> Json:
    resource = {
        "resourceType": "Observation",
        "id": resource_id("diary", f"{story.person_id}/{day.id}"),
        "identifier": [identifier("diary-entry", day.id)],
        "status": "final",
        "category": [SURVEY],
        "code": pain_code(),
        "subject": patient_ref(story),
        "effectiveDateTime": day.day.isoformat(),
        "valueInteger": day.pain,
    }
    return narrated(resource, f"Diary, {day_words(day.day)}: pain {day.pain} out of 10.")


def check_in_observations(story: PersonStory) -> list[Json]:
    """One Observation for each check-in: triage level, exercise decision, pain pattern, pain now, reasons."""
    return [_check_in(story, c) for c in story.check_ins]


def check_in_id(story: PersonStory, check_in_id: str) -> str:
    """The resource id of a check-in's Observation."""
    return resource_id("check-in", f"{story.person_id}/{check_in_id}")


def _check_in(story: PersonStory, c: CheckInSummary) -> Json:
    components = [_component("exercise-decision", "Exercise decision", c.exercise),
                  _component("pain-pattern", "Pain pattern", c.pattern)]  # fmt: skip
    if c.pain_now is not None:
        components.append({"code": pain_code(), "valueInteger": c.pain_now})
    resource: Json = {
        "resourceType": "Observation",
        "id": check_in_id(story, c.id),
        "identifier": [identifier("check-in", c.id)],
        "status": "final",
        "category": [SURVEY],
        "code": concept(coding("observation", "check-in", "bumpwell check-in"), text="bumpwell check-in"),
        "subject": patient_ref(story),
        "effectiveDateTime": instant(c.at),
        "valueCodeableConcept": _coded("triage", c.triage),
        "component": components,
    }
    notes = [f"Rule {r.rule}: {r.text} (sources: {r.source})" for r in c.reasons]
    notes += [f"Advice given: {text}" for _kind, text in c.actions]
    if notes:
        resource["note"] = [{"text": note} for note in notes]
    level = TRIAGE_LEVEL.get(c.triage, c.triage)
    decision = EXERCISE_DECISION.get(c.exercise, c.exercise)
    pain = f", pain {c.pain_now}/10" if c.pain_now is not None else ""
    pattern = PATTERN_WORDS.get(c.pattern, c.pattern)
    return narrated(resource, f"Check-in {instant(c.at)}: {level}; {decision}; {pattern}{pain}.", *notes)


def _component(system_name: str, text: str, code: str) -> Json:
    return {"code": concept(coding("observation", system_name, text), text=text),
            "valueCodeableConcept": _coded(system_name, code)}  # fmt: skip


def _coded(system_name: str, code: str) -> Json:
    display = WORDS[system_name].get(code, code.replace("_", " "))
    return concept(coding(system_name, code, display), text=display)


def plan_id(story: PersonStory, plan: str) -> str:
    """The resource id of a weekly plan's CarePlan."""
    return resource_id("plan", f"{story.person_id}/{plan}")


def care_plans(story: PersonStory) -> list[Json]:
    """The plans it replaced (revoked within their week, completed after it), then the current plan (active)."""
    out = []
    for earlier in story.earlier_plans:
        revoked = earlier.replaced_at.date() < earlier.week_start + timedelta(days=7)
        status = "revoked" if revoked else "completed"
        plan = _care_plan(story, earlier.id, earlier.week_start, earlier.sessions, status)
        out.append(narrated(plan, plan["title"] + ".", f"Replaced by a newer plan on {instant(earlier.replaced_at)}"
                            f" ({status})."))  # fmt: skip
    if story.plan_id is not None and story.plan_week_start is not None:
        plan = _care_plan(story, story.plan_id, story.plan_week_start, story.plan, "active")
        notes = [_condition_words(c) for c in story.conditions] + [_adjustment_words(a) for a in story.adjustments]
        if notes:
            plan["note"] = [{"text": note} for note in notes]
        out.append(narrated(plan, plan["title"] + " (current).", *_plan_lines(story.plan), *notes))
    return out


def _care_plan(story: PersonStory, plan: str, start: date, sessions: tuple[PlannedSession, ...], status: str) -> Json:
    resource: Json = {
        "resourceType": "CarePlan",
        "id": plan_id(story, plan),
        "identifier": [identifier("plan", plan)],
        "status": status,
        "intent": "plan",
        "title": f"bumpwell exercise plan, week of {start.isoformat()}",
        "subject": patient_ref(story),
        "period": {"start": start.isoformat(), "end": (start + timedelta(days=6)).isoformat()},
    }
    activity = {"active": "scheduled", "revoked": "cancelled"}.get(status, "unknown")
    activities = [a for s in sessions for a in _activities(s, activity)]
    if activities:  # FHIR JSON allows no empty arrays
        resource["activity"] = activities
    return resource


def _plan_lines(sessions: tuple[PlannedSession, ...]) -> list[str]:
    return [f"{s.day.strftime('%a')} {day_words(s.day)}: {s.minutes} min, "
            + ", ".join(f"{i.name} ({i.dose})" for i in s.items) for s in sessions]  # fmt: skip


def _activities(session: PlannedSession, status: str) -> list[Json]:
    day = session.day.isoformat()
    supervision = SUPERVISION_WORDS.get(session.supervision, f"Supervision: {session.supervision}.")
    description = f"Part of a {session.kind.replace('_', ' ')} session of about {session.minutes} min. {supervision}"
    return [
        {
            "detail": {
                "code": concept(coding("exercise", item.exercise, item.name), text=f"{item.name}, {item.dose}"),
                "status": status,
                "scheduledPeriod": {"start": day, "end": day},
                "description": description,
            }
        }
        for item in session.items
    ]


def _adjustment_words(adjustment: AdjustmentSummary) -> str:
    what = "took out" if adjustment.action == "exclude" else f"set the dose to {adjustment.dose} for"
    words = f"{adjustment.by} {what} {adjustment.name} ({adjustment.exercise}) on {adjustment.at.date().isoformat()}"
    if adjustment.over_limit:
        words += f"; left unchanged in {adjustment.over_limit} session(s) where it would pass the time limit"
    return f"{words}. Reason: {adjustment.reason}"


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
