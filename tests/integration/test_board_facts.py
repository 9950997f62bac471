"""The board's bulk read (SqlStore.board_facts) on both databases: the latest check-in and plan win, the first
check-in starts the programme, only the clinician's active links count, and the 7- and 14-day windows end today."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine

from bumpwell.adapters.db.engine import make_engine, upgrade
from bumpwell.adapters.db.store import SqlStore, SqlStoreFactory
from bumpwell.services.records import (
    CareLinkRecord,
    CheckInRecord,
    ConditionRecord,
    DiaryRecord,
    PlanRecord,
    RedFlagRecord,
    SessionRecord,
    UserRecord,
)
from tests.dbs import backends, fresh_database

TODAY = date(2027, 3, 15)
NOON = datetime(2027, 3, 15, 12, 0, tzinfo=UTC)


@pytest.fixture(params=backends())
def engine(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[Engine]:
    with fresh_database(request.param, str(tmp_path)) as url:
        made = make_engine(url)
        upgrade(made)
        yield made
        made.dispose()


def _at(days_ago: int, hour: int = 9) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time(), UTC) + timedelta(hours=hour)


def _user(store: SqlStore, uid: str, role: str) -> None:
    store.add(UserRecord(uid, f"{uid}@example.org", uid.capitalize(), role, "!", NOON - timedelta(days=90)))


def _link(store: SqlStore, person: str, member: str, status: str = "active") -> None:
    created = NOON - timedelta(days=60)
    store.add(CareLinkRecord(f"l-{person}-{member}", person, member, "clinician", status, None, created, created))


def _check_in(store: SqlStore, person: str, days_ago: int, escalations: str, sessions: int) -> None:
    key = f"{person}-{days_ago}"
    at = _at(days_ago)
    store.add(CheckInRecord(f"c-{key}", person, at.date(), at, {}, {}, "ok_to_exercise", "yes", "lumbar", escalations))
    store.add(PlanRecord(f"p-{key}", person, f"c-{key}", at.date(), at, {"sessions": []}, session_count=sessions))


def _session(store: SqlStore, person: str, days_ago: int, status: str) -> None:
    at = _at(days_ago, 18)
    plan = store.find(PlanRecord, {"person_id": person}, order_by="created_at", limit=1)[0].id
    store.add(SessionRecord(f"s-{person}-{days_ago}-{status}", person, plan, at.date(), "mixed", 25, "required",
                            status, at))  # fmt: skip


def _diary(store: SqlStore, person: str, days_ago: int, pain: int) -> None:
    at = _at(days_ago, 20)
    store.add(DiaryRecord(f"d-{person}-{days_ago}", person, at.date(), pain, "", at, at))


@pytest.fixture
def store(engine: Engine) -> Iterator[SqlStore]:
    """Ana (escalated then better), Bea (a red flag, a clearance she waits for) and Cleo (another clinician's, once
    Dr Lind's) with three weeks of history."""
    with SqlStoreFactory(engine)() as unit:
        for uid, role in (("lind", "clinician"), ("other", "clinician"), ("ana", "person"), ("bea", "person"),
                          ("cleo", "person")):  # fmt: skip
            _user(unit, uid, role)
        _link(unit, "ana", "lind")
        _link(unit, "bea", "lind")
        _link(unit, "cleo", "other")
        _link(unit, "cleo", "lind", status="removed")
        _check_in(unit, "ana", 21, "E2", 11)
        _check_in(unit, "ana", 14, "E2 E3", 11)
        _check_in(unit, "ana", 7, "", 4)  # the latest: no escalation, four sessions a week
        _check_in(unit, "bea", 10, "E4", 7)
        _check_in(unit, "cleo", 3, "E4", 9)
        for days_ago, status in ((0, "completed"), (3, "completed"), (6, "completed"), (7, "completed"),
                                 (2, "stopped"), (1, "started")):  # fmt: skip
            _session(unit, "ana", days_ago, status)
        for days_ago, pain in ((0, 2), (6, 4), (7, 6), (13, 8), (14, 9)):
            _diary(unit, "ana", days_ago, pain)
        unit.add(RedFlagRecord("f1", "bea", "check_in", "c-bea-10", "contact_within_24h", ["RF-U01"], None, _at(10)))
        unit.add(RedFlagRecord("f2", "bea", "session_stopped", "s", None, [], None, _at(2)))
        unit.add(RedFlagRecord("f3", "bea", "check_in", "c", "emergency", ["RF-E01"], None, _at(30), closed_at=_at(29)))
        unit.add(ConditionRecord("k1", "bea", "CI-R01", _at(5)))
        unit.add(ConditionRecord("k2", "bea", "CI-R02", _at(40), cleared_at=_at(39), cleared_by_name="Dr Lind"))
        unit.commit()
        yield unit


def test_only_the_clinicians_active_links_are_read(store: SqlStore) -> None:
    assert sorted(f.person_id for f in store.board_facts("lind", TODAY)) == ["ana", "bea"]
    assert [f.person_id for f in store.board_facts("other", TODAY)] == ["cleo"]


def test_the_latest_check_in_and_plan_win_and_the_first_check_in_starts_the_programme(store: SqlStore) -> None:
    ana = next(f for f in store.board_facts("lind", TODAY) if f.person_id == "ana")
    assert ana.escalations == ()
    assert ana.weekly_sessions == 4
    assert ana.programme_start == TODAY - timedelta(days=21)
    bea = next(f for f in store.board_facts("lind", TODAY) if f.person_id == "bea")
    assert (bea.escalations, bea.weekly_sessions, bea.programme_start) == (("E4",), 7, TODAY - timedelta(days=10))


def test_sessions_completed_and_pain_are_counted_over_the_last_7_and_14_days(store: SqlStore) -> None:
    ana = next(f for f in store.board_facts("lind", TODAY) if f.person_id == "ana")
    assert ana.done_7d == 3  # today, 3 and 6 days ago; not 7 days ago, not stopped or still running
    assert ana.pain_7d == 3.0  # today 2 and 6 days ago 4
    assert ana.pain_prev_7d == 7.0  # 7 days ago 6 and 13 days ago 8; 14 days ago is outside


def test_open_red_flags_and_uncleared_conditions_are_read(store: SqlStore) -> None:
    bea = next(f for f in store.board_facts("lind", TODAY) if f.person_id == "bea")
    assert bea.open_flags == 2
    assert bea.worst_triage == "contact_within_24h"
    assert bea.latest_flag_at == _at(2)
    assert bea.flag_rules == ()  # of the latest open flag: the stopped session
    assert bea.uncleared == ("CI-R01",)
    assert bea.waiting_since == _at(5)
