"""care team work: who supervised a session, red flags and notices, presence requests, plan adjustments

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 17:00:00

Existing check-ins and sessions are read once to fill the new columns and the red flags they raised, so an
upgraded installation shows the same history as a new one would.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Frozen copies of the rules as they stood at this revision (a migration must not change when the code does).
ESCALATIONS = ("E2", "E3", "E4", "E6", "E7")
FLAG_TRIAGE = ("emergency", "urgent_same_day", "contact_within_24h")


def _fk(table: str, column: str) -> str:
    return f"fk_{table}_{column}_users"


def upgrade() -> None:
    op.add_column("users", sa.Column("pin_hash", sa.String(length=200), nullable=True))
    op.add_column("check_ins", sa.Column("escalations", sa.String(length=64), server_default="", nullable=False))
    op.add_column("plans", sa.Column("session_count", sa.Integer(), server_default="0", nullable=False))
    op.add_column(
        "plans",
        sa.Column(
            "adjustments",
            sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql"),
            server_default=sa.text("'[]'"),
            nullable=False,
        ),
    )
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("supervision_status", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("supervised_by", sa.String(length=36), nullable=True))
        batch.add_column(sa.Column("supervised_by_name", sa.String(length=80), nullable=True))
        batch.add_column(sa.Column("supervision_method", sa.String(length=16), nullable=True))
        batch.create_foreign_key(
            _fk("sessions", "supervised_by"), "users", ["supervised_by"], ["id"], ondelete="SET NULL"
        )
    json_type = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")
    op.create_table(
        "red_flags",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source_id", sa.String(length=36), nullable=False),
        sa.Column("triage", sa.String(length=32), nullable=True),
        sa.Column("rules", json_type, nullable=False),
        sa.Column("action", sa.Text(), nullable=True),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=36), nullable=True),
        sa.Column("closed_by_name", sa.String(length=80), nullable=True),
        sa.Column("close_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["closed_by"], ["users.id"], name=_fk("red_flags", "closed_by"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["person_id"], ["users.id"], name=_fk("red_flags", "person_id"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_red_flags")),
    )
    op.create_index("ix_red_flags_person_id", "red_flags", ["person_id"])
    op.create_index("ix_red_flags_person_raised", "red_flags", ["person_id", "raised_at"])
    op.create_table(
        "notices",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("recipient_id", sa.String(length=36), nullable=False),
        sa.Column("flag_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("email_status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["flag_id"], ["red_flags.id"], name="fk_notices_flag_id_red_flags", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["users.id"], name=_fk("notices", "person_id"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["recipient_id"], ["users.id"], name=_fk("notices", "recipient_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    op.create_index("ix_notices_person_id", "notices", ["person_id"])
    op.create_index("ix_notices_recipient_id", "notices", ["recipient_id"])
    op.create_index("ix_notices_recipient_created", "notices", ["recipient_id", "created_at"])
    op.create_index("ix_notices_email_status_next", "notices", ["email_status", "next_attempt_at"])
    op.create_table(
        "presence_requests",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("session_index", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_by", sa.String(length=36), nullable=True),
        sa.Column("confirmed_by_name", sa.String(length=80), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("session_id", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["confirmed_by"], ["users.id"], name=_fk("presence_requests", "confirmed_by"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["users.id"], name=_fk("presence_requests", "person_id"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["session_id"], ["sessions.id"], name="fk_presence_requests_session_id_sessions", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_presence_requests")),
    )
    op.create_index("ix_presence_requests_person_id", "presence_requests", ["person_id"])
    op.create_table(
        "plan_adjustments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("author_id", sa.String(length=36), nullable=True),
        sa.Column("author_name", sa.String(length=80), nullable=False),
        sa.Column("exercise", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("dose", json_type, nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_by_name", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=_fk("plan_adjustments", "author_id"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["users.id"], name=_fk("plan_adjustments", "person_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_adjustments")),
    )
    op.create_index("ix_plan_adjustments_person_id", "plan_adjustments", ["person_id"])
    _backfill()


def _loaded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _backfill() -> None:
    """Fill the new columns from the stored answers, and raise the red flags that past check-ins and stops raised."""
    bind = op.get_bind()
    check_ins = sa.table(
        "check_ins",
        sa.column("id"), sa.column("person_id"), sa.column("created_at"), sa.column("triage"),
        sa.column("response"), sa.column("escalations"),
    )  # fmt: skip
    plans = sa.table("plans", sa.column("id"), sa.column("plan"), sa.column("session_count"))
    sessions = sa.table(
        "sessions", sa.column("id"), sa.column("person_id"), sa.column("started_at"), sa.column("ended_at"),
        sa.column("stop_reason"),
    )  # fmt: skip
    flags = sa.table(
        "red_flags",
        sa.column("id"), sa.column("person_id"), sa.column("kind"), sa.column("source_id"), sa.column("triage"),
        sa.column("rules", sa.JSON()), sa.column("action"), sa.column("raised_at"),
    )  # fmt: skip
    new_flags: list[dict[str, Any]] = []
    rows = bind.execute(sa.select(check_ins.c.id, check_ins.c.person_id, check_ins.c.created_at, check_ins.c.triage,
                                  check_ins.c.response)).all()  # fmt: skip
    for row in rows:
        response = _loaded(row.response)
        rules = [reason["rule"] for reason in response.get("reasons", [])]
        escalations = " ".join(rule for rule in rules if rule in ESCALATIONS)
        if escalations:
            bind.execute(check_ins.update().where(check_ins.c.id == row.id).values(escalations=escalations))
        signs = [rule for rule in rules if rule.startswith(("RF-", "RT-"))]
        if row.triage in FLAG_TRIAGE and signs:
            actions = response.get("actions") or []
            new_flags.append(
                {
                    "id": str(uuid.uuid4()),
                    "person_id": row.person_id,
                    "kind": "check_in",
                    "source_id": row.id,
                    "triage": row.triage,
                    "rules": signs,
                    "action": actions[0]["text"] if actions else None,
                    "raised_at": row.created_at,
                }
            )
    for plan_row in bind.execute(sa.select(plans.c.id, plans.c.plan)).all():
        count = len(_loaded(plan_row.plan).get("sessions", []))
        if count:
            bind.execute(plans.update().where(plans.c.id == plan_row.id).values(session_count=count))
    stopped = bind.execute(
        sa.select(sessions.c.id, sessions.c.person_id, sessions.c.started_at, sessions.c.ended_at).where(
            sessions.c.stop_reason == "warning_sign"
        )
    ).all()
    for stop in stopped:
        new_flags.append(
            {
                "id": str(uuid.uuid4()),
                "person_id": stop.person_id,
                "kind": "session_stopped",
                "source_id": stop.id,
                "triage": None,
                "rules": [],
                "action": None,
                "raised_at": stop.ended_at or stop.started_at,
            }
        )
    if new_flags:
        bind.execute(flags.insert(), new_flags)


def downgrade() -> None:
    op.drop_table("plan_adjustments")
    op.drop_table("presence_requests")
    op.drop_table("notices")
    op.drop_table("red_flags")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_constraint(_fk("sessions", "supervised_by"), type_="foreignkey")
        batch.drop_column("supervision_method")
        batch.drop_column("supervised_by_name")
        batch.drop_column("supervised_by")
        batch.drop_column("supervision_status")
    op.drop_column("plans", "adjustments")
    op.drop_column("plans", "session_count")
    op.drop_column("check_ins", "escalations")
    op.drop_column("users", "pin_hash")
