"""The tables. Every person-owned row cascades from ``users`` so that deleting an account leaves nothing behind."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back tz-aware (SQLite would drop the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: bumpwell stores only tz-aware times")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Json = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    """Declarative base with constraint names that Alembic can rely on."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UtcDateTime, dict[str, Any]: Json, list[Any]: Json}


def _user_fk(nullable: bool = False) -> Mapped[Any]:
    return mapped_column(String(36), ForeignKey("users.id", ondelete="CASCADE"), nullable=nullable, index=True)


class User(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))  # a person's given name (domain.identity)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    pin_hash: Mapped[str | None] = mapped_column(String(200))  # a supervisor's PIN, to confirm on the person's phone
    # a person's other identifiers (migration 0006): None on accounts made before them, until she completes them
    family_name: Mapped[str | None] = mapped_column(String(80))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    hospital_number: Mapped[str | None] = mapped_column(String(20))
    phone: Mapped[str | None] = mapped_column(String(24))


class WebSession(Base):
    __tablename__ = "web_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = _user_fk()
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class ApiToken(Base):
    __tablename__ = "api_tokens"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = _user_fk()
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class LoginFailure(Base):
    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime]
    __table_args__ = (Index("ix_login_failures_key_at", "key", "at"),)


class LoginAttempt(Base):
    """Login attempts counted in one window per key (a hash of account and address, of account and known device,
    or of an address): counted by one atomic upsert before the password is checked."""

    __tablename__ = "login_attempts"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(index=True)
    count: Mapped[int] = mapped_column(Integer)


class KnownDevice(Base):
    """A browser that logged in to the account before (its cookie's hash with the account's id): its logins are
    counted apart from strangers at the same address, so they cannot lock her out."""

    __tablename__ = "known_devices"
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = _user_fk()
    created_at: Mapped[datetime]
    last_login_at: Mapped[datetime] = mapped_column(index=True)


class ResetLink(Base):
    __tablename__ = "reset_links"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = _user_fk()
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class Person(Base):
    __tablename__ = "people"
    user_id: Mapped[str] = mapped_column(String(36), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    due_date: Mapped[date | None] = mapped_column(Date)
    birth_date: Mapped[date | None] = mapped_column(Date)
    delivery: Mapped[str | None] = mapped_column(String(16))
    perineal_tear: Mapped[bool] = mapped_column(Boolean, default=False)
    plurality: Mapped[int] = mapped_column(Integer, default=1)
    activity_history: Mapped[str] = mapped_column(String(16))
    days_per_week: Mapped[int] = mapped_column(Integer)
    minutes_per_day: Mapped[int] = mapped_column(Integer)
    pool_access: Mapped[bool] = mapped_column(Boolean)
    supervisor_available: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime]
    unit_phone: Mapped[str | None] = mapped_column(String(24))  # her maternity unit or midwife (migration 0008)
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    session_time: Mapped[str] = mapped_column(String(5), default="09:00", server_default="09:00")


class Condition(Base):
    """A screening answer (a contraindication that applies) and, when given, a clinician's clearance."""

    __tablename__ = "conditions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = _user_fk()
    code: Mapped[str] = mapped_column(String(16))
    recorded_at: Mapped[datetime]
    cleared_by: Mapped[str | None] = mapped_column(String(36), ForeignKey("users.id", ondelete="SET NULL"))
    cleared_by_name: Mapped[str | None] = mapped_column(String(80))
    cleared_at: Mapped[datetime | None]
    max_minutes: Mapped[int | None] = mapped_column(Integer)
    allowed: Mapped[list[Any] | None]
    until: Mapped[date | None] = mapped_column(Date)
    __table_args__ = (UniqueConstraint("person_id", "code", name="uq_conditions_person_code"),)


