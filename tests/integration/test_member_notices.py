"""A member's notices as the database counts and pages them (SqlStore.member_notices, behind the Notices page, the
API and the menu's unread count), on both databases: newest first, only from people whose team the member still sits
on, the unread ones alone when asked, and the total whatever the page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from bumpwell.adapters.db.engine import make_engine, upgrade
from bumpwell.adapters.db.store import SqlStore, SqlStoreFactory
from bumpwell.services.records import CareLinkRecord, NoticeRecord, UserRecord
from tests.dbs import backends, fresh_database

NOON = datetime(2027, 3, 15, 12, 0, tzinfo=UTC)


@pytest.fixture(params=backends())
def engine(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[Engine]:
    with fresh_database(request.param, str(tmp_path)) as url:
        made = make_engine(url)
        upgrade(made)
        yield made
        made.dispose()


def _notice(store: SqlStore, key: str, person: str, to: str, hours_ago: int, read: bool = False) -> None:
    at = NOON - timedelta(hours=hours_ago)
    store.add(NoticeRecord(key, person, to, None, "presence", f"{person} asks", at, at if read else None))


@pytest.fixture
def store(engine: Engine) -> Iterator[SqlStore]:
    """Sam supervises Ana and Bea; he left Cleo's team. Ten notices from Ana (the odd ones read), one from Bea, two
    from Cleo; Lind (another member) has one from Ana."""
    with SqlStoreFactory(engine)() as unit:
        for uid, role in (("sam", "supervisor"), ("lind", "clinician"), ("ana", "person"), ("bea", "person"),
                          ("cleo", "person")):  # fmt: skip
            unit.add(UserRecord(uid, f"{uid}@example.org", uid.capitalize(), role, "!", NOON - timedelta(days=9)))
        for person, member, status in (("ana", "sam", "active"), ("bea", "sam", "active"), ("cleo", "sam", "removed"),
                                       ("ana", "lind", "active")):  # fmt: skip
            at = NOON - timedelta(days=8)
            unit.add(CareLinkRecord(f"l-{person}-{member}", person, member, "supervisor", status, None, at, at))
        for n in range(10):
            _notice(unit, f"ana-{n}", "ana", "sam", hours_ago=n * 2, read=n % 2 == 1)
        _notice(unit, "bea-0", "bea", "sam", hours_ago=3)
        _notice(unit, "cleo-0", "cleo", "sam", hours_ago=1)
        _notice(unit, "cleo-1", "cleo", "sam", hours_ago=5, read=True)
        _notice(unit, "lind-0", "ana", "lind", hours_ago=0)
        unit.commit()
        yield unit


def test_newest_first_only_from_teams_he_still_sits_on(store: SqlStore) -> None:
    found, total = store.member_notices("sam")
    assert total == 11, "ten from Ana and one from Bea; none from Cleo, whose team he left, nor Lind's"
    assert [n.id for n in found[:4]] == ["ana-0", "ana-1", "bea-0", "ana-2"]
    assert [n.created_at for n in found] == sorted((n.created_at for n in found), reverse=True)
    assert {n.recipient_id for n in found} == {"sam"}


def test_pages_keep_the_total(store: SqlStore) -> None:
    whole, _ = store.member_notices("sam")
    pages = [store.member_notices("sam", limit=4, offset=offset) for offset in (0, 4, 8, 12)]
    assert [total for _, total in pages] == [11, 11, 11, 11]
    assert [len(page) for page, _ in pages] == [4, 4, 3, 0]
    assert [n.id for page, _ in pages for n in page] == [n.id for n in whole]


def test_unread_alone_and_count_without_rows(store: SqlStore) -> None:
    unread, total = store.member_notices("sam", unread=True)
    assert total == 6, "five of Ana's (the even ones) and Bea's; Cleo's unread one does not count"
    assert all(n.read_at is None for n in unread)
    assert store.member_notices("sam", unread=True, limit=0) == ([], 6)
    assert store.member_notices("lind", unread=True, limit=0) == ([], 1)
    assert store.member_notices("ana") == ([], 0), "a person receives no notices"
