"""Who is there during a session (issue: care team).

A session the plan marks "supervision required" starts only when a supervisor on the care team confirms that
they are there, on their own phone (the person asks, the supervisor taps "I'm here") or on the person's phone
with their own PIN, or when the person explicitly chooses to start alone; that choice is recorded and shown to
the clinician. Every session keeps who supervised it and how.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bumpwell.domain import input_rules
from bumpwell.domain.access import Role
from bumpwell.domain.catalogue import Policy
from bumpwell.errors import Conflict, Forbidden, InvalidRequest, NotFound, TooManyAttempts
from bumpwell.services.common import Call, linked_as, new_id
from bumpwell.services.ports import PasswordHasher, Store
from bumpwell.services.records import (
    CareLinkRecord,
    NoticeRecord,
    PresenceRequestRecord,
    SessionRecord,
    UserRecord,
)

PIN = re.compile(r"^[0-9]{6,8}$")


class Method:
    """How presence was confirmed."""

    own_phone = "own_phone"
    pin = "pin"


@dataclass(frozen=True, slots=True)
class Supervision:
    """What the session will record about who was there."""

    status: str  # confirmed | her_word (someone without an account she named) | alone | not_confirmed | not_needed
    by: str | None = None
    by_name: str | None = None
    method: str | None = None


ALONE = Supervision("alone")


def set_pin(store: Store, hasher: PasswordHasher, user: UserRecord, pin: str) -> UserRecord:
    """A supervisor sets (or changes) the PIN they type on the person's phone."""
    if user.role != Role.supervisor:
        raise Forbidden("only a supervisor account has a presence PIN")
    if not PIN.match(pin):
        raise InvalidRequest("pin", "must be 6 to 8 digits")
    user.pin_hash = hasher.hash(pin)
    store.save(user)
    return user


def supervisors(store: Store, person_id: str) -> list[UserRecord]:
    """The person's accepted supervisors, in the order they joined."""
    out = []
    for link in store.find(
        CareLinkRecord, {"person_id": person_id, "status": "active", "role": "supervisor"}, order_by="accepted_at"
    ):
        member = store.get(UserRecord, link.member_id) if link.member_id else None
        if member is not None:
            out.append(member)
    return out


def with_pin(
    store: Store, hasher: PasswordHasher, policy: Policy, person_id: str, supervisor_id: str, pin: str, now: datetime
) -> Supervision:
    """Presence confirmed on the person's phone: the supervisor typed their own PIN (``pin_max_failures`` wrong
    ones in ``pin_window_min`` make further tries wait)."""
    if linked_as(store, supervisor_id, person_id) is not Role.supervisor:
        raise InvalidRequest("supervisor_id", "is not an accepted supervisor on this person's care team")
    supervisor = store.get(UserRecord, supervisor_id)
    assert supervisor is not None  # linked_as found an active link to this account
    if supervisor.pin_hash is None:
        raise InvalidRequest("pin", f"{supervisor.display_name} has not set a PIN yet (in their own account)")
    key = f"pin:{supervisor_id}"
    window, most = timedelta(minutes=policy.pin_window_min), policy.pin_max_failures
    failures = store.login_failures(key, now - window)
    if len(failures) >= most:
        wait = failures[len(failures) - most] + window - now
        raise TooManyAttempts(max(1, int(wait.total_seconds()) + 1))
    if not hasher.verify(supervisor.pin_hash, pin):
        store.add_login_failure(key, now)
        raise InvalidRequest("pin", f"is not {supervisor.display_name}'s PIN")
    store.clear_login_failures(key)
    return Supervision("confirmed", supervisor.id, supervisor.display_name, Method.pin)


def ask(
    store: Store, call: Call, policy: Policy, person_id: str, day: date, index: int, today: date, mail: bool = False
) -> PresenceRequestRecord:
    """The person asks their supervisors to confirm on their own phones (open ``presence_request_min``); each gets
    a notice in the app, and an e-mail when ``mail`` (an SMTP server is set). The request is for a session today:
    it ends within the hour."""
    if call.user.id != person_id:
        raise NotFound("person")
    if day != today:
        raise InvalidRequest("day", f"must be today ({today.isoformat()}): a request lasts minutes, not days")
    team = supervisors(store, person_id)
    if not team:
        raise Conflict("supervisor", "nobody has joined your care team as a supervisor yet; invite someone first")
    request = PresenceRequestRecord(
        new_id(), person_id, day, index, call.now, call.now + timedelta(minutes=policy.presence_request_min)
    )
    store.add(request)
    text = f"{call.user.display_name} is about to start a session and asks you to confirm that you are with her"
    for member in team:
        notice = NoticeRecord(
            new_id(), person_id, member.id, None, "presence", text, call.now,
            email_status="pending" if mail else "none", next_attempt_at=call.now if mail else None,
        )  # fmt: skip
        store.add(notice)
    return request


