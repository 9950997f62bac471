"""How a running programme has gone, summarised from stored sessions and diary days (the request's ``programme``).

Pure: the caller reads the records and passes plain values; nothing here reads a clock or a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bumpwell.domain.catalogue import Policy


def counts_for_adherence(kind: str) -> bool:
    """Whether a session of this kind counts in adherence (E3, E5 and the clinician's "done of planned").

    Pelvic floor work comes three times every day (§20.30) and is often done anywhere, away from the app; counting
    it would make nearly everyone look non-adherent. Adherence is about the main exercise sessions.
    """
    return kind != "pelvic_floor"


@dataclass(frozen=True, slots=True)
class SessionOutcome:
    """One session as it ended: which exercises were done and the pain around it."""

    day: date
    completed: bool
    pain_before: int | None
    pain_after: int | None
    exercises: tuple[str, ...]
    item_pain: tuple[tuple[str, int], ...] = ()  # pain reported during a single exercise, if any


@dataclass(frozen=True, slots=True)
class History:
    """What is known of the programme so far."""

    started: date
    today: date
    planned_sessions: int
    sessions: tuple[SessionOutcome, ...]
    diary: tuple[tuple[date, int], ...]  # (day, pain 0-10), any order
    baseline_nrs: int | None
    current_nrs: int | None


def provoking(sessions: tuple[SessionOutcome, ...], policy: Policy) -> tuple[str, ...]:
    """Exercises whose last session raised pain by more than the allowed rise, or above the ceiling (M10).

    Pain logged for one exercise counts for that exercise; otherwise the session's pain before and after counts
    for every exercise done in it. Only the most recent session of each exercise decides.
    """
    latest: dict[str, bool] = {}
    for outcome in sorted(sessions, key=lambda s: s.day):
        if outcome.pain_after is None:
            continue
        whole = _provokes(outcome.pain_before, outcome.pain_after, policy)
        own = dict(outcome.item_pain)
        for exercise in outcome.exercises:
            if exercise in own:
                latest[exercise] = _provokes(outcome.pain_before, own[exercise], policy)
            else:
                latest[exercise] = whole
    return tuple(sorted(exercise for exercise, bad in latest.items() if bad))


def _provokes(before: int | None, after: int, policy: Policy) -> bool:
    rose = before is not None and after - before > policy.provoking_rise_points
    return rose or after > policy.provoking_ceiling_nrs


def days_worse(history: History, points: int) -> int:
    """Consecutive diary days, counted back from the latest, with pain at least ``points`` above baseline (E4).

    Only days after the programme started count: the baseline is the pain at the first check-in, so days before it
    (a diary kept before the first plan) are not "worse than the baseline", and the streak never exceeds the
    programme's own days.
    """
    if history.baseline_nrs is None:
        return 0
    streak = 0
    for day, pain in sorted(history.diary, reverse=True):
        if not history.started < day <= history.today or pain < history.baseline_nrs + points:
            break
        streak += 1
    return streak


def summarise(history: History, policy: Policy) -> dict[str, object]:
    """The request's ``programme`` block for this history."""
    return {
        "days": max(0, (history.today - history.started).days),
        "planned_sessions": history.planned_sessions,
        "completed_sessions": min(sum(1 for s in history.sessions if s.completed), history.planned_sessions)
        if history.planned_sessions
        else 0,
        "baseline_nrs": history.baseline_nrs,
        "current_nrs": history.current_nrs,
        "days_worse_by_2": days_worse(history, 2),
        "provoking": list(provoking(history.sessions, policy)),
    }
