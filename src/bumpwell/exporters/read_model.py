"""What the exporters read: one person's story as plain, immutable values, built by services/reports.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from bumpwell.domain.identity import Identity

TRIAGE_LEVEL = {  # a check-in's triage level for the care team, the report and FHIR; her own advice says whom to call
    "emergency": "Emergency",
    "urgent_same_day": "Urgent, same day",
    "contact_within_24h": "Contact a clinician within 24 hours",
    "discuss_at_next_visit": "Discuss at the next visit",
    "ok_to_exercise": "OK to exercise",
}
EXERCISE_DECISION = {"yes": "Exercise as planned", "yes_modified": "Exercise with changes", "no": "No exercise for now"}


@dataclass(frozen=True, slots=True)
class DiaryDay:
    """One diary entry."""

    id: str
    day: date
    pain: int  # 0-10


@dataclass(frozen=True, slots=True)
class Reason:
    """A rule that fired: its short name, what it says in plain words, and its source keys."""

    rule: str
    name: str
    text: str
    source: str


@dataclass(frozen=True, slots=True)
class CheckInSummary:
    """One check-in: when, the engine's outcome and why."""

    id: str
    at: datetime
    day: date
    triage: str
    exercise: str
    pattern: str
    pain_now: int | None
    reasons: tuple[Reason, ...]
    actions: tuple[tuple[str, str], ...]  # (kind, text)


@dataclass(frozen=True, slots=True)
class SessionSummary:
    """One exercise session."""

    id: str
    day: date
    kind: str
    minutes: int
    supervision: str
    status: str  # started | completed | stopped
    stop_reason: str | None
    pain_before: int | None
    pain_after: int | None
    supervision_status: str | None  # confirmed | alone | not_confirmed | not_needed; None before it was recorded
    supervised_by: str | None  # the supervisor's name when one confirmed, or the name she gave (her_word)
    started_at: datetime | None = None
    ended_at: datetime | None = None
    plan_id: str | None = None
    stop_note: str | None = None  # her words when she stopped
    effort: str | None = None  # talk test after the session: can_sing | can_talk_not_sing | cannot_talk
    unusual: str | None = None  # anything unusual she noted after the session


@dataclass(frozen=True, slots=True)
class RedFlagSummary:
    """A warning sign the person reported (at a check-in, or by stopping a session) and what the care team did."""

    id: str
    kind: str  # check_in | session_stopped
    source_id: str  # the check-in or the session
    raised_at: datetime
    triage: str | None  # of the check-in; None for a stopped session
    rules: tuple[tuple[str, str], ...]  # (rule id, short name) of the warning signs
    action: str | None  # the first thing the person was told to do
    closed_at: datetime | None
    closed_by: str | None  # the clinician's name
    close_note: str | None  # what was done
    closed_by_id: str | None = None  # the clinician's user id

    @property
    def open(self) -> bool:
        """Still waiting for a clinician to close it."""
        return self.closed_at is None


@dataclass(frozen=True, slots=True)
class ConditionSummary:
    """A contraindication the person reported, and its clearance when a clinician gave one."""

    code: str
    name: str
    cleared_by: str | None
    cleared_at: datetime | None
    max_minutes: int | None
    allowed: tuple[str, ...] | None
    until: date | None
    cleared_by_id: str | None = None  # the clinician's user id
    recorded_at: datetime | None = None  # when she reported it


@dataclass(frozen=True, slots=True)
class PlannedItem:
    """One exercise of a planned session, with its dose in words."""

    exercise: str
    name: str
    dose: str


@dataclass(frozen=True, slots=True)
class PlannedSession:
    """One session of the current plan."""

    day: date
    kind: str
    minutes: int
    supervision: str
    items: tuple[PlannedItem, ...]


@dataclass(frozen=True, slots=True)
class EarlierPlan:
    """A plan that a later one replaced: revoked if replaced before its week ended, else completed."""

    id: str
    week_start: date
    replaced_at: datetime
    sessions: tuple[PlannedSession, ...]


