"""person identifiers: family name, date of birth, hospital number and phone on the account

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08 01:50:00

A clinic tells two people of the same name apart by a second identifier (issue 17). The account's name stays
where it was and is the person's given name; the new columns are empty on existing accounts (every row is kept),
and the person is asked to complete them on her next visit.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


# Plain ADD/DROP COLUMN on both databases: a batch copy of ``users`` on SQLite would cascade-delete every row
# that points at it.
def upgrade() -> None:
    op.add_column("users", sa.Column("family_name", sa.String(80), nullable=True))
    op.add_column("users", sa.Column("date_of_birth", sa.Date(), nullable=True))
    op.add_column("users", sa.Column("hospital_number", sa.String(20), nullable=True))
    op.add_column("users", sa.Column("phone", sa.String(24), nullable=True))


def downgrade() -> None:
    for column in ("phone", "hospital_number", "date_of_birth", "family_name"):
        op.drop_column("users", column)
