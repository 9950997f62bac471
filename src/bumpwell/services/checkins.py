"""Daily check-ins: the stored profile plus today's answers go through the engine; request and answer are kept."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bumpwell.domain.access import Area, Role, Verb
from bumpwell.domain.adjustments import Adjustment, apply
from bumpwell.domain.assessment import assess
from bumpwell.domain.care_board import escalation_rules
from bumpwell.domain.catalogue import Catalogue
from bumpwell.domain.check_gate import stops
from bumpwell.domain.programme import History, SessionOutcome, counts_for_adherence, summarise
from bumpwell.domain.stage import GESTATION_WEEKS, gestation_on, postpartum_on
from bumpwell.domain.values import SCHEMA
from bumpwell.errors import Conflict, InvalidRequest, NotFound
from bumpwell.services import flags, follow_up
from bumpwell.services.common import Call, authorize, linked_as, new_id
from bumpwell.services.ports import Store
from bumpwell.services.records import (
    CheckInRecord,
    ConditionRecord,
    DiaryRecord,
    PersonRecord,
    PlanAdjustmentRecord,
    PlanRecord,
    SessionItemRecord,
    SessionRecord,
)

TODAYS_KEYS = ("observations", "pain", "wants")  # and follow_up, which stays out of the engine's request


def _stage(person: PersonRecord, today: date) -> dict[str, Any]:
    if person.status == "pregnant" and person.due_date is not None:
        weeks, days = gestation_on(person.due_date, today)
        if not GESTATION_WEEKS[0] <= weeks <= GESTATION_WEEKS[1]:
            raise Conflict(
                "due_date",
                f"gives {weeks}+{days} weeks today: tell us the date your baby was born, or correct the due date",
            )
        return {"status": "pregnant", "gestation": {"weeks": weeks, "days": days}}
    assert person.birth_date is not None  # put_profile requires both after the birth
    assert person.delivery is not None
    weeks, days = postpartum_on(person.birth_date, today)
    block = {"weeks": weeks, "days": days, "delivery": person.delivery, "perineal_tear": person.perineal_tear}
    return {"status": "postpartum", "postpartum": block}


def _conditions(store: Store, person_id: str, today: date) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for record in store.find(ConditionRecord, {"person_id": person_id}, order_by="code"):
        cleared = record.cleared_at is not None and (record.until is None or record.until >= today)
        item: dict[str, Any] = {"code": record.code, "cleared": cleared}
        limits = {"max_minutes": record.max_minutes, "allowed": record.allowed}
        limits = {key: value for key, value in limits.items() if value is not None}
        if cleared and limits:
            item["limits"] = limits
        out.append(item)
    return out


def _programme(store: Store, catalogue: Catalogue, person_id: str, today: date, pain_now: Any) -> dict[str, Any] | None:
    first = store.find(CheckInRecord, {"person_id": person_id}, order_by="created_at", limit=1)
    if not first:
        return None
    since = today - timedelta(days=catalogue.policy.history_days)
    sessions = store.find(SessionRecord, {"person_id": person_id}, since=("day", since))
    outcomes = []
    for session in sessions:
        if session.status == "started":
            continue
        items = store.find(SessionItemRecord, {"session_id": session.id})
        done = tuple(i.exercise for i in items if i.status in ("done", "partial"))
        item_pain = tuple((i.exercise, i.pain) for i in items if i.pain is not None)
        completed = session.status == "completed" and counts_for_adherence(session.kind)
        outcomes.append(
            SessionOutcome(session.day, completed, session.pain_before, session.pain_after, done, item_pain)
        )
    diary = store.find(DiaryRecord, {"person_id": person_id}, since=("day", since), order_by="day")
    baseline = first[0].request.get("pain", {}).get("nrs_now")
    current = pain_now if isinstance(pain_now, int) else (diary[-1].pain if diary else None)
    history = History(
        started=first[0].day,
        today=today,
        planned_sessions=_planned_before(store, person_id, first[0].day, today),
        sessions=tuple(outcomes),
        diary=tuple((d.day, d.pain) for d in diary),
        baseline_nrs=baseline if isinstance(baseline, int) else None,
        current_nrs=current,
    )
    return summarise(history, catalogue.policy)


def _planned_before(store: Store, person_id: str, start: date, today: date) -> int:
    """Sessions planned on days before today, from the latest plan made for each week."""
    latest: dict[date, PlanRecord] = {}
    for plan in store.find(
        PlanRecord, {"person_id": person_id}, order_by="created_at", since=("week_start", start - timedelta(days=7))
    ):
        latest[plan.week_start] = plan
    days: set[tuple[str, int]] = set()
    for plan in latest.values():
        for index, session in enumerate(plan.plan.get("sessions", [])):
            day = date.fromisoformat(session["day"])
            if start <= day < today and counts_for_adherence(session["kind"]):
                days.add((session["day"], index))
    return len(days)


def build_request(
    store: Store, catalogue: Catalogue, person: PersonRecord, answers: dict[str, Any], today: date
) -> dict[str, Any]:
    """The assessment request for today: stored facts plus today's answers."""
    unknown = sorted(set(answers) - set(TODAYS_KEYS))
    if unknown:
        raise InvalidRequest(unknown[0], f"unknown field; a check-in takes {', '.join(TODAYS_KEYS)}")
    request: dict[str, Any] = {"schema": SCHEMA, "today": today.isoformat(), **_stage(person, today)}
    request["plurality"] = person.plurality
    request["conditions"] = _conditions(store, person.user_id, today)
    request.update({key: answers[key] for key in TODAYS_KEYS if key in answers})
    request["activity_history"] = person.activity_history
    request["preferences"] = {
        "days_per_week": person.days_per_week,
        "minutes_per_day": person.minutes_per_day,
        "pool_access": person.pool_access,
        "supervisor_available": person.supervisor_available,
    }
    pain_now = answers.get("pain", {}).get("nrs_now") if isinstance(answers.get("pain"), dict) else None
    programme = _programme(store, catalogue, person.user_id, today, pain_now)
    if programme is not None:
        request["programme"] = programme
    return request


