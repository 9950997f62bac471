"""The check before a session: a session starts only soon after a check that found no warning sign.

A check counts for the session started shortly after it, not for the day (``check_fresh_min`` in the policy); a
check that sent the person to someone, or advised no exercise, never lets a session start.
"""

from __future__ import annotations

from datetime import datetime, timedelta

STOPPING = frozenset({"emergency", "urgent_same_day", "contact_within_24h"})  # levels that end at the stop page
NO_EXERCISE = "no"
NOT_CHECKED = "check in first: bumpwell asks about warning signs before every session"


def stops(triage: str, exercise: str) -> bool:
    """Whether a check's answer ends at the stop page instead of a session."""
    return exercise == NO_EXERCISE or triage in STOPPING


def check_problem(checked_at: datetime, triage: str, exercise: str, now: datetime, fresh_min: int) -> str | None:
    """Why the latest check does not let a session start now, in words that say what to do; ``None`` when it does."""
    if stops(triage, exercise):
        return "your last check-in advised no exercise; follow its actions and check in again"
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
