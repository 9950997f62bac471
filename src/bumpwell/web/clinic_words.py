"""Plain words for the clinician's pages, and the rows their tables show (prepared here, so templates stay simple).

A clinician reads about the person in the third person; the pattern stays in pattern language, never a diagnosis.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from bumpwell.domain.care_board import Need
from bumpwell.domain.catalogue import Catalogue, Policy
from bumpwell.domain.feedback import EFFORT_WORDS, AfterSession, concerns
from bumpwell.domain.stage import gestation_on, postpartum_on
from bumpwell.exporters.read_model import EXERCISE_DECISION, TRIAGE_LEVEL, dose_words
from bumpwell.services.board import Adherence, BoardQuery
from bumpwell.services.records import CheckInRecord, PersonRecord, PlanRecord, SessionRecord

NEED = {
    Need.red_flag: "Red flag",
    Need.escalation: "Escalation",
    Need.clearance: "Needs clearance",
    Need.missed: "Missed sessions",
    Need.handled: "Handled",
    Need.on_track: "On track",
}
COUNTED = {  # (one, many) for the summary line on top of the board
    Need.red_flag: ("red flag", "red flags"),
    Need.escalation: ("escalation", "escalations"),
    Need.clearance: ("waiting for clearance", "waiting for clearance"),
    Need.missed: ("missed sessions", "missed sessions"),
    Need.handled: ("handled for now", "handled for now"),
    Need.on_track: ("on track", "on track"),
}
PATTERN = {
    "lumbar": "Her answers fit a lower back pattern.",
    "pelvic_girdle_posterior": "Her answers fit a pelvic girdle pattern at the back.",
    "pelvic_girdle_anterior": "Her answers fit a pelvic girdle pattern at the front.",
    "mixed": "Her answers fit a mix of lower back and pelvic girdle patterns.",
    "none": "No pain reported.",
    "unclear": "Her answers fit no clear pattern.",
}
DELIVERY = {"vaginal": "vaginal birth", "instrumental": "assisted birth", "caesarean": "caesarean birth"}
SUPERVISION = {
    "alone": "She chose to start alone",
    "not_confirmed": "Not confirmed",
    "not_needed": "Not needed",
    None: "Not recorded",
}
METHOD = {"pin": "PIN", "own_phone": "own phone"}
ENDED = {"completed": "Done", "stopped": "Stopped", "started": "Not finished"}
DOSE_FIELDS = (("sets", "Sets"), ("reps", "Repetitions"), ("hold_s", "Hold (seconds)"), ("minutes", "Minutes"))
FIELD_LABELS = {
    "max_minutes": "Most minutes a session",
    "until": "Until",
    "allowed": "Only these exercises",
    "code": "Condition",
    "flag": "Red flag",
    "note": "What was done",
    "visibility": "Who reads this note",
    "exercise": "Exercise",
    "action": "Change",
    "dose": "Dose",
    "dose-sets": "Sets",
    "dose-reps": "Repetitions",
    "dose-hold_s": "Hold (seconds)",
    "dose-minutes": "Minutes",
    "reason": "Reason",
    "text": "Note",
    "need": "Level",
    "stage": "Stage",
    "sort": "Order",
}
SAVED = {  # what a form did, shown in the section it was sent from: (section, words)
    "flag": ("flags", "Red flag closed. Your note is on her record."),
    "clearance": (
        "conditions",
        "Clearance recorded. It takes effect at her next check-in, after a fresh check of warning signs.",
    ),
    "withdrawn": ("conditions", "Clearance withdrawn. Her programme pauses again from her next check-in."),
    "adjustment": ("plan", "Plan changed. Her current plan shows it now, with your name and reason."),
    "ended": ("plan", "Change ended. Her current plan is back to what bumpwell suggests."),
    "note": ("notes", "Note added. She can read it on her progress page."),
    "clinical_note": (
        "notes",
        "Clinical note added. Her care team's clinicians read it; her pages and her supervisors do not show it.",
    ),
    "message": ("reach", "Message sent. She reads it in her notices."),
    "handled": ("board-line", "Marked as handled. The line leaves the need blocks until the day you chose."),
}
CATEGORIES = {
    "warm_up": "Warm-up and cool-down",
    "cool_down": "Warm-up and cool-down",
    "aerobic": "Walking and swimming",
    "strength": "Strength",
    "core": "Strength",
    "pelvic_floor": "Pelvic floor and relaxation",
    "relaxation": "Pelvic floor and relaxation",
    "stretch": "Stretches and yoga",
    "yoga": "Stretches and yoga",
}


def change_words(dose: Mapping[str, int] | None) -> str:
    """A clinician's new dose in a few words: "2 sets, 6 repetitions", "hold 5 s", "10 min"."""
    parts = {"sets": "{} sets", "reps": "{} repetitions", "hold_s": "hold {} s", "minutes": "{} min"}
    return ", ".join(parts[key].format(value) for key, value in (dose or {}).items() if key in parts)