def check_in(
    store: Store, call: Call, catalogue: Catalogue, person_id: str, answers: dict[str, Any], today: date,
    *, mail: bool,
) -> tuple[CheckInRecord, PlanRecord]:  # fmt: skip
    """Assess today and keep the request, the answer and the week's plan (with the clinicians' adjustments).

    A warning sign that sends the person to someone raises a red flag and tells the care team (by e-mail too
    when ``mail``). Until such a flag is followed up (``services.follow_up``), a calm check keeps exercise off: it
    records the flag in ``held_by``, which the check before a session refuses.
    """
    authorize(store, call, Verb.write, Area.check_ins, person_id, "check-in")
    person = store.get(PersonRecord, person_id)
    if person is None:
        raise Conflict("profile", "tell bumpwell your due date (or birth date) first")
    answer = follow_up.clean(answers.get("follow_up"))
    request = build_request(store, catalogue, person, {k: v for k, v in answers.items() if k != "follow_up"}, today)
    response = assess(request, catalogue, today)
    record = CheckInRecord(
        new_id(), person_id, today, call.now, request, response,
        response["triage"], response["exercise"], response["pattern"], " ".join(escalation_rules(response)),
        follow_up=answer,
    )  # fmt: skip
    store.add(record)
    flags.from_check_in(store, record, mail)
    holding = follow_up.open_finding(store, catalogue.policy, person_id)
    if holding is not None and not stops(record.triage, record.exercise):
        record.held_by = holding.id  # the engine's answer is kept as it is; the gate reads held_by
        store.save(record)
    week_start = date.fromisoformat(response["plan"]["week_start"])
    plan = PlanRecord(new_id(), person_id, record.id, week_start, call.now, response["plan"])
    adjust_plan(store, catalogue, plan, record)
    store.add(plan)
    return record, plan


