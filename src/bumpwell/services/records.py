"""The records services read and write. Field names match the stored columns one for one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(slots=True)
class UserRecord:
    id: str
    email: str
    display_name: str
    role: str
    password_hash: str
    created_at: datetime
    pin_hash: str | None = None
    family_name: str | None = None
    date_of_birth: date | None = None
    hospital_number: str | None = None
    phone: str | None = None


@dataclass(slots=True)
class WebSessionRecord:
    token_hash: str
    user_id: str
    csrf_token: str
    created_at: datetime
    expires_at: datetime


@dataclass(slots=True)
class ApiTokenRecord:
    id: str
    user_id: str
    name: str
    token_hash: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


@dataclass(slots=True)
class ResetLinkRecord:
    id: str
    user_id: str
    token_hash: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


@dataclass(slots=True)
class KnownDeviceRecord:
    key_hash: str  # the hash of the device cookie with the account's id
    user_id: str
    created_at: datetime
    last_login_at: datetime


@dataclass(slots=True)
class PersonRecord:
    user_id: str
    status: str
    due_date: date | None
    birth_date: date | None
    delivery: str | None
    perineal_tear: bool
    plurality: int
    activity_history: str
    days_per_week: int
    minutes_per_day: int
    pool_access: bool
    supervisor_available: bool
    updated_at: datetime
    unit_phone: str | None = None  # her own maternity unit's or midwife's number, for the warning screens
    time_zone: str = "UTC"  # an IANA zone name: her calendar's events are at session_time there
    session_time: str = "09:00"  # HH:MM, when she would like to exercise


@dataclass(slots=True)
class ConditionRecord:
    id: str
    person_id: str
    code: str
    recorded_at: datetime
    cleared_by: str | None = None
    cleared_by_name: str | None = None
    cleared_at: datetime | None = None
    max_minutes: int | None = None
    allowed: list[Any] | None = None
    until: date | None = None


@dataclass(slots=True)
class CheckInRecord:
    id: str
    person_id: str
    day: date
    created_at: datetime
    request: dict[str, Any]
    response: dict[str, Any]
    triage: str
    exercise: str
    pattern: str
    escalations: str = ""
    follow_up: dict[str, Any] | None = None  # her answer about being seen after a warning sign
    held_by: str | None = None  # the red flag whose follow-up kept exercise off at this check


@dataclass(slots=True)
class PlanRecord:
    id: str
    person_id: str
    check_in_id: str
    week_start: date
    created_at: datetime
    plan: dict[str, Any]
    session_count: int = 0
    adjustments: list[Any] = field(default_factory=list)


@dataclass(slots=True)
class SessionRecord:
    id: str
    person_id: str
    plan_id: str
    day: date
    kind: str
    minutes: int
    supervision: str
    status: str
    started_at: datetime
    ended_at: datetime | None = None
    stop_reason: str | None = None
    stop_note: str | None = None
    pain_before: int | None = None
    pain_after: int | None = None
    effort: str | None = None
    unusual: str | None = None
    supervision_status: str | None = None
    supervised_by: str | None = None
    supervised_by_name: str | None = None
    supervision_method: str | None = None


@dataclass(slots=True)
class SessionItemRecord:
    id: str
    session_id: str
    position: int
    exercise: str
    dose: dict[str, Any]
    status: str
    sets_done: int | None = None
    reps_done: int | None = None
    minutes_done: int | None = None
    pain: int | None = None
    updated_at: datetime | None = None


@dataclass(slots=True)
class DiaryRecord:
    id: str
    person_id: str
    day: date
    pain: int
    note: str
    created_at: datetime
    updated_at: datetime


@dataclass(slots=True)
class CareLinkRecord:
    id: str
    person_id: str
    member_id: str | None
    role: str
    status: str
    code_hash: str | None
    created_at: datetime
    expires_at: datetime
    joined_at: datetime | None = None
    accepted_at: datetime | None = None
    removed_at: datetime | None = None


@dataclass(slots=True)
class NoteRecord:
    id: str
    person_id: str
    author_id: str | None
    author_name: str
    text: str
    created_at: datetime
    visibility: str = "to_her"  # to_her: she reads it; clinical: her clinicians only (domain.access.NOTE_AREAS)


@dataclass(slots=True)
class AuditRecord:
    at: datetime
    actor_id: str | None
    actor_role: str
    subject_id: str
    verb: str
    area: str
    detail: str = ""
    id: int | None = None


@dataclass(slots=True)
class CalendarFeedRecord:
    person_id: str
    token_hash: str
    created_at: datetime


@dataclass(slots=True)
class RedFlagRecord:
    id: str
    person_id: str
    kind: str
    source_id: str
    triage: str | None
    rules: list[Any]
    action: str | None
    raised_at: datetime
    closed_at: datetime | None = None
    closed_by: str | None = None
    closed_by_name: str | None = None
    close_note: str | None = None


@dataclass(slots=True)
class NoticeRecord:
    id: str
    person_id: str
    recipient_id: str
    flag_id: str | None
    kind: str
    text: str
    created_at: datetime
    read_at: datetime | None = None
    email_status: str = "none"
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    sent_at: datetime | None = None


@dataclass(slots=True)
class PresenceRequestRecord:
    id: str
    person_id: str
    day: date
    session_index: int
    created_at: datetime
    expires_at: datetime
    confirmed_by: str | None = None
    confirmed_by_name: str | None = None
    confirmed_at: datetime | None = None
    session_id: str | None = None


@dataclass(slots=True)
class PlanAdjustmentRecord:
    id: str
    person_id: str
    author_id: str | None
    author_name: str
    exercise: str
    action: str
    dose: dict[str, Any] | None
    reason: str
    created_at: datetime
    ended_at: datetime | None = None
    ended_by_name: str | None = None


@dataclass(slots=True)
class AcknowledgementRecord:
    id: str
    person_id: str
    kind: str
    codes: str
    missed: int
    by_id: str | None
    by_name: str
    note: str
    created_at: datetime
    until: date
