"""The clinician's board: linked people ordered by need, each with the reason in one line (issue: care team).

Order of need: open red flags first, then escalations (not improving, or worse), then relative contraindications
waiting for a clearance, then missed sessions, then everyone on track. Within a level the most pressing comes
first. Also here: which answers of the engine raise a red flag, and which are escalations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import IntEnum
from typing import Any

from bumpwell.domain.feedback import AfterSession, concerns
from bumpwell.domain.identity import Identity

FLAG_TRIAGE = ("emergency", "urgent_same_day", "contact_within_24h")  # most urgent first
TRIAGE_SHORT = {
    "emergency": "emergency",
    "urgent_same_day": "same day",
    "contact_within_24h": "within 24 h",
}
# clinical-reference §17.6: the escalations a clinician acts on, most pressing first (contact within 24 hours: E4,
# E7, E2; then at the next visit: E3, E6). Their names are the rules' own, from content/rules/escalation.yaml.
ESCALATIONS = ("E4", "E7", "E2", "E3", "E6")


class Need(IntEnum):
    """Why someone is on the board, most pressing first."""

    red_flag = 0
    escalation = 1
    clearance = 2
    missed = 3
    handled = 4  # an escalation or missed sessions a clinician acknowledged, until the day she chose
    on_track = 5


def warning_rules(response: Mapping[str, Any]) -> list[str]:
    """The warning-sign rules (RF-*, RT-*) that fired in an engine answer."""
    return [r["rule"] for r in response.get("reasons", []) if r["rule"].startswith(("RF-", "RT-"))]


def escalation_rules(response: Mapping[str, Any]) -> list[str]:
    """The escalation rules (E2, E3, E4, E6, E7) that fired in an engine answer."""
    return [r["rule"] for r in response.get("reasons", []) if r["rule"] in ESCALATIONS]


def raises_flag(response: Mapping[str, Any]) -> bool:
    """A check-in raises a red flag when a warning sign sends the person to someone within a day or sooner."""
    return response.get("triage") in FLAG_TRIAGE and bool(warning_rules(response))


@dataclass(frozen=True, slots=True)
class Handled:
    """A clinician's acknowledgement of a board line, standing until ``until`` (the line comes back that day)."""

    kind: str  # escalation | missed
    codes: tuple[str, ...]  # the escalations it covered
    missed: int  # the sessions missed it covered
    by: str
    note: str
    until: date

    def covers(self, kind: str, codes: tuple[str, ...], missed: int, today: date) -> bool:
        """Whether this still covers a line: of its kind, before its day, and nothing new since (no escalation it
        did not cover, no more sessions missed)."""
        if kind != self.kind or today >= self.until:
            return False
        return set(codes) <= set(self.codes) if kind == "escalation" else missed <= self.missed