def check_before_session(
    store: Store, call: Call, catalogue: Catalogue, person_id: str, observations: dict[str, Any], today: date,
    *, mail: bool, answer: dict[str, Any] | None = None,
) -> CheckInRecord:  # fmt: skip
    """The check before a session: today's warning signs (none, or those ticked) with the latest pain carried over.

    ``answer`` is her follow-up after a warning sign (``services.follow_up``). The web's check page and
    ``bumpwell session`` both record it, so the session that follows starts from a
    check-in on record, seen by the engine and the care team.
    """
    latest = store.find(CheckInRecord, {"person_id": person_id}, order_by="created_at", descending=True, limit=1)
    answers: dict[str, Any] = {"observations": observations}
    if answer is not None:
        answers["follow_up"] = answer  # whether she was seen after a warning sign, and what she was told
    if latest and "pain" in latest[0].request:
        answers["pain"] = latest[0].request["pain"]
    record, _plan = check_in(store, call, catalogue, person_id, answers, today, mail=mail)
    return record


def adjust_plan(store: Store, catalogue: Catalogue, plan: PlanRecord, check: CheckInRecord) -> None:
    """Set ``plan`` to the engine's plan of ``check`` with the adjustments that stand now (in place)."""
    standing = store.find(PlanAdjustmentRecord, {"person_id": plan.person_id, "ended_at": None}, order_by="created_at")
    items = [
        Adjustment(a.id, a.exercise, a.action, a.dose, a.reason, a.author_name, a.created_at.isoformat())
        for a in standing
    ]
    limits = [c.get("limits", {}).get("max_minutes") for c in check.request.get("conditions", []) if c.get("cleared")]
    cleared = [m for m in limits if isinstance(m, int)]
    plan.plan, plan.adjustments = apply(check.response["plan"], items, catalogue, min(cleared) if cleared else None)
    plan.session_count = len(plan.plan.get("sessions", []))


def list_check_ins(
    store: Store, call: Call, person_id: str, limit: int, offset: int
) -> tuple[list[CheckInRecord], int]:
    """Check-ins, newest first, and how many there are."""
    authorize(store, call, Verb.read, Area.check_ins, person_id)
    where = {"person_id": person_id}
    items = store.find(CheckInRecord, where, order_by="created_at", descending=True, limit=limit, offset=offset)
    return items, store.count(CheckInRecord, where)


def get_check_in(store: Store, call: Call, person_id: str, check_in_id: str) -> CheckInRecord:
    """One check-in with the request the engine saw and its whole answer."""
    authorize(store, call, Verb.read, Area.check_ins, person_id)
    record = store.get(CheckInRecord, check_in_id)
    if record is None or record.person_id != person_id:
        raise NotFound("check-in")
    return record


def current_plan(store: Store, call: Call, person_id: str) -> PlanRecord:
    """The plan from the latest check-in."""
    found = latest_plan(store, call, person_id)
    if found is None:
        raise NotFound("plan (check in first)")
    return found


def latest_plan(store: Store, call: Call, person_id: str) -> PlanRecord | None:
    """The plan from the latest check-in, or ``None`` before the first; a read of the schedule, audited as such."""
    authorize(store, call, Verb.read, Area.schedule, person_id)
    found = store.find(PlanRecord, {"person_id": person_id}, order_by="created_at", descending=True, limit=1)
    return _as_seen_by(store, call, person_id, found)[0] if found else None


def plan_history(store: Store, call: Call, person_id: str, limit: int, offset: int) -> tuple[list[PlanRecord], int]:
    """Plans, newest first: the latest of each check-in, so the history shows how the weeks changed."""
    authorize(store, call, Verb.read, Area.schedule, person_id)
    where = {"person_id": person_id}
    items = store.find(PlanRecord, where, order_by="created_at", descending=True, limit=limit, offset=offset)
    return _as_seen_by(store, call, person_id, items), store.count(PlanRecord, where)


def _as_seen_by(store: Store, call: Call, person_id: str, plans: list[PlanRecord]) -> list[PlanRecord]:
    """The plans as the caller may read them: a supervisor sees what changed, never a clinician's reason for it.

    A clinician's reasons are clinical words meant for her (``Area.adjustments``, which a supervisor may not read);
    the records are copies, so leaving the reason out here never touches what is stored.
    """
    if linked_as(store, call.user.id, person_id) is not Role.supervisor:
        return plans
    for plan in plans:
        plan.adjustments = [{k: v for k, v in entry.items() if k != "reason"} for entry in plan.adjustments]
    return plans
