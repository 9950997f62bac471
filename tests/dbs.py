"""Test databases: SQLite always, PostgreSQL at 127.0.0.1:5432 when it answers (and always when CI=true)."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, create_engine, text

from bumpwell.adapters.db.tables import Base

PG_HOST, PG_PORT = "127.0.0.1", 5432
PG_ADMIN_URL = os.environ.get(
    "BUMPWELL_TEST_PG_ADMIN_URL", f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/postgres"
)


def postgres_up() -> bool:
    """True when something listens on the PostgreSQL port."""
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((PG_HOST, PG_PORT)) == 0


def backends() -> list[object]:
    """The parameters for tests that run on every database."""
    skip_pg = pytest.mark.skipif(not postgres_up(), reason=f"PostgreSQL is not listening on {PG_HOST}:{PG_PORT}")
    return ["sqlite", pytest.param("postgresql", marks=skip_pg)]


@contextmanager
def fresh_database(kind: str, tmp_dir: str) -> Iterator[str]:
    """A new, empty database of ``kind``; dropped afterwards. Yields its URL."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_dir}/bumpwell-{uuid.uuid4().hex[:8]}.sqlite3"
        return
    name = f"bumpwell_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def empty_tables(engine: Engine) -> None:
    """Delete every row (children first), keeping the schema: fast isolation between tests."""
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
