"""The database itself: migrations equal the models, SQLite runs in WAL with foreign keys, times stay UTC."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, text

from bumpwell.adapters.db.engine import current_revision, head_revision, make_engine, upgrade
from bumpwell.adapters.db.store import SqlStoreFactory
from bumpwell.adapters.db.tables import Base
from bumpwell.services.records import UserRecord
from tests.dbs import backends, fresh_database


@pytest.fixture(params=backends())
def engine(request: pytest.FixtureRequest, tmp_path: object) -> Iterator[Engine]:
    with fresh_database(request.param, str(tmp_path)) as url:
        made = make_engine(url)
        yield made
        made.dispose()


def test_a_new_database_is_migrated_to_the_head_and_a_second_upgrade_changes_nothing(engine: Engine) -> None:
    assert current_revision(engine) is None
    assert upgrade(engine) == head_revision()
    assert upgrade(engine) == head_revision()


def test_the_migrations_build_exactly_the_tables_the_models_describe(engine: Engine) -> None:
    upgrade(engine)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}), Base.metadata)
    assert diff == []


def test_sqlite_runs_in_wal_mode_with_foreign_keys_on(tmp_path: object) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/sub/dir/db.sqlite3")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_times_come_back_tz_aware_in_utc_and_naive_times_are_refused(engine: Engine) -> None:
    upgrade(engine)
    stores = SqlStoreFactory(engine)
    paris = datetime(2027, 1, 11, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    with stores() as store:
        store.add(UserRecord("u1", "a@example.org", "A", "person", "x", paris))
        store.commit()
    with stores() as store:
        back = store.get(UserRecord, "u1")
        assert back is not None
        assert back.created_at == paris
        assert back.created_at.tzinfo == UTC
        with pytest.raises(Exception, match="naive datetime"):
            store.add(UserRecord("u2", "b@example.org", "B", "person", "x", datetime(2027, 1, 11, 10, 0)))


def test_two_writes_of_the_same_diary_day_at_once_give_the_loser_a_conflict(engine: Engine) -> None:
    from datetime import date

    from bumpwell.errors import Conflict
    from bumpwell.services.records import DiaryRecord

    upgrade(engine)
    stores = SqlStoreFactory(engine)
    now = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
    with stores() as store:
        store.add(UserRecord("u1", "a@example.org", "A", "person", "x", now))
        store.commit()
    with stores() as first, stores() as second:
        first.add(DiaryRecord("d1", "u1", date(2027, 1, 11), 3, "", now, now))
        first.commit()
        with pytest.raises(Conflict, match="another request"):
            second.add(DiaryRecord("d2", "u1", date(2027, 1, 11), 4, "", now, now))


def test_expired_sessions_and_old_failed_logins_are_forgotten(engine: Engine) -> None:
    from bumpwell.services.records import WebSessionRecord

    upgrade(engine)
    stores = SqlStoreFactory(engine)
    now = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)
    with stores() as store:
        store.add(UserRecord("u1", "a@example.org", "A", "person", "x", now))
        store.add(WebSessionRecord("old", "u1", "c", now - timedelta(days=20), now - timedelta(days=6)))
        store.add(WebSessionRecord("live", "u1", "c", now, now + timedelta(days=14)))
        store.add_login_failure("email:a@example.org", now - timedelta(hours=2))
        store.add_login_failure("email:a@example.org", now - timedelta(minutes=1))
        store.forget_stale(now, now - timedelta(minutes=15))
        store.commit()
    with stores() as store:
        assert store.get(WebSessionRecord, "old") is None
        assert store.get(WebSessionRecord, "live") is not None
        assert store.login_failures("email:a@example.org", now - timedelta(days=1)) == [now - timedelta(minutes=1)]


def _to(engine: Engine, revision: str) -> None:
    from alembic import command

    from bumpwell.adapters.db.engine import alembic_config

    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def test_upgrading_to_0003_raises_the_red_flags_of_the_stored_history_and_loses_nothing(engine: Engine) -> None:
    """An installation with check-ins and a stopped session from before 0003 shows them as a new one would."""
    import json

    _to(engine, "0002")
    at = datetime(2027, 1, 11, 9, tzinfo=UTC)
    when = at.replace(tzinfo=None) if engine.dialect.name == "sqlite" else at
    flagged = {"triage": "urgent_same_day", "reasons": [{"rule": "RF-U02"}, {"rule": "E4"}],
               "actions": [{"kind": "call_maternity_unit_now", "text": "Call your maternity unit now."}]}  # fmt: skip
    calm = {"triage": "ok_to_exercise", "reasons": [{"rule": "M02"}], "actions": []}
    plan = {"week_start": "2027-01-11", "sessions": [{"day": "2027-01-11"}, {"day": "2027-01-13"}]}
    with engine.begin() as c:
        c.execute(
            text("INSERT INTO users (id, email, display_name, role, password_hash, created_at) "
                 "VALUES ('u1', 'a@example.org', 'Ana', 'person', 'x', :at)"), {"at": when},
        )  # fmt: skip
        for cid, response in (("c1", flagged), ("c2", calm)):
            c.execute(
                text("INSERT INTO check_ins (id, person_id, day, created_at, request, response, triage, exercise, "
                     "pattern) VALUES (:id, 'u1', '2027-01-11', :at, '{}', :r, :t, 'no', 'lumbar')"),
                {"id": cid, "at": when, "r": json.dumps(response), "t": response["triage"]},
            )  # fmt: skip
        c.execute(
            text("INSERT INTO plans (id, person_id, check_in_id, week_start, created_at, plan) "
                 "VALUES ('p1', 'u1', 'c2', '2027-01-11', :at, :plan)"), {"at": when, "plan": json.dumps(plan)},
        )  # fmt: skip
        c.execute(
            text("INSERT INTO sessions (id, person_id, plan_id, day, kind, minutes, supervision, status, started_at, "
                 "ended_at, stop_reason) VALUES ('s1', 'u1', 'p1', '2027-01-11', 'strength', 20, 'required', "
                 "'stopped', :at, :at, 'warning_sign')"), {"at": when},
        )  # fmt: skip
    assert upgrade(engine) == head_revision()
    with engine.connect() as c:
        flags = c.execute(text("SELECT kind, source_id, triage, action FROM red_flags ORDER BY kind")).all()
        assert [tuple(f) for f in flags] == [
            ("check_in", "c1", "urgent_same_day", "Call your maternity unit now."),
            ("session_stopped", "s1", None, None),
        ]
        escalations = dict(c.execute(text("SELECT id, escalations FROM check_ins")).all())
        assert escalations == {"c1": "E4", "c2": ""}
        assert c.execute(text("SELECT session_count FROM plans")).scalar() == 2
        assert c.execute(text("SELECT status, supervision_status FROM sessions")).one() == ("stopped", None)


def test_upgrading_to_0006_keeps_every_account_with_its_name_as_the_given_name(engine: Engine) -> None:
    """Accounts made before identifiers were asked keep their rows; family name and date of birth wait for her."""
    _to(engine, "0005")
    at = datetime(2027, 1, 11, 9, tzinfo=UTC)
    when = at.replace(tzinfo=None) if engine.dialect.name == "sqlite" else at
    with engine.begin() as c:
        c.execute(
            text("INSERT INTO users (id, email, display_name, role, password_hash, created_at) "
                 "VALUES ('u1', 'a@example.org', 'Hana', 'person', 'x', :at)"), {"at": when},
        )  # fmt: skip
        c.execute(
            text("INSERT INTO diary_entries (id, person_id, day, pain, note, created_at, updated_at) "
                 "VALUES ('d1', 'u1', '2027-01-10', 3, 'stiff', :at, :at)"), {"at": when},
        )  # fmt: skip
    assert upgrade(engine) == head_revision()
    with engine.connect() as c:
        columns = "display_name, family_name, date_of_birth, hospital_number, phone"
        row = c.execute(text(f"SELECT {columns} FROM users")).one()
        assert tuple(row) == ("Hana", None, None, None, None)
        assert c.execute(text("SELECT note FROM diary_entries")).scalar() == "stiff"


def test_upgrading_to_0010_keeps_every_note_as_one_she_reads(engine: Engine) -> None:
    """Every note written before a clinician could choose was one she read: it stays ``to_her``."""
    _to(engine, "0009")
    at = datetime(2027, 1, 11, 9, tzinfo=UTC)
    when = at.replace(tzinfo=None) if engine.dialect.name == "sqlite" else at
    with engine.begin() as c:
        c.execute(
            text("INSERT INTO users (id, email, display_name, role, password_hash, created_at) "
                 "VALUES ('u1', 'a@example.org', 'Ana', 'person', 'x', :at)"), {"at": when},
        )  # fmt: skip
        c.execute(
            text("INSERT INTO notes (id, person_id, author_id, author_name, text, created_at) "
                 "VALUES ('n1', 'u1', NULL, 'Cleo', 'Walk on the flat.', :at)"), {"at": when},
        )  # fmt: skip
    assert upgrade(engine) == head_revision()
    with engine.connect() as c:
        assert tuple(c.execute(text("SELECT text, visibility FROM notes")).one()) == ("Walk on the flat.", "to_her")
