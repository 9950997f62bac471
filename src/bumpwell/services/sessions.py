"""Exercise sessions: start one from the current plan, log each exercise, complete it or stop it with a reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bumpwell.domain.access import Area, Verb
from bumpwell.domain.catalogue import Catalogue, Policy
from bumpwell.domain.check_gate import NOT_CHECKED, check_problem
from bumpwell.domain.programme import SessionOutcome, provoking
from bumpwell.domain.session_state import ItemStatus, SessionStatus, StopReason, require_running
from bumpwell.errors import Conflict, InvalidRequest, NotFound
from bumpwell.services import flags, presence
from bumpwell.services.common import Call, authorize, new_id
from bumpwell.services.ports import PasswordHasher, Store
from bumpwell.services.presence import Choice, Supervision
from bumpwell.services.records import CheckInRecord, PlanRecord, SessionItemRecord, SessionRecord


@dataclass(frozen=True, slots=True)
class ItemResult:
    """How one exercise of the session went."""

    position: int
    status: ItemStatus
    sets_done: int | None = None
    reps_done: int | None = None
    minutes_done: int | None = None
    pain: int | None = None


@dataclass(frozen=True, slots=True)
class Start:
    """Which planned session to start, the pain before it, and who is there (when the plan needs someone)."""

    day: date
    index: int
    pain_before: int | None = None
    choice: Choice = field(default_factory=Choice)


def start_session(
    store: Store, call: Call, hasher: PasswordHasher, policy: Policy, person_id: str, start: Start
) -> tuple[SessionRecord, list[SessionItemRecord]]:
    """Start a planned session: the one use case behind the API, the check page and ``bumpwell session``.

    Its starting pain is ``start.pain_before``, else the check-in's pain now, so that M10 can compare against it.

    The gates, in order: only the person starts her sessions; her latest check-in found no warning sign, held no
    earlier one that is not yet followed up (``services.follow_up``), and is recent (``check_fresh_min``); the plan
    has the session; a session that needs supervision has a supervisor's confirmation (their phone or their PIN)
    or her explicit choice to start alone. A wrong PIN is committed so that it counts even though the session does
    not start. The session records who was there.
    """
    if call.user.id != person_id:  # nobody else may start her session, nor try a PIN on her behalf
        authorize(store, call, Verb.write, Area.sessions, person_id, "session started")
    planned = _planned(store, policy, person_id, start, call.now)
    supervision = _supervision(store, hasher, policy, person_id, start, planned, call.now)
    authorize(store, call, Verb.write, Area.sessions, person_id, "session started")
    session = SessionRecord(
        new_id(), person_id, planned.plan_id, start.day, planned.item["kind"], planned.item["minutes"],
        planned.item["supervision"], SessionStatus.started.value, call.now,
        pain_before=planned.pain_now if start.pain_before is None else start.pain_before,
        supervision_status=supervision.status, supervised_by=supervision.by, supervised_by_name=supervision.by_name,
        supervision_method=supervision.method,
    )  # fmt: skip
    store.add(session)
    items = []
    for position, item in enumerate(planned.item["items"]):
        record = SessionItemRecord(new_id(), session.id, position, item["exercise"], item["dose"], ItemStatus.pending)
        store.add(record)
        items.append(record)
    if start.choice.request_id is not None:
        presence.mark_used(store, start.choice.request_id, session.id)
    return session, items


@dataclass(frozen=True, slots=True)
class _Planned:
    plan_id: str
    item: dict[str, Any]
    pain_now: int | None  # the check-in's pain: a session starts from it unless the person says another


def _planned(store: Store, policy: Policy, person_id: str, start: Start, now: datetime) -> _Planned:
    """The planned session, once the check before a session lets it start."""
    latest = store.find(CheckInRecord, {"person_id": person_id}, order_by="created_at", descending=True, limit=1)
    if not latest:
        raise Conflict("check_in", NOT_CHECKED)
    check = latest[0]
    held = check.held_by is not None  # a warning sign not yet followed up (services.follow_up)
    problem = check_problem(check.created_at, check.triage, check.exercise, now, policy.check_fresh_min, held)
    if problem is not None:
        raise Conflict("check_in", problem)
    plan = store.find(PlanRecord, {"check_in_id": check.id}, limit=1)[0]
    todays = [s for s in plan.plan["sessions"] if s["day"] == start.day.isoformat()]
    if not todays:
        raise InvalidRequest("day", f"the current plan has no session on {start.day.isoformat()}")
    if start.index >= len(todays):
        raise InvalidRequest(
            "index", f"the plan has {len(todays)} session(s) on {start.day.isoformat()}; index starts at 0"
        )
    pain = check.request.get("pain", {}).get("nrs_now")
    return _Planned(plan.id, todays[start.index], pain if isinstance(pain, int) else None)


def _supervision(
    store: Store,
    hasher: PasswordHasher,
    policy: Policy,
    person_id: str,
    start: Start,
    planned: _Planned,
    now: datetime,
) -> Supervision:
    """What the session records about who is there; refused when the plan needs someone and nobody said."""
    try:
        supervision = presence.resolve(store, hasher, policy, person_id, start.day, start.index, start.choice, now)
    except InvalidRequest:
        store.commit()  # a wrong PIN counts towards the limit even though the session does not start
        raise
    if supervision is not None:
        return supervision
    if planned.item["supervision"] == "required":
        raise Conflict(
            "supervision",
            "this session needs someone with you: a supervisor confirms on their phone or with their PIN, "
            "or you choose to start alone",
        )
    return Supervision("not_needed" if planned.item["supervision"] == "not_needed" else "not_confirmed")


def _session(store: Store, person_id: str, session_id: str) -> SessionRecord:
    record = store.get(SessionRecord, session_id)
    if record is None or record.person_id != person_id:
        raise NotFound("session")
    return record


def _items(store: Store, session_id: str) -> list[SessionItemRecord]:
    return store.find(SessionItemRecord, {"session_id": session_id}, order_by="position")


def get_session(
    store: Store, call: Call, person_id: str, session_id: str
) -> tuple[SessionRecord, list[SessionItemRecord]]:
    """One session and its exercises."""
    authorize(store, call, Verb.read, Area.schedule, person_id)
    session = _session(store, person_id, session_id)
    return session, _items(store, session.id)


def list_sessions(store: Store, call: Call, person_id: str, limit: int, offset: int) -> tuple[list[SessionRecord], int]:
    """Sessions, newest first."""
    authorize(store, call, Verb.read, Area.schedule, person_id)
    where = {"person_id": person_id}
    items = store.find(SessionRecord, where, order_by="started_at", descending=True, limit=limit, offset=offset)
    return items, store.count(SessionRecord, where)


def log_item(
    store: Store, call: Call, person_id: str, session_id: str, result: ItemResult
) -> tuple[SessionRecord, list[SessionItemRecord]]:
    """Record how one exercise went while the session runs."""
    authorize(store, call, Verb.write, Area.sessions, person_id, "session progress")
    session = _session(store, person_id, session_id)
    require_running(session.status)
    items = _items(store, session.id)
    if not 0 <= result.position < len(items):
        raise InvalidRequest("position", f"must be from 0 to {len(items) - 1} (the exercises of this session)")
    item = items[result.position]
    item.status = result.status.value
    item.sets_done, item.reps_done, item.minutes_done = result.sets_done, result.reps_done, result.minutes_done
    item.pain, item.updated_at = result.pain, call.now
    store.save(item)
    return session, items


def complete_session(
    store: Store, call: Call, catalogue: Catalogue, person_id: str, session_id: str,
    pain_after: int, effort: str, unusual: str,
) -> tuple[SessionRecord, list[SessionItemRecord], tuple[str, ...]]:  # fmt: skip
    """End the session as done; returns the exercises that will be made easier next time (M10)."""
    authorize(store, call, Verb.write, Area.sessions, person_id, "session completed")
    session = _session(store, person_id, session_id)
    require_running(session.status)
    session.status, session.ended_at = SessionStatus.completed.value, call.now
    session.pain_after, session.effort, session.unusual = pain_after, effort, unusual or None
    store.save(session)
    items = _items(store, session.id)
    for item in items:
        if item.status == ItemStatus.pending:
            item.status = ItemStatus.done.value
            store.save(item)
    done = tuple(i.exercise for i in items if i.status in (ItemStatus.done, ItemStatus.partial))
    pains = tuple((i.exercise, i.pain) for i in items if i.pain is not None)
    outcome = SessionOutcome(session.day, True, session.pain_before, pain_after, done, pains)
    return session, items, provoking((outcome,), catalogue.policy)


def stop_session(
    store: Store, call: Call, person_id: str, session_id: str, reason: StopReason, note: str, pain_after: int | None,
    *, mail: bool,
) -> tuple[SessionRecord, list[SessionItemRecord]]:  # fmt: skip
    """End the session early and keep why; a warning sign is then shown with the red-flag notices."""
    authorize(store, call, Verb.write, Area.sessions, person_id, f"session stopped: {reason.value}")
    session = _session(store, person_id, session_id)
    require_running(session.status)
    session.status, session.ended_at = SessionStatus.stopped.value, call.now
    session.stop_reason, session.stop_note, session.pain_after = reason.value, note or None, pain_after
    store.save(session)
    if reason is StopReason.warning_sign:
        flags.from_stopped_session(store, session, mail)
    return session, _items(store, session.id)
