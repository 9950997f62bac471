"""acknowledgements: a clinician's "handled" on a board line, with a note and until when

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08 02:30:00

An escalation or a missed-sessions line a clinician has dealt with leaves the board's need blocks until the day
she chose, or until something new comes (another escalation, more sessions missed). Each is kept, with who, when
and why, and the change is in the audit log.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "acknowledgements",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("codes", sa.String(length=64), nullable=False),
        sa.Column("missed", sa.Integer(), nullable=False),
        sa.Column("by_id", sa.String(length=36), nullable=True),
        sa.Column("by_name", sa.String(length=80), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["users.id"], name=op.f("fk_acknowledgements_person_id_users"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], name=op.f("fk_acknowledgements_by_id_users"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acknowledgements")),
    )  # fmt: skip
    op.create_index("ix_acknowledgements_person_until", "acknowledgements", ["person_id", "until"])


def downgrade() -> None:
    op.drop_index("ix_acknowledgements_person_until", table_name="acknowledgements")
    op.drop_table("acknowledgements")