class CheckIn(Base):
    """One assessment: the request the engine saw and its whole answer, so every decision can be replayed."""

    __tablename__ = "check_ins"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = _user_fk()
    day: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime]
    request: Mapped[dict[str, Any]]
    response: Mapped[dict[str, Any]]
    triage: Mapped[str] = mapped_column(String(32))
    exercise: Mapped[str] = mapped_column(String(16))
    pattern: Mapped[str] = mapped_column(String(32))
    escalations: Mapped[str] = mapped_column(String(64), default="", server_default="")  # E rules, space-separated
    follow_up: Mapped[dict[str, Any] | None]  # seen after a warning sign, by whom, what she was told (0008)
    held_by: Mapped[str | None] = mapped_column(String(36))  # the red flag that kept exercise off (0008)
    # the board reads the latest check-in's escalations and the first day from this index alone (migration 0004)
    __table_args__ = (Index("ix_check_ins_person_latest", "person_id", "created_at", "day", "escalations"),)


class Plan(Base):
    __tablename__ = "plans"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = _user_fk()
    check_in_id: Mapped[str] = mapped_column(String(36), ForeignKey("check_ins.id", ondelete="CASCADE"), index=True)
    week_start: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime]
    plan: Mapped[dict[str, Any]]  # the engine's plan with the clinicians' adjustments applied
    session_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # what the clinicians changed, as applied to this plan
    adjustments: Mapped[list[Any]] = mapped_column(default=list, server_default=text("'[]'"))
    __table_args__ = (Index("ix_plans_person_latest", "person_id", "created_at", "session_count"),)  # the board


