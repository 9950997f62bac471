"""What she said after a session, and when it should worry her clinician (issue 17 §4).

After a session she gives her pain now (0-10), the talk test (could sing, could talk but not sing, could not talk)
and, if she wants, anything unusual in her own words. Her clinician sees all of it; it raises concern when her pain
rose by more than ``provoking_rise_points`` or ended above ``provoking_ceiling_nrs`` (the thresholds of rule M10,
policy.yaml), or when she could not talk (too hard).
"""

from __future__ import annotations

from dataclasses import dataclass

EFFORT_WORDS = {
    "can_sing": "light (could sing)",
    "can_talk_not_sing": "moderate (could talk, not sing)",
    "cannot_talk": "too hard (could not talk)",
}


@dataclass(frozen=True, slots=True)
class AfterSession:
    """Her answers after one session; any of them may be missing."""

    pain_before: int | None = None
    pain_after: int | None = None
    effort: str | None = None
    words: str | None = None


def concerns(after: AfterSession, rise_points: int, ceiling: int) -> list[str]:
    """What in her answers should make her clinician look: a pain rise, high pain after, or too hard an effort."""
    out = []
    before, now = after.pain_before, after.pain_after
    if before is not None and now is not None and now - before > rise_points:
        out.append(f"pain rose {before} → {now}")
    elif now is not None and now > ceiling:
        out.append(f"pain {now}/10 after")
    if after.effort == "cannot_talk":
        out.append("too hard: she could not talk")
    return out