def sessions_done(last_7: tuple[int, int], last_28: tuple[int, int], today: int = 0) -> str:
    """Sessions done against planned in the 7 and the 28 days before today, each ``(planned, completed)``, and the
    ``today`` she has done so far (never "Nothing was planned" beside two sessions done today)."""
    done_today = f"{today} {'session' if today == 1 else 'sessions'} done today" if today else ""
    if not last_28[0]:
        return f"{done_today}; none were planned before today" if today else "Nothing was planned before today"
    week = f"{last_7[1]} of {last_7[0]} planned" if last_7[0] else "Nothing planned"
    before = f"{week} in the 7 days before today; {last_28[1]} of {last_28[0]} in 28 days"
    return f"{done_today}; {before[0].lower()}{before[1:]}" if today else before


def started_alone(alone: int, shown: int) -> str:
    """How many of the sessions listed on her page she started alone (``shown`` are listed, the latest first)."""
    if not shown:
        return "No sessions yet"
    if shown == 1:
        return "Yes, her one session so far" if alone else "No, her one session so far"
    if alone == shown:
        return f"All of her last {shown} sessions"
    return f"{alone} of her last {shown} sessions" if alone else f"None of her last {shown} sessions"


STAGES = (  # the stage filter's choices, in the order of a pregnancy and after
    ("trimester_1", "First trimester (up to 13+6)"),
    ("trimester_2", "Second trimester (14+0 to 27+6)"),
    ("trimester_3", "Third trimester (28+0 on)"),
    ("postpartum_early", "After birth: before the 6-week check"),
    ("postpartum_6_12", "After birth: 6 to 12 weeks"),
    ("postpartum_later", "After birth: 12 weeks or more"),
)
SORTS = (("need", "Most pressing first"), ("name", "Family name"), ("born", "Date of birth"))


def board_link(query: BoardQuery, **change: str | None) -> str:
    """The board's address with the query's search, filters and order, changed as asked (``None`` drops one)."""
    values: dict[str, str | None] = {
        "q": query.search.strip() or None, "need": query.need.name if query.need else None,
        "stage": query.stage.value if query.stage else None,
        "sort": query.sort.value if query.sort.value != "need" else None,
    }  # fmt: skip
    values.update(change)
    kept = {key: value for key, value in values.items() if value}
    return "/clinic" + (f"?{urlencode(kept)}" if kept else "")


def count_line(counts: Mapping[Need, int]) -> list[tuple[Need, str]]:
    """The summary on top of the board: "2 red flags", "1 escalation", ... in order of need."""
    return [(need, f"{counts.get(need, 0)} {COUNTED[need][counts.get(need, 0) != 1]}") for need in Need]


def pattern(history: list[CheckInRecord]) -> str:
    """The pain pattern of her latest check-in that asked about pain (a check-in for a warning sign may not)."""
    with_pain = next((c for c in history if c.pattern != "none"), None)
    if with_pain is None:
        return "No pain reported at her check-ins." if history else "No check-in yet."
    words = PATTERN.get(with_pain.pattern, "").rstrip(".")
    return f"{words} (check-in of {with_pain.created_at.strftime('%d %b').lstrip('0')})."


def stage(profile: PersonRecord | None, today: date) -> str:
    """Weeks pregnant, or weeks since the birth, in a few words."""
    if profile is None:
        return "She has not told bumpwell her stage yet."
    if profile.status == "pregnant" and profile.due_date is not None:
        weeks, days = gestation_on(profile.due_date, today)
        return f"{weeks}+{days} weeks pregnant (due {profile.due_date.strftime('%d %b %Y').lstrip('0')})"
    weeks, days = postpartum_on(profile.birth_date or today, today)
    birth = DELIVERY.get(profile.delivery or "", "birth")
    return f"{weeks}+{days} weeks after a {birth}"


@dataclass(frozen=True, slots=True)
class WeekRow:
    """One week of the pain chart's table."""

    week_start: date
    current: bool
    pain: float | None
    diary_days: int
    planned: int
    done: int
    stopped: int
    minutes: int


def week_rows(weeks: list[dict[str, Any]], done: Adherence, today: date) -> list[WeekRow]:
    """The chart's weeks with the sessions planned in each, newest first."""
    rows = []
    for w in weeks:
        start = date.fromisoformat(w["week_start"])
        planned, _completed = done.between(start, start + timedelta(days=6))
        rows.append(WeekRow(start, start <= today < start + timedelta(days=7), w["pain_mean"], w["diary_days"],
                            planned, w["sessions_completed"], w["sessions_stopped"], w["minutes"]))  # fmt: skip
    return rows[::-1]


