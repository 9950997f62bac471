"""The SQLAlchemy unit of work behind :class:`bumpwell.services.ports.Store`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Engine, case, delete, func, inspect, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bumpwell.adapters.db import tables as t
from bumpwell.domain.care_board import FLAG_TRIAGE, Facts, Handled
from bumpwell.domain.feedback import AfterSession
from bumpwell.domain.screening import clearable
from bumpwell.errors import Conflict
from bumpwell.services import records as r

R = TypeVar("R")

TABLE_OF: dict[type[Any], type[t.Base]] = {
    r.UserRecord: t.User,
    r.WebSessionRecord: t.WebSession,
    r.ApiTokenRecord: t.ApiToken,
    r.ResetLinkRecord: t.ResetLink,
    r.KnownDeviceRecord: t.KnownDevice,
    r.PersonRecord: t.Person,
    r.ConditionRecord: t.Condition,
    r.CheckInRecord: t.CheckIn,
    r.PlanRecord: t.Plan,
    r.SessionRecord: t.ExerciseSession,
    r.SessionItemRecord: t.SessionItem,
    r.DiaryRecord: t.DiaryEntry,
    r.CareLinkRecord: t.CareLink,
    r.NoteRecord: t.Note,
    r.AuditRecord: t.AuditEntry,
    r.CalendarFeedRecord: t.CalendarFeed,
    r.RedFlagRecord: t.RedFlag,
    r.NoticeRecord: t.Notice,
    r.PresenceRequestRecord: t.PresenceRequest,
    r.PlanAdjustmentRecord: t.PlanAdjustment,
    r.AcknowledgementRecord: t.Acknowledgement,
}


def _to_record(kind: type[R], row: t.Base) -> R:
    return kind(**{f.name: getattr(row, f.name) for f in fields(kind)})  # type: ignore[arg-type]


def _to_row(record: object) -> t.Base:
    table = TABLE_OF[type(record)]
    return table(**{f.name: getattr(record, f.name) for f in fields(record)})  # type: ignore[arg-type]


def _key(record: object) -> tuple[Any, ...]:
    table = TABLE_OF[type(record)]
    return tuple(getattr(record, column.name) for column in inspect(table).primary_key)


def _board_rows(linked: Any, today: date) -> Any:
    """One row per linked person: name, first check-in day and latest escalations, sessions a week in the latest
    plan, sessions completed in the last 7 days, mean diary pain over the last 7 days and the 7 before, her other
    identifiers and her stage (the profile, joined by its primary key).

    Every value is a subquery of the person's row that reads one index holding all its columns (migration 0004):
    the work grows with the people and their last two weeks, never with their whole history, and the plan stays
    the same whatever the database guesses of how many people a clinician has (a prepared statement's generic plan
    guessed one and joined the grouped counts to each person in turn: half a second for a thousand).
    """
    week_ago, fortnight_ago = today - timedelta(days=7), today - timedelta(days=14)
    ci, plan, ses, diary, user = t.CheckIn, t.Plan, t.ExerciseSession, t.DiaryEntry, t.User

    def one(column: Any, table: Any, *, oldest: bool = False) -> Any:
        order = table.created_at.asc() if oldest else table.created_at.desc()
        return select(column).where(table.person_id == user.id).order_by(order).limit(1).scalar_subquery()

    def mean_pain(after: date, until: date) -> Any:
        where = (diary.person_id == user.id, diary.day > after, diary.day <= until)
        return select(func.avg(diary.pain)).where(*where).scalar_subquery()

    def last(column: Any) -> Any:  # of her latest completed session
        where = (ses.person_id == user.id, ses.status == "completed", ses.day <= today)
        order = (ses.day.desc(), ses.started_at.desc())
        return select(column).where(*where).order_by(*order).limit(1).scalar_subquery()

    done = (
        select(func.count())
        .where(ses.person_id == user.id, ses.day > week_ago, ses.day <= today, ses.status == "completed")
        .scalar_subquery()
    )
    return select(
        user.id, user.display_name, one(ci.day, ci, oldest=True), one(ci.escalations, ci),
        one(plan.session_count, plan), done, mean_pain(week_ago, today), mean_pain(fortnight_ago, week_ago),
        user.family_name, user.date_of_birth, user.hospital_number, t.Person.status, t.Person.due_date,
        t.Person.birth_date, last(ses.pain_before), last(ses.pain_after), last(ses.effort),
    ).outerjoin(t.Person, t.Person.user_id == user.id).where(user.id.in_(linked))  # fmt: skip


class SqlStore:
    """One SQLAlchemy session; records go in and out as plain dataclasses."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, record: object) -> None:
        row = _to_row(record)
        self._session.add(row)
        if isinstance(record, r.AuditRecord):
            return  # its id is not read back: no flush on the hot path
        try:
            self._session.flush()
        except IntegrityError:
            # Two requests wrote the same unique thing at once (the same diary day, say): the loser is told to retry.
            self._session.rollback()
            raise Conflict(
                TABLE_OF[type(record)].__tablename__, "was changed by another request just now; try again"
            ) from None

    def save(self, record: object) -> None:
        table = TABLE_OF[type(record)]
        row = self._session.get(table, _key(record))
        if row is None:
            raise LookupError(f"{table.__tablename__}: no row with key {_key(record)}")
        for f in fields(record):  # type: ignore[arg-type]
            setattr(row, f.name, getattr(record, f.name))
        self._session.flush()

    def remove(self, record: object) -> None:
        table = TABLE_OF[type(record)]
        row = self._session.get(table, _key(record))
        if row is not None:
            self._session.delete(row)
            self._session.flush()

    def get(self, kind: type[R], key: str) -> R | None:
        row = self._session.get(TABLE_OF[kind], key)
        return None if row is None else _to_record(kind, row)

    def _select(self, kind: type[Any], where: dict[str, Any], since: tuple[str, Any] | None) -> Any:
        table = TABLE_OF[kind]
        query = select(table).filter_by(**where)
        if since is not None:
            query = query.where(getattr(table, since[0]) >= since[1])
        return query

    def find(
        self,
        kind: type[R],
        where: dict[str, Any],
        *,
        order_by: str | None = None,
        descending: bool = False,
        limit: int | None = None,
        offset: int = 0,
        since: tuple[str, Any] | None = None,
    ) -> list[R]:
        table = TABLE_OF[kind]
        query = self._select(kind, where, since)
        if order_by is not None:
            column = getattr(table, order_by)
            query = query.order_by(column.desc() if descending else column.asc())
        query = query.offset(offset).limit(limit)
        return [_to_record(kind, row) for row in self._session.scalars(query)]

    def count(self, kind: type[Any], where: dict[str, Any], *, since: tuple[str, Any] | None = None) -> int:
        query = self._select(kind, where, since).with_only_columns(func.count()).order_by(None)
        return int(self._session.scalar(query) or 0)

    def purge(self, kind: type[Any], where: dict[str, Any]) -> int:
        result = self._session.execute(delete(TABLE_OF[kind]).filter_by(**where))
        return int(getattr(result, "rowcount", 0) or 0)

    def add_login_failure(self, key: str, at: datetime) -> None:
        self._session.add(t.LoginFailure(key=key, at=at))
        self._session.flush()

    def login_failures(self, key: str, since: datetime) -> list[datetime]:
        query = select(t.LoginFailure.at).where(t.LoginFailure.key == key, t.LoginFailure.at >= since)
        return sorted(self._session.scalars(query))

    def clear_login_failures(self, key: str) -> None:
        self._session.execute(delete(t.LoginFailure).where(t.LoginFailure.key == key))

    def count_attempt(self, key: str, now: datetime, window_from: datetime) -> tuple[int, datetime]:
        # INSERT ... ON CONFLICT DO UPDATE ... RETURNING: one statement on SQLite (3.35+) and PostgreSQL, so two
        # workers counting at once each see their own count; SET reads the old row, so both CASEs agree.
        row = t.LoginAttempt
        insert = pg_insert if self._session.get_bind().dialect.name == "postgresql" else sqlite_insert
        stale = row.window_start < window_from
        restart = literal(now, row.window_start.type)
        query = (
            insert(row)
            .values(key=key, window_start=now, count=1)
            .on_conflict_do_update(
                index_elements=["key"],
                set_={
                    "count": case((stale, 1), else_=row.count + 1),
                    "window_start": case((stale, restart), else_=row.window_start),
                },
            )
            .returning(row.count, row.window_start)
        )
        count, start = self._session.execute(query).one()
        return int(count), start

    def clear_attempts(self, key: str) -> None:
        self._session.execute(delete(t.LoginAttempt).where(t.LoginAttempt.key == key))

    def forget_stale(self, now: datetime, failures_before: datetime, devices_before: datetime | None = None) -> None:
        self._session.execute(delete(t.WebSession).where(t.WebSession.expires_at <= now))
        self._session.execute(delete(t.LoginFailure).where(t.LoginFailure.at < failures_before))
        self._session.execute(delete(t.LoginAttempt).where(t.LoginAttempt.window_start < failures_before))
        if devices_before is not None:
            self._session.execute(delete(t.KnownDevice).where(t.KnownDevice.last_login_at < devices_before))

    def delete_user(self, user_id: str) -> None:
        # Foreign keys cascade on both databases (SQLite with PRAGMA foreign_keys=ON); notes the person wrote
        # on nobody else's record, so nothing of theirs survives in other people's rows but an anonymous author.
        self._session.execute(delete(t.User).where(t.User.id == user_id))
        self._session.flush()

    def rows_mentioning(self, user_id: str) -> dict[str, int]:
        found: dict[str, int] = {}
        for table in t.Base.metadata.sorted_tables:
            text_columns = [c for c in table.columns if c.type.python_type is str]
            if not text_columns:
                continue
            query = select(func.count()).select_from(table).where(or_(*(c == user_id for c in text_columns)))
            count = int(self._session.scalar(query) or 0)
            if count:
                found[table.name] = count
        return found

    def claim_due_notices(self, now: datetime, lease_until: datetime, limit: int) -> list[r.NoticeRecord]:
        notice = t.Notice
        due = self._session.execute(
            select(notice.id, notice.next_attempt_at)
            .where(notice.email_status == "pending", notice.next_attempt_at <= now)
            .order_by(notice.next_attempt_at)
            .limit(limit)
        ).all()
        claimed = []
        for notice_id, seen in due:
            moved = self._session.execute(
                update(notice)
                .where(notice.id == notice_id, notice.email_status == "pending", notice.next_attempt_at == seen)
                .values(next_attempt_at=lease_until)
            )
            if getattr(moved, "rowcount", 0) == 1:
                claimed.append(notice_id)
        self._session.commit()
        return [found for found in (self.get(r.NoticeRecord, key) for key in claimed) if found is not None]

    def member_notices(
        self, member_id: str, *, unread: bool = False, limit: int | None = None, offset: int = 0
    ) -> tuple[list[r.NoticeRecord], int]:
        """A member's notices from people whose team they still sit on, and those about their own account, newest
        first: a page of them and how many there are. Counted and paged by the database (a clinician of a thousand
        people gathers hundreds)."""
        notice, link = t.Notice, t.CareLink
        on_team = (
            select(link.id)
            .where(link.person_id == notice.person_id, link.member_id == member_id, link.status == "active")
            .exists()
        )
        where = [notice.recipient_id == member_id, or_(notice.person_id == member_id, on_team)]
        if unread:
            where.append(notice.read_at.is_(None))
        total = int(self._session.scalar(select(func.count()).select_from(notice).where(*where)) or 0)
        if limit == 0 or total <= offset:
            return [], total
        query = select(notice).where(*where).order_by(notice.created_at.desc(), notice.id.desc())
        rows = self._session.scalars(query.offset(offset).limit(limit))
        return [_to_record(r.NoticeRecord, row) for row in rows], total

    def board_facts(self, member_id: str, today: date, person_id: str | None = None) -> list[Facts]:
        """Four queries whatever the number of people (the board must stay fast at a thousand): one row a person
        with every count and latest value, then the open red flags, the conditions and the standing
        acknowledgements (a few rows). With ``person_id``, only hers."""
        where = [t.CareLink.member_id == member_id, t.CareLink.status == "active"]
        if person_id is not None:
            where.append(t.CareLink.person_id == person_id)
        linked = select(t.CareLink.person_id).where(*where).scalar_subquery()
        flags = self._open_flags(linked)
        waiting = self._uncleared(linked, today)
        handled = self._handled(linked, today)
        facts = []
        for (
            pid, name, first_day, escalations, weekly, done, pain_7d, pain_before, family, born, number, status, due,
            birth, before, after, effort,
        ) in self._session.execute(_board_rows(linked, today)):  # fmt: skip
            fact = Facts(
                pid, name, **flags.get(pid, {}), **waiting.get(pid, {}),
                escalations=tuple((escalations or "").split()), weekly_sessions=weekly or 0, done_7d=int(done or 0),
                programme_start=first_day, pain_7d=None if pain_7d is None else float(pain_7d),
                pain_prev_7d=None if pain_before is None else float(pain_before),
                family_name=family, date_of_birth=born, hospital_number=number, status=status, due_date=due,
                birth_date=birth, handled=handled.get(pid, ()),
                last_session=AfterSession(before, after, effort) if before is not None or effort else None,
            )  # fmt: skip
            facts.append(fact)
        return facts

    def _open_flags(self, linked: Any) -> dict[str, dict[str, Any]]:
        """Per person: how many red flags are open, the most urgent triage, and the latest one's time and rules."""
        out: dict[str, dict[str, Any]] = {}
        for pid, triage, raised_at, rules in self._session.execute(
            select(t.RedFlag.person_id, t.RedFlag.triage, t.RedFlag.raised_at, t.RedFlag.rules)
            .where(t.RedFlag.person_id.in_(linked), t.RedFlag.closed_at.is_(None))
            .order_by(t.RedFlag.raised_at)
        ):
            entry = out.setdefault(pid, {"open_flags": 0})
            entry["open_flags"] += 1
            worst = entry.get("worst_triage")
            if triage in FLAG_TRIAGE and (worst is None or FLAG_TRIAGE.index(triage) < FLAG_TRIAGE.index(worst)):
                entry["worst_triage"] = triage
            entry["latest_flag_at"], entry["flag_rules"] = raised_at, tuple(rules)
        return out

    def _handled(self, linked: Any, today: date) -> dict[str, tuple[Handled, ...]]:
        """Per person: the acknowledgements that still stand (their day has not come), oldest first."""
        ack = t.Acknowledgement
        out: dict[str, tuple[Handled, ...]] = {}
        for pid, kind, codes, missed, by, note, until in self._session.execute(
            select(ack.person_id, ack.kind, ack.codes, ack.missed, ack.by_name, ack.note, ack.until)
            .where(ack.person_id.in_(linked), ack.until > today)
            .order_by(ack.created_at)
        ):
            out[pid] = (*out.get(pid, ()), Handled(kind, tuple(codes.split()), missed, by, note, until))
        return out

    def _uncleared(self, linked: Any, today: date) -> dict[str, dict[str, Any]]:
        """Per person: the relative contraindications without a valid clearance, and since when the first waits."""
        out: dict[str, dict[str, Any]] = {}
        for pid, code, recorded_at, cleared_at, until in self._session.execute(
            select(t.Condition.person_id, t.Condition.code, t.Condition.recorded_at, t.Condition.cleared_at,
                   t.Condition.until)
            .where(t.Condition.person_id.in_(linked))
            .order_by(t.Condition.code)
        ):  # fmt: skip
            valid = cleared_at is not None and (until is None or until >= today)
            if clearable(code) and not valid:
                entry = out.setdefault(pid, {"uncleared": (), "waiting_since": recorded_at})
                entry["uncleared"] = (*entry["uncleared"], code)
                entry["waiting_since"] = min(entry["waiting_since"], recorded_at)
        return out

    def commit(self) -> None:
        self._session.commit()

    def rollback(self) -> None:
        self._session.rollback()


class SqlStoreFactory:
    """Opens :class:`SqlStore` units of work on one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False, autoflush=False)

    @contextmanager
    def __call__(self) -> Iterator[SqlStore]:
        with self._sessions() as session:
            try:
                yield SqlStore(session)
            finally:
                session.rollback()