class ExerciseSession(Base):
    __tablename__ = "sessions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = _user_fk()
    plan_id: Mapped[str] = mapped_column(String(36), ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    minutes: Mapped[int] = mapped_column(Integer)
    supervision: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    stop_reason: Mapped[str | None] = mapped_column(String(16))
    stop_note: Mapped[str | None] = mapped_column(Text)
    pain_before: Mapped[int | None] = mapped_column(Integer)
    pain_after: Mapped[int | None] = mapped_column(Integer)
    effort: Mapped[str | None] = mapped_column(String(24))
    unusual: Mapped[str | None] = mapped_column(Text)
    supervision_status: Mapped[str | None] = mapped_column(String(16))  # confirmed | alone | not_needed
    supervised_by: Mapped[str | None] = mapped_column(String(36), ForeignKey("users.id", ondelete="SET NULL"))
    supervised_by_name: Mapped[str | None] = mapped_column(String(80))
    supervision_method: Mapped[str | None] = mapped_column(String(16))  # own_phone | pin
    __table_args__ = (Index("ix_sessions_person_day_status", "person_id", "day", "status"),)  # the board


class SessionItem(Base):
    __tablename__ = "session_items"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    session_id: Mapped[str] = mapped_column(String(36), ForeignKey("sessions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    exercise: Mapped[str] = mapped_column(String(64))
    dose: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(16))
    sets_done: Mapped[int | None] = mapped_column(Integer)
    reps_done: Mapped[int | None] = mapped_column(Integer)
    minutes_done: Mapped[int | None] = mapped_column(Integer)
    pain: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime | None]


class DiaryEntry(Base):
    __tablename__ = "diary_entries"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = _user_fk()
    day: Mapped[date] = mapped_column(Date)
    pain: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    __table_args__ = (
        UniqueConstraint("person_id", "day", name="uq_diary_entries_person_day"),
        Index("ix_diary_entries_person_day_pain", "person_id", "day", "pain"),  # the board's pain, from the index
    )


class CareLink(Base):
    """A place on a person's care team: invited (code issued), pending (code redeemed), active or removed."""

    __tablename__ = "care_links"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = _user_fk()
    member_id: Mapped[str | None] = mapped_column(String(36), ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    joined_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]
    removed_at: Mapped[datetime | None]


class Note(Base):
    __tablename__ = "notes"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = _user_fk()
    author_id: Mapped[str | None] = mapped_column(String(36), ForeignKey("users.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(80))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    visibility: Mapped[str] = mapped_column(String(16), default="to_her", server_default="to_her")  # or "clinical"


class AuditEntry(Base):
    """Who read or changed whose health data. Rows about a deleted person go with the person."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime]
    actor_id: Mapped[str | None] = mapped_column(String(36), ForeignKey("users.id", ondelete="SET NULL"))
    actor_role: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = _user_fk()
    verb: Mapped[str] = mapped_column(String(8))
    area: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str] = mapped_column(String(200), default="")
    __table_args__ = (Index("ix_audit_log_subject_at", "subject_id", "at"),)


class CalendarFeed(Base):
    """The secret address of a person's calendar feed: only its hash is kept; a new one replaces the old."""

    __tablename__ = "calendar_feeds"
    person_id: Mapped[str] = mapped_column(String(36), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]


class RedFlag(Base):
    """A warning sign the person reported (a check-in that sends them to someone, or a session stopped for one).

    It stays open until a clinician on the care team closes it, saying what was done.
    """

    __tablename__ = "red_flags"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = _user_fk()
    kind: Mapped[str] = mapped_column(String(16))  # check_in | session_stopped
    source_id: Mapped[str] = mapped_column(String(36))
    triage: Mapped[str | None] = mapped_column(String(32))
    rules: Mapped[list[Any]]
    action: Mapped[str | None] = mapped_column(Text)  # the first thing the person was told to do
    raised_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    closed_by: Mapped[str | None] = mapped_column(String(36), ForeignKey("users.id", ondelete="SET NULL"))
    closed_by_name: Mapped[str | None] = mapped_column(String(80))
    close_note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_red_flags_person_raised", "person_id", "raised_at"),)


class Notice(Base):
    """A message to one member of the care team, shown in the app and, when SMTP is set up, sent by e-mail.

    ``email_status`` is ``none`` (no e-mail to send), ``pending`` (to send, retried until it goes) or ``sent``.
    """

    __tablename__ = "notices"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = _user_fk()
    recipient_id: Mapped[str] = _user_fk()
    flag_id: Mapped[str | None] = mapped_column(String(36), ForeignKey("red_flags.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))  # red_flag | presence
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]
    email_status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(300))
    sent_at: Mapped[datetime | None]
    __table_args__ = (
        Index("ix_notices_recipient_created", "recipient_id", "created_at"),
        Index("ix_notices_email_status_next", "email_status", "next_attempt_at"),
    )


class PresenceRequest(Base):
    """The person asks their supervisors to confirm, on their own phones, that one of them is there."""

    __tablename__ = "presence_requests"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = _user_fk()
    day: Mapped[date] = mapped_column(Date)
    session_index: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    confirmed_by: Mapped[str | None] = mapped_column(String(36), ForeignKey("users.id", ondelete="SET NULL"))
    confirmed_by_name: Mapped[str | None] = mapped_column(String(80))
    confirmed_at: Mapped[datetime | None]
    session_id: Mapped[str | None] = mapped_column(String(36), ForeignKey("sessions.id", ondelete="SET NULL"))


class PlanAdjustment(Base):
    """A clinician's change to a person's plans: take an exercise out, or change its dose, with the reason."""

    __tablename__ = "plan_adjustments"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = _user_fk()
    author_id: Mapped[str | None] = mapped_column(String(36), ForeignKey("users.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(String(80))
    exercise: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))  # exclude | dose
    dose: Mapped[dict[str, Any] | None]
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    ended_by_name: Mapped[str | None] = mapped_column(String(80))


class Acknowledgement(Base):
    """A clinician's "handled" on a board line (an escalation, missed sessions): who, why, and until which day.

    ``codes`` are the escalations it covered (space-separated) and ``missed`` the sessions missed it covered: a new
    escalation, or more sessions missed, puts the line back before ``until``.
    """

    __tablename__ = "acknowledgements"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(String(36), ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # escalation | missed
    codes: Mapped[str] = mapped_column(String(64))
    missed: Mapped[int] = mapped_column(Integer)
    by_id: Mapped[str | None] = mapped_column(String(36), ForeignKey("users.id", ondelete="SET NULL"))
    by_name: Mapped[str] = mapped_column(String(80))
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    until: Mapped[date] = mapped_column(Date)
    __table_args__ = (Index("ix_acknowledgements_person_until", "person_id", "until"),)
