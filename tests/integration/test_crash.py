"""Crash safety: a writer killed with SIGKILL in the middle of writes, twenty times, on every database.

The writer (``crash_writer.py``, a separate process) writes diary entries through the services and prints an
acknowledgement only after each commit has returned. After every kill, every acknowledged write must be in the
database as acknowledged, the write that was in flight may or may not be there, nothing else may be, and each
entry's audit record must have been committed with it. SQLite must pass ``PRAGMA integrity_check`` and
``PRAGMA foreign_key_check``; PostgreSQL's indexes and tables go through ``amcheck`` where it can be created.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from bumpwell.bootstrap import upgrade_database, wire
from bumpwell.domain.access import Role
from bumpwell.services.accounts import create_user
from tests.dbs import backends, fresh_database
from tests.integration.crash_writer import note_of, settings

WRITER = Path(__file__).with_name("crash_writer.py")
ROUNDS = 20
RUN_FOR_S = (0.05, 0.4)  # after the first acknowledgement, before the kill
START_TIMEOUT_S = 30.0
PASSWORD = "correct horse battery"


@dataclass
class Expected:
    """What a day's diary entry may look like: its id once acknowledged, and the (pain, note) pairs allowed."""

    id: str | None = None
    allowed: set[tuple[int, str]] = field(default_factory=set)
    acked_writes: int = 0
    unsure_writes: int = 0  # writes in flight at a kill: committed or not


@dataclass
class Ledger:
    """Everything the writers acknowledged, and the writes in flight when they were killed."""

    days: dict[str, Expected] = field(default_factory=dict)
    acked_per_round: list[int] = field(default_factory=list)
    killed_mid_write: int = 0

    def take(self, round_no: int, lines: list[str]) -> None:
        """Read one writer's output; only whole lines count, and an ``ok`` only after its ``try``."""
        tried: tuple[int, str, int] | None = None
        acked = 0
        for line in lines:
            if not line.endswith("\n"):
                continue  # cut off by the kill: not delivered, so not acknowledged
            word, *rest = line.split()
            if word == "try":
                tried = (int(rest[0]), rest[1], int(rest[2]))
            elif word == "ok":
                n, entry_id, day, pain, is_new = int(rest[0]), rest[1], rest[2], int(rest[3]), rest[4] == "1"
                assert tried == (n, day, pain), f"round {round_no}: acknowledgement {line!r} after {tried}"
                tried = None
                expected = self.days.setdefault(day, Expected())
                assert is_new == (expected.id is None), f"round {round_no}: {line!r} but expected {expected}"
                assert expected.id in (None, entry_id), f"round {round_no}: {day} changed id to {entry_id}"
                expected.id = entry_id
                expected.allowed = {(pain, note_of(round_no, n))}
                expected.acked_writes += 1
                acked += 1
        if tried is not None:  # the kill came between "try" and "ok": this write may or may not have committed
            n, day, pain = tried
            expected = self.days.setdefault(day, Expected())
            expected.allowed.add((pain, note_of(round_no, n)))
            expected.unsure_writes += 1
            self.killed_mid_write += 1
        self.acked_per_round.append(acked)


def _collect(stream: IO[str], lines: list[str], first_ack: threading.Event) -> None:
    for line in stream:
        lines.append(line)
        if line.startswith("ok "):
            first_ack.set()


def run_and_kill(url: str, person_id: str, round_no: int, run_for_s: float, wal: Path | None) -> list[str]:
    """Start a writer, let it acknowledge writes for ``run_for_s`` seconds, SIGKILL it; return all it printed."""
    lines: list[str] = []
    first_ack = threading.Event()
    command = [sys.executable, str(WRITER), url, person_id, str(round_no)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as writer:
        assert writer.stdout is not None
        reader = threading.Thread(target=_collect, args=(writer.stdout, lines, first_ack), daemon=True)
        reader.start()
        started = first_ack.wait(START_TIMEOUT_S)
        if started:
            time.sleep(run_for_s)
        still_running = writer.poll() is None
        if still_running:
            os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=30)
        reader.join(timeout=30)
        assert not reader.is_alive(), f"round {round_no}: the writer's output did not end after the kill"
    output = "".join(lines)[-4000:]
    assert started, f"round {round_no}: no acknowledged write within {START_TIMEOUT_S} s:\n{output}"
    assert still_running, f"round {round_no}: the writer ended before the kill (status {writer.returncode}):\n{output}"
    assert writer.returncode == -signal.SIGKILL, f"round {round_no}: status {writer.returncode}:\n{output}"
    if wal is not None:  # killed, not closed: SQLite recovers the next open from the write-ahead log left behind
        assert wal.exists(), f"round {round_no}: no write-ahead log left by the killed writer"
    return lines