@dataclass(frozen=True, slots=True)
class SessionRow:
    """One session, with who was there in words."""

    day: date
    kind: str
    minutes: int
    needs_someone: bool
    ended: str
    pain: str
    who: str
    alone: bool
    effort: str = ""  # the talk test in words
    words: str = ""  # anything unusual, in her own words
    concern: str = ""  # what in her answers should make her clinician look


def session_row(s: SessionRecord, policy: Policy | None = None) -> SessionRow:
    """A session for the table, with what she answered after it; starting alone is kept apart so that the page can
    make it stand out, and so is an answer that raises concern (pain rise or ceiling of M10, too hard)."""
    if s.supervision_status == "confirmed":
        who = f"{s.supervised_by_name or 'Her supervisor'} was there ({METHOD.get(s.supervision_method or '', '')})"
    elif s.supervision_status == "her_word":
        who = f"{s.supervised_by_name} was there (her word; no account, not confirmed by him or her)"
    else:
        who = SUPERVISION.get(s.supervision_status, s.supervision_status or "Not recorded")
    ended = ENDED.get(s.status, s.status)
    if s.stop_reason:
        ended += f" ({s.stop_reason.replace('_', ' ')})"
    pain = f"{s.pain_before} → {s.pain_after}" if s.pain_before is not None and s.pain_after is not None else ""
    after = AfterSession(s.pain_before, s.pain_after, s.effort, s.unusual)
    found = concerns(after, policy.provoking_rise_points, policy.provoking_ceiling_nrs) if policy else []
    return SessionRow(s.day, s.kind, s.minutes, s.supervision == "required", ended, pain, who,
                      s.supervision_status == "alone", EFFORT_WORDS.get(s.effort or "", ""), (s.unusual or "").strip(),
                      ", ".join(found))  # fmt: skip


@dataclass(frozen=True, slots=True)
class CheckInRow:
    """One check-in: when, what the engine decided, and each reason with its rule and source."""

    at: datetime
    triage: str
    triage_code: str
    decision: str
    pattern: str
    pain: Any
    escalations: str
    reasons: list[dict[str, str]]


def check_in_row(c: CheckInRecord, names: Mapping[str, str]) -> CheckInRow:
    """A check-in for the history list."""
    reasons = [
        {"rule": r["rule"], "name": names.get(r["rule"], ""), "text": r["text"], "source": r["source"]}
        for r in c.response.get("reasons", [])
    ]
    pain = (c.request.get("pain") or {}).get("nrs_now")
    decision = EXERCISE_DECISION.get(c.exercise, c.exercise).lower()
    return CheckInRow(c.created_at, TRIAGE_LEVEL.get(c.triage, c.triage), c.triage, decision,
                      PATTERN.get(c.pattern, ""), pain, c.escalations, reasons)  # fmt: skip


def plan_days(plan: PlanRecord | None, catalogue: Catalogue) -> list[tuple[date, list[dict[str, Any]]]]:
    """The current plan by day: each session with its exercises, doses and the clinicians' dose changes."""
    if plan is None:
        return []
    changed = {
        a["exercise"]: a["by"] for a in plan.adjustments if a["action"] == "dose" and a.get("changed")
    }  # fmt: skip
    days: dict[date, list[dict[str, Any]]] = {}
    for s in plan.plan.get("sessions", []):
        items = [
            {
                "name": catalogue.exercises[i["exercise"]].name
                if i["exercise"] in catalogue.exercises
                else i["exercise"],
                "dose": dose_words(i["dose"]),
                "changed_by": changed.get(i["exercise"]),
            }
            for i in s["items"]
        ]
        days.setdefault(date.fromisoformat(s["day"]), []).append({**s, "items": items})
    return sorted(days.items())


def planned_ids(plan: PlanRecord | None) -> set[str]:
    """The exercises in her current plan (listed first in the plan change form)."""
    if plan is None:
        return set()
    return {i["exercise"] for s in plan.plan.get("sessions", []) for i in s["items"]}


def exercise_groups(catalogue: Catalogue) -> list[tuple[str, list[Any]]]:
    """The catalogue in a few groups, for the clearance form's checkboxes."""
    groups: dict[str, list[Any]] = {}
    for ex in sorted(catalogue.exercises.values(), key=lambda e: e.name):
        groups.setdefault(CATEGORIES.get(ex.category, "Other"), []).append(ex)
    order = list(dict.fromkeys(CATEGORIES.values()))
    return sorted(groups.items(), key=lambda g: order.index(g[0]) if g[0] in order else len(order))
