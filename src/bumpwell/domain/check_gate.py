"""The check before a session: a session starts only soon after a check that found no warning sign.

A check counts for the session started shortly after it, not for the day (``check_fresh_min`` in the policy); a
check that sent the person to someone, or advised no exercise, never lets a session start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

STOPPING = frozenset({"emergency", "urgent_same_day", "contact_within_24h"})  # levels that end at the stop page
NO_EXERCISE = "no"
NOT_CHECKED = "check in first: bumpwell asks about warning signs before every session"


def stops(triage: str, exercise: str) -> bool:
    """Whether a check's answer ends at the stop page instead of a session."""
    return exercise == NO_EXERCISE or triage in STOPPING


HELD = (
    "exercise stays off after your warning sign until it is followed up: record who saw you and that they said you "
    "may exercise, or ask your clinician to close the warning; if you have not been seen, call your maternity unit "
    "or midwife"
)


def check_problem(
    checked_at: datetime, triage: str, exercise: str, now: datetime, fresh_min: int, held: bool = False
) -> str | None:
    """Why the latest check does not let a session start now, in words that say what to do; ``None`` when it does."""
    if stops(triage, exercise):
        return "your last check-in advised no exercise; follow its actions and check in again"
    if held:
        return HELD
    age = now - checked_at
    if age > timedelta(minutes=fresh_min):
        return (
            f"check in again first: your last check-in was {_ago(age)} ago, and a session starts only within "
            f"{fresh_min} minutes of a check-in without a warning sign"
        )
    return None


def _ago(age: timedelta) -> str:
    if age >= timedelta(days=2):
        return f"{age.days} days"
    hours = int(age.total_seconds() // 3600)
    if hours >= 2:
        return f"{hours} hours"
    return f"{int(age.total_seconds() // 60)} minutes"


FLAG_LEVELS = ("emergency", "urgent_same_day", "contact_within_24h")  # most urgent first
TOLD = ("may_exercise", "not_yet", "other")  # what a professional told her after a warning sign


@dataclass(frozen=True, slots=True)
class Finding:
    """A red flag as the follow-up rule sees it."""

    flag_id: str
    level: str | None
    raised_at: datetime
    closed: bool  # a clinician on her team closed it


def followed_up(answer: dict[str, object] | None) -> bool:
    """Whether her answer says a named professional saw her and said she may exercise."""
    if not answer or answer.get("told") != "may_exercise":
        return False
    return answer.get("seen") is True and bool(str(answer.get("seen_by") or "").strip())


def holding(findings: list[Finding], cleared_at: list[datetime], threshold: str) -> Finding | None:
    """The newest finding at ``threshold`` or above that nobody has followed up; ``None`` when exercise may go on.

    A finding is followed up when a clinician closed it, or when she recorded after it that a named professional
    said she may exercise (``cleared_at``: when she recorded that).
    """
    levels = FLAG_LEVELS[: FLAG_LEVELS.index(threshold) + 1]
    open_ = [
        f for f in findings if f.level in levels and not f.closed and not any(when > f.raised_at for when in cleared_at)
    ]
    return max(open_, key=lambda f: f.raised_at, default=None)
