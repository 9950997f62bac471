"""note visibility: a clinician's note is to her (she reads it) or clinical (her care team's clinicians only)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 03:45:00

Issue 17 point 5. Every note written before this was one she could read, so existing rows become ``to_her``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


# Plain ADD/DROP COLUMN on both databases; the server default fills every existing row with what it meant before.
def upgrade() -> None:
    op.add_column("notes", sa.Column("visibility", sa.String(16), nullable=False, server_default="to_her"))


def downgrade() -> None:
    op.drop_column("notes", "visibility")
