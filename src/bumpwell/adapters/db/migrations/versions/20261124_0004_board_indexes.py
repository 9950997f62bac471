"""board indexes: the clinician's board reads its facts from indexes alone

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 19:00:00

The board reads, for every linked person, the latest check-in's escalations and the first check-in's day, the
latest plan's session count, the sessions completed in the last 7 days and the diary pain of the last 14 days.
With a thousand people and months of history those rows are scattered over big tables, and a check-in or plan row
carries kilobytes of JSON: each index below holds every column its read needs, so the read never visits the rows
(benchmarks/bench_board.py). Three of them replace narrower ones they begin with.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_check_ins_person_latest", "check_ins", ["person_id", "created_at", "day", "escalations"])
    op.drop_index("ix_check_ins_person_created", table_name="check_ins")
    op.create_index("ix_plans_person_latest", "plans", ["person_id", "created_at", "session_count"])
    op.drop_index("ix_plans_person_created", table_name="plans")
    op.create_index("ix_sessions_person_day_status", "sessions", ["person_id", "day", "status"])
    op.drop_index("ix_sessions_person_day", table_name="sessions")
    op.create_index("ix_diary_entries_person_day_pain", "diary_entries", ["person_id", "day", "pain"])


def downgrade() -> None:
    op.drop_index("ix_diary_entries_person_day_pain", table_name="diary_entries")
    op.create_index("ix_sessions_person_day", "sessions", ["person_id", "day"])
    op.drop_index("ix_sessions_person_day_status", table_name="sessions")
    op.create_index("ix_plans_person_created", "plans", ["person_id", "created_at"])
    op.drop_index("ix_plans_person_latest", table_name="plans")
    op.create_index("ix_check_ins_person_created", "check_ins", ["person_id", "created_at"])
    op.drop_index("ix_check_ins_person_latest", table_name="check_ins")
