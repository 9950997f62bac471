"""The life of one exercise session as stored: which moves are allowed from which state."""

from __future__ import annotations

from enum import StrEnum

from bumpwell.errors import Conflict


class SessionStatus(StrEnum):
    """Where a session stands."""

    started = "started"
    completed = "completed"
    stopped = "stopped"


class StopReason(StrEnum):
    """Why a session was stopped early; a warning sign leads straight to the warning-sign check."""

    pain = "pain"
    warning_sign = "warning_sign"
    tired = "tired"
    other = "other"


class Effort(StrEnum):
    """The talk test after a session."""

    can_sing = "can_sing"  # light
    can_talk_not_sing = "can_talk_not_sing"  # moderate: the aim
    cannot_talk = "cannot_talk"  # too hard


class ItemStatus(StrEnum):
    """How one planned exercise went."""

    pending = "pending"
    done = "done"
    partial = "partial"
    skipped = "skipped"


def require_running(status: str) -> None:
    """Only a started session can be logged, completed or stopped."""
    if status != SessionStatus.started:
        raise Conflict("status", f"the session is already {status}; start a new one")
