"""calendar time: her time zone and the time she would like to exercise

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08 03:10:00

Her calendar's events were all at 09:00 UTC (04:00 in New York, issue 16 point 5). Existing profiles get UTC and
09:00, what their calendars said before, until she chooses.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


# Plain ADD/DROP COLUMN on both databases, with server defaults so that every existing row is kept and filled.
def upgrade() -> None:
    op.add_column("people", sa.Column("time_zone", sa.String(64), nullable=False, server_default="UTC"))
    op.add_column("people", sa.Column("session_time", sa.String(5), nullable=False, server_default="09:00"))


def downgrade() -> None:
    for column in ("session_time", "time_zone"):
        op.drop_column("people", column)
