"""Builds the read model the exporters use (report, FHIR, calendar) from what is stored about one person."""

from __future__ import annotations

from datetime import date, datetime, time
from itertools import pairwise
from typing import Any, TypeVar

from bumpwell.domain.access import Area, Verb
from bumpwell.domain.catalogue import Catalogue
from bumpwell.domain.stage import gestation_on, postpartum_on
from bumpwell.errors import NotFound
from bumpwell.exporters.read_model import (
    AdjustmentSummary,
    CheckInSummary,
    ConditionSummary,
    DiaryDay,
    EarlierPlan,
    PersonStory,
    PlannedItem,
    PlannedSession,
    Reason,
    RedFlagSummary,
    SessionSummary,
    dose_words,
)
from bumpwell.services.common import Call, authorize
from bumpwell.services.flags import private, reads_clinical
from bumpwell.services.ports import Store
from bumpwell.services.records import (
    CheckInRecord,
    ConditionRecord,
    DiaryRecord,
    PersonRecord,
    PlanRecord,
    RedFlagRecord,
    SessionRecord,
    UserRecord,
)

R = TypeVar("R")

HISTORY_LIMIT = 400  # the latest check-ins, sessions and red flags read for one report: over a year of daily use
EARLIER_PLANS = 26  # replaced plans sent again (revoked or completed) so that a receiver closes them: half a year


def _latest(store: Store, kind: type[R], where: dict[str, Any], order_by: str) -> list[R]:
    """The newest ``HISTORY_LIMIT`` records, oldest first (so that the last one is the latest)."""
    found = store.find(kind, where, order_by=order_by, descending=True, limit=HISTORY_LIMIT)
    return found[::-1]


def _rule_name(catalogue: Catalogue, rule: str) -> str:
    found = catalogue.rules.get(rule)
    return found.name if found is not None else rule


def _check_in(record: CheckInRecord, catalogue: Catalogue) -> CheckInSummary:
    response = record.response
    pain = record.request.get("pain", {}).get("nrs_now") if isinstance(record.request.get("pain"), dict) else None
    reasons = tuple(
        Reason(r["rule"], _rule_name(catalogue, r["rule"]), r["text"], r["source"]) for r in response.get("reasons", [])
    )
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


def _red_flag(record: RedFlagRecord, catalogue: Catalogue) -> RedFlagSummary:
    return RedFlagSummary(
        record.id, record.kind, record.source_id, record.raised_at, record.triage,
        tuple((str(rule), _rule_name(catalogue, str(rule))) for rule in record.rules), record.action,
        record.closed_at, record.closed_by_name, record.close_note, record.closed_by,
    )  # fmt: skip


def _session(record: SessionRecord) -> SessionSummary:
    return SessionSummary(
        record.id, record.day, record.kind, record.minutes, record.supervision, record.status, record.stop_reason,
        record.pain_before, record.pain_after, record.supervision_status, record.supervised_by_name,
        record.started_at, record.ended_at, record.plan_id, record.stop_note, record.effort, record.unusual,
    )  # fmt: skip


def _adjustment(applied: dict[str, Any], catalogue: Catalogue) -> AdjustmentSummary:
    exercise = catalogue.exercises.get(applied["exercise"])
    dose = dose_words(applied["dose"]) if applied.get("dose") else None
    return AdjustmentSummary(
        applied["exercise"], exercise.name if exercise is not None else applied["exercise"], applied["action"], dose,
        applied["reason"], applied["by"], datetime.fromisoformat(applied["at"]), int(applied.get("changed", 0)),
        int(applied.get("not_applied_over_limit", 0)),
    )  # fmt: skip


def _adjustments(record: PlanRecord | None, catalogue: Catalogue) -> tuple[AdjustmentSummary, ...]:
    """The standing adjustments as applied to the plan (``PlanRecord.adjustments``, kept with the plan)."""
    return () if record is None else tuple(_adjustment(item, catalogue) for item in record.adjustments)


def _condition(record: ConditionRecord, catalogue: Catalogue) -> ConditionSummary:
    return ConditionSummary(
        record.code, catalogue.rules[record.code].name, record.cleared_by_name, record.cleared_at, record.max_minutes,
        tuple(record.allowed) if record.allowed is not None else None, record.until, record.cleared_by,
        record.recorded_at,
    )  # fmt: skip


def _earlier(plans: list[PlanRecord], catalogue: Catalogue) -> tuple[EarlierPlan, ...]:
    """Each plan but the latest, with the moment the next one replaced it (plans oldest first)."""
    pairs = pairwise(plans)
    return tuple(EarlierPlan(p.id, p.week_start, n.created_at, _plan(p, catalogue)) for p, n in pairs)


def person_story(store: Store, call: Call, catalogue: Catalogue, person_id: str, today: date) -> PersonStory:
    """One person's story for the exporters; the caller needs to be allowed to read the whole record."""
    authorize(store, call, Verb.read, Area.check_ins, person_id, "report")
    user = store.get(UserRecord, person_id)
    person = store.get(PersonRecord, person_id)
    if user is None or person is None:
        raise NotFound("profile")
    clinical = reads_clinical(store, call, person_id)  # her own report leaves the clinicians' notes out
    where = {"person_id": person_id}
    if person.status == "pregnant" and person.due_date is not None:
        stage = gestation_on(person.due_date, today)
    else:
        stage = postpartum_on(person.birth_date or today, today)
    diary = store.find(DiaryRecord, where, order_by="day")
    check_ins = _latest(store, CheckInRecord, where, "created_at")
    sessions = _latest(store, SessionRecord, where, "started_at")
    red_flags = _latest(store, RedFlagRecord, where, "raised_at")
    plans = store.find(PlanRecord, where, order_by="created_at", descending=True, limit=EARLIER_PLANS + 1)[::-1]
    current = plans[-1] if plans else None
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
        check_ins=tuple(_check_in(c, catalogue) for c in check_ins),
        sessions=tuple(_session(s) for s in sessions),
        red_flags=tuple(_red_flag(f if clinical else private(f), catalogue) for f in red_flags),
        conditions=tuple(_condition(c, catalogue) for c in conditions),
        plan_week_start=current.week_start if current else None,
        plan=_plan(current, catalogue),
        plan_id=current.id if current else None,
        adjustments=_adjustments(current, catalogue),
        earlier_plans=_earlier(plans, catalogue),
        stated_at=person.updated_at,
        given_name=user.display_name,
        family_name=user.family_name,
        date_of_birth=user.date_of_birth,
        hospital_number=user.hospital_number,
        phone=user.phone,
        plan_made_at=current.created_at if current else None,
        time_zone=person.time_zone,
        session_time=time.fromisoformat(person.session_time),
    )