@dataclass(frozen=True, slots=True)
class AdjustmentSummary:
    """A clinician's standing change to the plans, as applied to the current plan."""

    exercise: str
    name: str  # the exercise's name
    action: str  # exclude | dose
    dose: str | None  # the new dose in words (dose changes only)
    reason: str
    by: str
    at: datetime
    changed: int  # items of the current plan it changed
    over_limit: int  # items it left as they were: the new dose would break a clinician's time limit


@dataclass(frozen=True, slots=True)
class PersonStory:
    """Everything a report, a FHIR bundle or a calendar needs about one person, as of ``generated_at``."""

    person_id: str
    display_name: str
    status: str  # pregnant | postpartum
    due_date: date | None
    birth_date: date | None
    stage: tuple[int, int]  # weeks and days of pregnancy, or since the birth
    generated_at: datetime
    diary: tuple[DiaryDay, ...]  # oldest first
    check_ins: tuple[CheckInSummary, ...]  # oldest first
    sessions: tuple[SessionSummary, ...]  # oldest first
    red_flags: tuple[RedFlagSummary, ...]  # oldest first
    conditions: tuple[ConditionSummary, ...]
    plan_week_start: date | None
    plan: tuple[PlannedSession, ...]
    plan_id: str | None
    adjustments: tuple[AdjustmentSummary, ...]  # standing, as applied to the current plan
    earlier_plans: tuple[EarlierPlan, ...] = ()  # oldest first
    stated_at: datetime | None = None  # when she last said pregnant or postpartum, with the dates
    given_name: str | None = None  # as the care team recorded them (the display name is hers to choose)
    family_name: str | None = None
    date_of_birth: date | None = None  # her own, not the baby's (that is birth_date)
    hospital_number: str | None = None
    phone: str | None = None
    made_by: str | None = None  # who asked for this document and as what ("Cleo, clinician"); None: no one named
    plan_made_at: datetime | None = None  # when the current plan was made (its events' LAST-MODIFIED)
    time_zone: str = "UTC"  # her IANA time zone
    session_time: time = time(9, 0)  # when she would like to exercise, in her time zone

    @property
    def identity(self) -> Identity:
        """Her identifiers, as every page shows them (FHIR Patient.name, birthDate and identifier)."""
        given = self.given_name or self.display_name
        return Identity(given, self.family_name, self.date_of_birth, self.hospital_number, self.phone)

    @property
    def latest(self) -> CheckInSummary | None:
        """The most recent check-in."""
        return self.check_ins[-1] if self.check_ins else None

    def ended(self) -> list[SessionSummary]:
        """Sessions that ended (completed or stopped), oldest first."""
        return [s for s in self.sessions if s.status != "started"]

    def adherence(self) -> tuple[int, int]:
        """Sessions completed, and sessions that ended (completed or stopped)."""
        ended = self.ended()
        return sum(1 for s in ended if s.status == "completed"), len(ended)

    def supervision(self) -> dict[str | None, int]:
        """How many of the ended sessions had each supervision status (None: not recorded yet then)."""
        counts: dict[str | None, int] = {}
        for s in self.ended():
            counts[s.supervision_status] = counts.get(s.supervision_status, 0) + 1
        return counts


def dose_words(dose: dict[str, Any]) -> str:
    """A dose in a few words: "2 x 10, hold 5 s, each side" or "20 min"."""
    if dose.get("minutes"):
        return f"{dose['minutes']} min"
    parts = []
    reps = dose.get("reps")
    if reps:
        sets = dose.get("sets") or 1
        parts.append(f"{sets} x {reps}" if sets > 1 else f"{reps} times")
    if dose.get("hold_s"):
        parts.append(f"hold {dose['hold_s']} s")
    if dose.get("sides") == "each":
        parts.append("each side")
    return ", ".join(parts) or "as planned"
