"""Builds the read model the exporters use (report, FHIR, calendar) from what is stored about one person."""

from __future__ import annotations

from datetime import date

from bumpwell.domain.access import Area, Verb
from bumpwell.domain.catalogue import Catalogue
from bumpwell.domain.stage import gestation_on, postpartum_on
from bumpwell.errors import NotFound
from bumpwell.exporters.read_model import (
    CheckInSummary,
    ConditionSummary,
    DiaryDay,
    PersonStory,
    PlannedItem,
    PlannedSession,
    Reason,
    SessionSummary,
    dose_words,
)
from bumpwell.services.common import Call, authorize
from bumpwell.services.ports import Store
from bumpwell.services.records import (
    CheckInRecord,
    ConditionRecord,
    DiaryRecord,
    PersonRecord,
    PlanRecord,
    SessionRecord,
    UserRecord,
)

HISTORY_LIMIT = 400  # check-ins and sessions read for one report: more than a year of daily use


def _check_in(record: CheckInRecord) -> CheckInSummary:
    response = record.response
    pain = record.request.get("pain", {}).get("nrs_now") if isinstance(record.request.get("pain"), dict) else None
    reasons = tuple(Reason(r["rule"], r["text"], r["source"]) for r in response.get("reasons", []))
    actions = tuple((a["kind"], a["text"]) for a in response.get("actions", []))
    return CheckInSummary(
        record.id,
        record.created_at,
        record.day,
        record.triage,
        record.exercise,
        record.pattern,
        pain if isinstance(pain, int) else None,
        reasons,
        actions,
    )


def _plan(record: PlanRecord | None, catalogue: Catalogue) -> tuple[PlannedSession, ...]:
    if record is None:
        return ()
    out = []
    for s in record.plan.get("sessions", []):
        items = tuple(
            PlannedItem(i["exercise"], catalogue.exercises[i["exercise"]].name, dose_words(i["dose"]))
            for i in s["items"]
        )
        out.append(PlannedSession(date.fromisoformat(s["day"]), s["kind"], s["minutes"], s["supervision"], items))
    return tuple(out)


def person_story(store: Store, call: Call, catalogue: Catalogue, person_id: str, today: date) -> PersonStory:
    """One person's story for the exporters; the caller needs to be allowed to read the whole record."""
    authorize(store, call, Verb.read, Area.check_ins, person_id, "report")
    user = store.get(UserRecord, person_id)
    person = store.get(PersonRecord, person_id)
    if user is None or person is None:
        raise NotFound("profile")
    where = {"person_id": person_id}
    if person.status == "pregnant" and person.due_date is not None:
        stage = gestation_on(person.due_date, today)
    else:
        stage = postpartum_on(person.birth_date or today, today)
    diary = store.find(DiaryRecord, where, order_by="day")
    check_ins = store.find(CheckInRecord, where, order_by="created_at", limit=HISTORY_LIMIT)
    sessions = store.find(SessionRecord, where, order_by="started_at", limit=HISTORY_LIMIT)
    plans = store.find(PlanRecord, where, order_by="created_at", descending=True, limit=1)
    conditions = store.find(ConditionRecord, where, order_by="code")
    return PersonStory(
        person_id=person_id,
        display_name=user.display_name,
        status=person.status,
        due_date=person.due_date,
        birth_date=person.birth_date,
        stage=stage,
        generated_at=call.now,
        diary=tuple(DiaryDay(d.id, d.day, d.pain) for d in diary),
        check_ins=tuple(_check_in(c) for c in check_ins),
        sessions=tuple(
            SessionSummary(
                s.id, s.day, s.kind, s.minutes, s.supervision, s.status, s.stop_reason, s.pain_before, s.pain_after
            )
            for s in sessions
        ),
        conditions=tuple(
            ConditionSummary(
                c.code,
                catalogue.rules[c.code].name,
                c.cleared_by_name,
                c.cleared_at,
                c.max_minutes,
                tuple(c.allowed) if c.allowed is not None else None,
                c.until,
            )
            for c in conditions
        ),
        plan_week_start=plans[0].week_start if plans else None,
        plan=_plan(plans[0] if plans else None, catalogue),
        plan_id=plans[0].id if plans else None,
    )
