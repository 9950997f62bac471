"""a warning sign is followed up: her answer on the check-in, the flag that held exercise, her unit's number

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 03:10:00

Issue 15 point 8. The new columns are empty on existing rows (every row is kept): a check-in without a follow-up
answer, one that held nothing, and a person without a stored number (the warning screens then name whom to call).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


# Plain ADD/DROP COLUMN on both databases, as 0006: a batch copy on SQLite would cascade-delete dependent rows.
def upgrade() -> None:
    json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
    op.add_column("check_ins", sa.Column("follow_up", json, nullable=True))
    op.add_column("check_ins", sa.Column("held_by", sa.String(36), nullable=True))
    op.add_column("people", sa.Column("unit_phone", sa.String(24), nullable=True))


def downgrade() -> None:
    op.drop_column("people", "unit_phone")
    op.drop_column("check_ins", "held_by")
    op.drop_column("check_ins", "follow_up")
