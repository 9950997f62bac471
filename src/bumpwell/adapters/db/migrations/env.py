"""Alembic environment: uses the caller's connection when given one (``bumpwell db upgrade``)."""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection

from bumpwell.adapters.db.engine import make_engine
from bumpwell.adapters.db.tables import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = make_engine(config.get_main_option("sqlalchemy.url") or os.environ["BUMPWELL_DATABASE_URL"])
    with engine.begin() as own:
        _run(own)
    engine.dispose()
