"""Red flags and the notices they send to the care team (issue: care team).

A check-in whose warning signs send the person to someone within a day or sooner, or a session stopped for a
warning sign, raises a red flag. Every accepted supervisor and clinician then gets a notice in the app, and an
e-mail when the installation has an SMTP server (the outbox keeps it pending until it goes). A flag stays open
until a clinician closes it, saying what was done.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from bumpwell.domain.access import Area, Role, Verb, may
from bumpwell.domain.care_board import TRIAGE_SHORT, raises_flag, warning_rules
from bumpwell.errors import Conflict, InvalidRequest, NotFound
from bumpwell.services.common import Call, authorize, linked_as, new_id
from bumpwell.services.ports import Store
from bumpwell.services.records import (
    CareLinkRecord,
    CheckInRecord,
    NoticeRecord,
    RedFlagRecord,
    SessionRecord,
    UserRecord,
)


def _notify(store: Store, flag: RedFlagRecord, text: str, now: datetime, mail: bool) -> None:
    for link in store.find(CareLinkRecord, {"person_id": flag.person_id, "status": "active"}):
        if link.member_id is None:
            continue
        notice = NoticeRecord(
            new_id(), flag.person_id, link.member_id, flag.id, "red_flag", text, now,
            email_status="pending" if mail else "none", next_attempt_at=now if mail else None,
        )  # fmt: skip
        store.add(notice)


def _person(store: Store, person_id: str) -> UserRecord:
    person = store.get(UserRecord, person_id)
    if person is None:
        raise NotFound("person")
    return person


def from_check_in(store: Store, record: CheckInRecord, mail: bool) -> RedFlagRecord | None:
    """Raise a flag for a check-in that calls for one, and tell the care team; ``None`` when it does not."""
    if not raises_flag(record.response):
        return None
    actions = record.response.get("actions") or []
    first = actions[0]["text"] if actions else None
    flag = RedFlagRecord(
        new_id(), record.person_id, "check_in", record.id, record.triage, warning_rules(record.response), first,
        record.created_at,
    )  # fmt: skip
    store.add(flag)
    person = _person(store, record.person_id)
    urgency = TRIAGE_SHORT[record.triage]
    text = f"{person.display_name} reported a warning sign ({urgency}) and was told: {first or 'see the app'}"
    _notify(store, flag, text, record.created_at, mail)
    return flag


def from_stopped_session(store: Store, session: SessionRecord, mail: bool) -> RedFlagRecord:
    """Raise a flag for a session stopped because of a warning sign, and tell the care team."""
    at = session.ended_at or session.started_at
    flag = RedFlagRecord(new_id(), session.person_id, "session_stopped", session.id, None, [], None, at)
    store.add(flag)
    person = _person(store, session.person_id)
    text = f"{person.display_name} stopped a session because of a warning sign; the app then asks about the signs"
    _notify(store, flag, text, at, mail)
    return flag


def list_flags(
    store: Store, call: Call, person_id: str, open_only: bool, limit: int, offset: int
) -> tuple[list[RedFlagRecord], int]:
    """The person's red flags, newest first."""
    authorize(store, call, Verb.read, Area.red_flags, person_id)
    where: dict[str, object] = {"person_id": person_id}
    if open_only:
        where["closed_at"] = None
    found = store.find(RedFlagRecord, where, order_by="raised_at", descending=True, limit=limit, offset=offset)
    if not reads_clinical(store, call, person_id):
        found = [private(flag) for flag in found]
    return found, store.count(RedFlagRecord, where)


def reads_clinical(store: Store, call: Call, person_id: str) -> bool:
    """Whether the caller reads clinical notes on her record (her care team's clinicians only)."""
    actor = call.actor
    own = actor.role is Role.person and actor.user_id == person_id
    role = None if own else linked_as(store, actor.user_id, person_id)
    return may(actor, Verb.read, Area.clinical_notes, person_id, role)


def private(flag: RedFlagRecord) -> RedFlagRecord:
    """The flag without its closing note (a clinical note): who closed it and when stay."""
    return replace(flag, close_note=None)


def close_flag(store: Store, call: Call, person_id: str, flag_id: str, note: str) -> RedFlagRecord:
    """A clinician closes a flag, saying what was done: a clinical note, for her care team's clinicians only."""
    authorize(store, call, Verb.write, Area.clearance, person_id, "red flag closed")
    flag = store.get(RedFlagRecord, flag_id)
    if flag is None or flag.person_id != person_id:
        raise NotFound("red flag")
    if flag.closed_at is not None:
        raise Conflict("flag", f"was closed already by {flag.closed_by_name}")
    cleaned = note.strip()
    if not 1 <= len(cleaned) <= 1000:
        raise InvalidRequest("note", "say in 1 to 1000 characters what was done (called her, saw her in clinic...)")
    flag.closed_at, flag.closed_by, flag.closed_by_name = call.now, call.user.id, call.user.display_name
    flag.close_note = cleaned
    store.save(flag)
    return flag


def my_notices(store: Store, user: UserRecord, limit: int, offset: int) -> tuple[list[NoticeRecord], int]:
    """A care team member's notices, newest first, only from people whose team they still sit on; and anyone's
    notices about their own account (a password reset or change)."""
    return store.member_notices(user.id, limit=limit, offset=offset)


def unread_count(store: Store, user: UserRecord) -> int:
    """How many notices the member has not opened yet (from people whose team they still sit on): one count, on
    every page a member opens."""
    return store.member_notices(user.id, unread=True, limit=0)[1]


def mark_all_read(store: Store, user: UserRecord, now: datetime) -> int:
    """The member has seen every notice; returns how many were unread."""
    unread = store.find(NoticeRecord, {"recipient_id": user.id, "read_at": None})
    for notice in unread:
        notice.read_at = now
        store.save(notice)
    return len(unread)


def mark_read(store: Store, user: UserRecord, notice_id: str, now: datetime) -> NoticeRecord:
    """The member has seen the notice."""
    notice = store.get(NoticeRecord, notice_id)
    if notice is None or notice.recipient_id != user.id:
        raise NotFound("notice")
    if notice.read_at is None:
        notice.read_at = now
        store.save(notice)
    return notice