def check_contents(url: str, person_id: str, ledger: Ledger, when: str) -> int:
    """Every acknowledged write is there as acknowledged, and nothing else; returns the number of entries."""
    wiring = wire(settings(url))
    try:
        with wiring.engine.connect() as connection:
            rows = connection.execute(text("SELECT id, person_id, day, pain, note FROM diary_entries")).all()
            details = connection.execute(
                text("SELECT detail FROM audit_log WHERE subject_id = :p AND area = 'diary' AND verb = 'write'"),
                {"p": person_id},
            ).scalars()
            audited = Counter(detail.removeprefix("diary ") for detail in details)
    finally:
        wiring.engine.dispose()
    found = {str(row.day): row for row in rows}
    assert len(found) == len(rows), f"{when}: two entries on one day"
    for day, expected in ledger.days.items():
        row = found.get(day)
        if expected.id is None:  # only ever in flight: may be missing
            assert row is None or (row.pain, row.note) in expected.allowed, f"{when}: {day} is {row}"
            continue
        assert row is not None, f"{when}: the acknowledged entry for {day} ({expected.id}) is gone"
        assert (row.id, row.person_id) == (expected.id, person_id), f"{when}: {day} is {row}"
        assert (row.pain, row.note) in expected.allowed, f"{when}: {day} is {row}, expected one of {expected.allowed}"
    unexpected = set(found) - set(ledger.days)
    assert not unexpected, f"{when}: entries nobody wrote: {sorted(unexpected)[:5]}"
    # Atomicity: each committed write committed its audit record with it, and nothing but committed writes did.
    assert set(audited) == set(found), f"{when}: audited days {set(audited) ^ set(found)} differ from the entries"
    for day, expected in ledger.days.items():
        low, high = expected.acked_writes, expected.acked_writes + expected.unsure_writes
        assert low <= audited[day] <= high, f"{when}: {day} has {audited[day]} audit records, expected {low}-{high}"
    return len(rows)


def check_sqlite_integrity(url: str, when: str) -> None:
    wiring = wire(settings(url))
    try:
        with wiring.engine.connect() as connection:
            integrity = connection.execute(text("PRAGMA integrity_check")).scalars().all()
            foreign = connection.execute(text("PRAGMA foreign_key_check")).all()
    finally:
        wiring.engine.dispose()
    assert integrity == ["ok"], f"{when}: PRAGMA integrity_check says {integrity}"
    assert foreign == [], f"{when}: PRAGMA foreign_key_check found {foreign}"


def check_postgresql_integrity(url: str, when: str) -> bool:
    """``amcheck`` on every B-tree index (with the heap) and every table; ``False`` when it cannot be created."""
    wiring = wire(settings(url))
    try:
        try:
            with wiring.engine.begin() as connection:
                connection.execute(text("CREATE EXTENSION IF NOT EXISTS amcheck"))
        except DBAPIError:
            return False
        with wiring.engine.begin() as connection:
            indexes = (
                connection.execute(
                    text(
                        "SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                        " JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace"
                        " WHERE a.amname = 'btree' AND n.nspname = 'public'"
                    )
                )
                .scalars()
                .all()
            )
            for index in indexes:
                connection.execute(text("SELECT bt_index_check(CAST(:i AS regclass), true)"), {"i": index})
            tables = (
                connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars().all()
            )
            for table in tables:
                damage = connection.execute(
                    text("SELECT * FROM verify_heapam(CAST(:t AS regclass))"), {"t": table}
                ).all()
                assert damage == [], f"{when}: verify_heapam({table}) reports {damage}"
    finally:
        wiring.engine.dispose()
    assert indexes, "no B-tree index to check"
    return True


@pytest.mark.slow
@pytest.mark.parametrize("kind", backends())
def test_acknowledged_writes_survive_twenty_sigkills(kind: str, tmp_path: Path) -> None:
    rng = random.Random(f"bumpwell-crash-{kind}")
    with fresh_database(kind, str(tmp_path)) as url:
        wiring = wire(settings(url))
        try:
            upgrade_database(wiring)
            with wiring.stores() as store:
                person = create_user(
                    store, wiring.hasher, wiring.clock(), "crash@example.org", PASSWORD, "Crash Test", Role.person
                )
                store.commit()
        finally:
            wiring.engine.dispose()
        wal = Path(url.split("///", 1)[1] + "-wal") if kind == "sqlite" else None

        ledger = Ledger()
        entries = 0
        for round_no in range(ROUNDS):
            lines = run_and_kill(url, person.id, round_no, rng.uniform(*RUN_FOR_S), wal)
            ledger.take(round_no, lines)
            when = f"after kill {round_no + 1}"
            entries = check_contents(url, person.id, ledger, when)
            if kind == "sqlite":
                check_sqlite_integrity(url, when)

        acknowledged = sum(ledger.acked_per_round)
        print(
            f"{kind}: {ROUNDS} kills ({ledger.killed_mid_write} with a write in flight), {acknowledged} acknowledged"
            f" writes {ledger.acked_per_round}, {entries} entries"
        )
        assert all(ledger.acked_per_round), f"a round acknowledged nothing: {ledger.acked_per_round}"
        assert acknowledged >= 5 * ROUNDS
        assert ledger.killed_mid_write >= ROUNDS // 2, f"only {ledger.killed_mid_write} kills came mid-write"
        if kind == "sqlite":
            check_sqlite_integrity(url, "at the end")
        else:
            checked = check_postgresql_integrity(url, "at the end")
            print("amcheck:", "passed" if checked else "could not be created; the contents checks ran without it")