@dataclass(frozen=True, slots=True)
class Facts:
    """What the board knows of one linked person (read in bulk by the store)."""

    person_id: str
    name: str
    open_flags: int = 0
    worst_triage: str | None = None  # of the open flags; None when only stopped sessions
    latest_flag_at: datetime | None = None
    flag_rules: tuple[str, ...] = ()  # of the latest open flag
    escalations: tuple[str, ...] = ()  # in the latest check-in
    uncleared: tuple[str, ...] = ()  # relative contraindications without a valid clearance
    waiting_since: datetime | None = None  # when the oldest of them was reported
    weekly_sessions: int = 0  # sessions a week in the latest plan
    done_7d: int = 0  # sessions completed in the last 7 days
    programme_start: date | None = None  # day of the first check-in
    pain_7d: float | None = None  # mean diary pain over the last 7 days
    pain_prev_7d: float | None = None  # and over the 7 days before
    family_name: str | None = None  # her other identifiers (name is her given name)
    date_of_birth: date | None = None
    hospital_number: str | None = None
    status: str | None = None  # pregnant | postpartum; None before she told her stage
    due_date: date | None = None
    birth_date: date | None = None  # the baby's
    handled: tuple[Handled, ...] = ()  # standing acknowledgements, newest last
    last_session: AfterSession | None = None  # her answers after her latest completed session

    @property
    def identity(self) -> Identity:
        """Her identifiers, to tell her apart from anyone of the same name."""
        return Identity(self.name, self.family_name, self.date_of_birth, self.hospital_number)


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the board."""

    facts: Facts
    need: Need
    reason: str
    missed: int


def expected_sessions(facts: Facts, today: date) -> int:
    """Sessions the plan asked for in the last 7 days: the weekly number, pro rata in the first week."""
    if facts.programme_start is None or facts.weekly_sessions == 0:
        return 0
    days = min(7, max(0, (today - facts.programme_start).days))
    return (facts.weekly_sessions * days) // 7


def _pain(facts: Facts) -> str:
    if facts.pain_7d is None:
        return "no diary this week"
    now = f"pain {facts.pain_7d:.1f}"
    return now if facts.pain_prev_7d is None else f"{now} (week before {facts.pain_prev_7d:.1f})"


def _adherence(done: int, expected: int) -> str:
    """Sessions done against those due in 7 days, never "1 of 0 planned": before any is due, only what she did."""
    sessions = "session" if done == 1 else "sessions"
    if expected == 0:
        return f"{done} {sessions} done in 7 days (none due yet)" if done else "no sessions due yet"
    return f"{done} of {expected} planned sessions done in 7 days"


def _named(code: str, rule_names: Mapping[str, str]) -> str:
    return f"{rule_names[code]} ({code})" if code in rule_names else code


def _covered(facts: Facts, kind: str, missed: int, today: date) -> Handled | None:
    return next((h for h in reversed(facts.handled) if h.covers(kind, facts.escalations, missed, today)), None)


def _handled_words(handled: Handled, rule_names: Mapping[str, str], short: bool = False) -> str:
    back = f"{handled.until.day} {handled.until:%b}"
    if short:  # beside another need: which escalation was handled, by whom, until when
        return f"{' '.join(handled.codes) or 'missed sessions'} handled by {handled.by} until {back}"
    codes = ", ".join(_named(c, rule_names) for c in handled.codes)
    what = codes if handled.kind == "escalation" else "missed sessions"
    return f"Handled by {handled.by} ({what}), back on {back}: {handled.note}"


def row(facts: Facts, today: date, rule_names: Mapping[str, str], missed_min: int = 1) -> Row:
    """The board line for one person; ``rule_names`` names the escalation and condition rules (content), and
    ``missed_min`` is how many sessions missed in 7 days make a missed-sessions line (policy)."""
    expected = expected_sessions(facts, today)
    missed = max(0, expected - facts.done_7d)
    adherence = _adherence(facts.done_7d, expected)
    if facts.open_flags:  # when it was raised stands beside the reason (latest_flag_at), on the server's clock
        urgency = TRIAGE_SHORT.get(facts.worst_triage or "", "session stopped for a warning sign")
        rules = f" ({', '.join(_named(c, rule_names) for c in facts.flag_rules)})" if facts.flag_rules else ""
        more = f"; {facts.open_flags} open" if facts.open_flags > 1 else ""
        return Row(facts, Need.red_flag, f"Warning sign: {urgency}{rules}{more}", missed)
    handled = None
    if facts.escalations:
        handled = _covered(facts, "escalation", missed, today)
        if handled is None:
            first = min(facts.escalations, key=ESCALATIONS.index)
            return Row(facts, Need.escalation, f"{_named(first, rule_names)}; {_pain(facts)}", missed)
    also = f"; {_handled_words(handled, rule_names, short=True)}" if handled else ""
    if facts.uncleared:
        names = ", ".join(_named(code, rule_names) for code in facts.uncleared)
        return Row(facts, Need.clearance, f"Waiting for clearance: {names}{also}", missed)
    if missed >= max(1, missed_min):
        snoozed = _covered(facts, "missed", missed, today)
        if snoozed is None:
            return Row(facts, Need.missed, f"{adherence}; {_pain(facts)}{also}", missed)
        handled = handled or snoozed
    if handled is not None:
        return Row(facts, Need.handled, _handled_words(handled, rule_names), missed)
    return Row(facts, Need.on_track, f"On track: {adherence}; {_pain(facts)}", missed)


def _order(item: Row) -> tuple[Any, ...]:
    f = item.facts
    name = f.identity.full_name
    if item.need is Need.red_flag:
        urgency = FLAG_TRIAGE.index(f.worst_triage) if f.worst_triage in FLAG_TRIAGE else len(FLAG_TRIAGE)
        latest = -f.latest_flag_at.timestamp() if f.latest_flag_at else 0.0
        return (item.need, urgency, latest, name, f.person_id)
    if item.need is Need.escalation:
        return (item.need, min(ESCALATIONS.index(e) for e in f.escalations), name, f.person_id)
    if item.need is Need.clearance:
        waiting = f.waiting_since.timestamp() if f.waiting_since else 0.0
        return (item.need, waiting, name, f.person_id)
    if item.need is Need.missed:
        return (item.need, -item.missed, name, f.person_id)
    return (item.need, name, f.person_id)


def with_concern(line: Row, rise_points: int, ceiling: int) -> Row:
    """The line with what in her answers after her last session raises concern, if anything does."""
    found = concerns(line.facts.last_session, rise_points, ceiling) if line.facts.last_session else []
    return replace(line, reason=f"{line.reason}; after her last session: {', '.join(found)}") if found else line


def rank(
    facts: Iterable[Facts], today: date, rule_names: Mapping[str, str], missed_min: int = 1,
    concern: tuple[int, int] | None = None,
) -> list[Row]:  # fmt: skip
    """Every linked person, most pressing first; with ``concern`` (pain rise and ceiling), her answers after her
    last session stand on her line when they raise concern."""
    lines = (row(f, today, rule_names, missed_min) for f in facts)
    if concern is not None:
        lines = (with_concern(line, *concern) for line in lines)
    return sorted(lines, key=_order)


def counts(rows: Sequence[Row]) -> dict[Need, int]:
    """How many people sit at each level of need."""
    out = dict.fromkeys(Need, 0)
    for item in rows:
        out[item.need] += 1
    return out