def confirm(store: Store, user: UserRecord, request_id: str, now: datetime) -> PresenceRequestRecord:
    """A supervisor confirms, on their own phone, that they are with the person."""
    request = store.get(PresenceRequestRecord, request_id)
    if request is None or linked_as(store, user.id, request.person_id) is not Role.supervisor:
        raise NotFound("presence request")
    if request.expires_at <= now or request.session_id is not None:
        raise Conflict("request", "this request has ended; the person can ask again from the app")
    if request.confirmed_by is None:
        request.confirmed_by, request.confirmed_by_name, request.confirmed_at = user.id, user.display_name, now
        store.save(request)
    return request


def pending_for(store: Store, user: UserRecord, now: datetime) -> list[PresenceRequestRecord]:
    """Requests waiting for this supervisor: from people whose team they sit on, not yet used or expired."""
    out = []
    for link in store.find(CareLinkRecord, {"member_id": user.id, "status": "active", "role": "supervisor"}):
        for request in store.find(PresenceRequestRecord, {"person_id": link.person_id, "session_id": None}):
            if request.expires_at > now:
                out.append(request)
    return sorted(out, key=lambda r: r.created_at, reverse=True)


def use(store: Store, person_id: str, request_id: str, day: date, index: int, now: datetime) -> Supervision:
    """The confirmation behind a request, when it is confirmed, unexpired and for this session."""
    request = store.get(PresenceRequestRecord, request_id)
    if request is None or request.person_id != person_id:
        raise InvalidRequest("presence_request_id", "is not one of your presence requests")
    if request.day != day or request.session_index != index:
        raise InvalidRequest("presence_request_id", "was made for another session")
    if request.confirmed_by is None:
        raise Conflict("presence_request_id", "no supervisor has confirmed yet; wait for them, or use their PIN")
    if request.expires_at <= now or request.session_id is not None:
        raise Conflict("presence_request_id", "this confirmation has ended; ask again")
    return Supervision("confirmed", request.confirmed_by, request.confirmed_by_name, Method.own_phone)


def mark_used(store: Store, request_id: str, session_id: str) -> None:
    """The request now belongs to the session that it let start."""
    request = store.get(PresenceRequestRecord, request_id)
    if request is not None:
        request.session_id = session_id
        store.save(request)


@dataclass(frozen=True, slots=True)
class Choice:
    """What the person says about who is there: start alone, a confirmed request, or a supervisor's PIN."""

    alone: bool = False
    request_id: str | None = None
    supervisor_id: str | None = None
    pin: str | None = None
    named: str | None = None  # someone with her who has no account: her word, not his confirmation


NAME_MAX = 80


def _named(name: str) -> str:
    """The name she gave of someone with her, checked: a 422 naming ``supervision.named``."""
    cleaned = " ".join(name.split())
    problem = input_rules.text_problem(cleaned)
    if problem is not None or not cleaned or len(cleaned) > NAME_MAX:
        raise InvalidRequest("supervision.named", problem or f"the name of who is with you, 1 to {NAME_MAX} characters")
    return cleaned


def named_today(store: Store, person_id: str, day: date) -> str | None:
    """The name she gave today of someone with her (her word), so that she need not give it for each session."""
    found = store.find(SessionRecord, {"person_id": person_id, "day": day, "supervision_status": "her_word"},
                       order_by="started_at", descending=True, limit=1)  # fmt: skip
    return found[0].supervised_by_name if found else None


def resolve(
    store: Store,
    hasher: PasswordHasher,
    policy: Policy,
    person_id: str,
    day: date,
    index: int,
    choice: Choice,
    now: datetime,
) -> Supervision | None:
    """The supervision a session will record for ``choice``; ``None`` when the person said nothing."""
    given = sum((choice.alone, choice.request_id is not None, choice.supervisor_id is not None, bool(choice.named)))
    if given > 1:
        raise InvalidRequest("supervision", "choose one: alone, named, presence_request_id, or supervisor_id with pin")
    if choice.alone:
        return ALONE
    if choice.named:
        return Supervision("her_word", by_name=_named(choice.named), method="her_word")
    if choice.request_id is not None:
        return use(store, person_id, choice.request_id, day, index, now)
    if choice.supervisor_id is not None:
        if not choice.pin:
            raise InvalidRequest("supervision.pin", "the supervisor types their PIN (6 to 8 digits)")
        return with_pin(store, hasher, policy, person_id, choice.supervisor_id, choice.pin, now)
    return None
