"""The person's forms, turned into the same inputs the JSON API takes (and checked by the same services)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from bumpwell.domain import checklist, input_rules
from bumpwell.domain.checklist import StageList
from bumpwell.domain.stage import GESTATION_WEEKS, due_date_for
from bumpwell.errors import InvalidRequest
from bumpwell.services import people

REGIONS = [
    ("pubic_groin", "Front of the pelvis or groin", "front"),
    ("below_knee_one_leg", "Below the knee, one leg", "front"),
    ("both_legs", "Down both legs", "front"),
    ("thoracic", "Upper back", "back"),
    ("flank", "Side of the back, below the ribs", "back"),
    ("lumbar", "Lower back", "back"),
    ("buttock_si", "Buttocks or back of the pelvis", "back"),
    ("posterior_thigh", "Back of the thigh", "back"),
]
AGGRAVATORS = [
    ("turn_in_bed", "Turning over in bed"),
    ("stairs", "Climbing stairs"),
    ("single_leg", "Standing on one leg (dressing)"),
    ("walking", "Walking"),
    ("parting_legs", "Parting the legs (getting out of a car)"),
    ("sit_to_stand", "Getting up from a chair"),
    ("forward_bend", "Bending forward"),
    ("prolonged_sitting", "Sitting for a long time"),
    ("prolonged_standing", "Standing for a long time"),
    ("lifting", "Lifting"),
]


def checked_form(form: dict[str, Any]) -> dict[str, Any]:
    """``form``, unless a field holds text no page stores (``domain.input_rules``): then a 422 naming the field."""
    found = input_rules.first_text_problem(form)
    if found is not None:
        raise InvalidRequest(*found)
    return form


def observations(form: dict[str, Any], asked: StageList, per_hour: int) -> dict[str, Any]:
    """Today's warning-sign answers to the checklist ``asked`` as the contract's ``observations``.

    Nothing is assumed: she taps "No, none of these today" or ticks what she has (the heaviest bleeding ticked
    counts); neither is a 422 naming ``signs``. The reading of each box is content (``content/checklist.yaml``).
    """
    raw = form.get("vaginal_bleeding", [])
    bleeding = [raw] if isinstance(raw, str) else list(raw)
    ticked = set(form.get("signs", []))
    if form.get("answer") != "none" and not bleeding and not ticked & {i.key for i in asked.items}:
        raise InvalidRequest("signs", 'tick the signs you have today, or choose "No, none of these today"')
    read = checklist.observations(asked, bleeding, ticked, per_hour)
    if read is None:
        choices = "; ".join(c.label for c in asked.bleeding)
        raise InvalidRequest("vaginal_bleeding", f"tick only the boxes on the page: {choices}")
    return read


def leg_nerves(form: dict[str, Any]) -> dict[str, Any]:
    """The pain page's tingling question as ``observations`` (RF-C03 needs it, not the pain location alone)."""
    return {"one_leg_tingling_below_knee": True} if form.get("tingling") == "yes" else {}


def pain(form: dict[str, Any]) -> dict[str, Any]:
    """The body map and scale as the contract's ``pain``."""
    locations = [r for r, _l, _s in REGIONS if r in set(form.get("locations", []))]
    if not str(form.get("nrs_now", "")).strip():
        raise InvalidRequest("nrs_now", "choose how bad the pain is right now, from 0 (none) to 10")
    nrs = _whole(form.get("nrs_now"), "nrs_now", 0, 10)
    aggravators = [a for a, _l in AGGRAVATORS if a in set(form.get("aggravators", []))]
    return {"locations": locations, "nrs_now": nrs, "nrs_worst_24h": nrs, "aggravators": aggravators}


def _whole(raw: object, field: str, low: int, high: int) -> int:
    try:
        value = int(str(raw))
    except ValueError:
        raise InvalidRequest(field, f"choose a number from {low} to {high}") from None
    if not low <= value <= high:
        raise InvalidRequest(field, f"choose a number from {low} to {high}")
    return value


def _day(raw: object, field: str) -> date | None:
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidRequest(field, "enter a date as day, month and year") from None
    problem = input_rules.day_problem(day)
    if problem is not None:
        raise InvalidRequest(field, problem)
    return day


def stage(form: dict[str, Any], today: date) -> dict[str, Any]:
    """The stage page as profile fields (a number of weeks becomes a due date)."""
    status = "postpartum" if form.get("status") == "postpartum" else "pregnant"
    due = _day(form.get("due_date"), "due_date")
    if status == "pregnant" and due is None:
        if not str(form.get("weeks", "")).strip():
            raise InvalidRequest("due_date", "enter your due date, or how many weeks pregnant you are")
        weeks = _whole(form.get("weeks"), "weeks", *GESTATION_WEEKS)
        due = due_date_for(weeks, today)
    delivery = str(form.get("delivery") or "") or None
    if delivery not in (None, "vaginal", "instrumental", "caesarean"):
        raise InvalidRequest("delivery", "choose how your baby was born")
    return {
        "status": status,
        "due_date": due if status == "pregnant" else None,
        "birth_date": _day(form.get("birth_date"), "birth_date") if status == "postpartum" else None,
        "delivery": delivery,
        "perineal_tear": form.get("perineal_tear") == "yes",
        "plurality": _bounded(form, "plurality"),
    }


def _bounded(form: dict[str, Any], field: str) -> int:
    """A profile number from the form, within the service's bounds, its default when the form left it out."""
    return _whole(form.get(field, str(people.DEFAULTS[field])), field, *people.BOUNDS[field])


def about(form: dict[str, Any]) -> dict[str, Any]:
    """The about-you page as profile fields."""
    activity = str(form.get("activity_history", "inactive"))
    if activity not in ("inactive", "active", "vigorous"):
        raise InvalidRequest("activity_history", "choose how active you were")
    return {
        "activity_history": activity,
        "days_per_week": _bounded(form, "days_per_week"),
        "minutes_per_day": _bounded(form, "minutes_per_day"),
        "pool_access": form.get("pool_access") == "yes",
        "supervisor_available": form.get("supervisor_available") == "yes",
    }


def carried(form: dict[str, Any]) -> dict[str, Any]:
    """Answers carried from earlier pages in a hidden field."""
    try:
        value = json.loads(str(form.get("answers") or "{}"))
    except json.JSONDecodeError:
        raise InvalidRequest("answers", "the earlier answers were lost; start again") from None
    if not isinstance(value, dict):
        raise InvalidRequest("answers", "the earlier answers were lost; start again")
    return value


def birth(form: dict[str, Any]) -> dict[str, Any]:
    """The birth page as the service's fields (the service checks the date and the delivery)."""
    delivery = str(form.get("delivery") or "") or None
    if delivery not in (None, "vaginal", "instrumental", "caesarean"):
        raise InvalidRequest("delivery", "choose how your baby was born")
    return {
        "birth_date": _day(form.get("birth_date"), "birth_date"),
        "delivery": delivery,
        "perineal_tear": form.get("perineal_tear") == "yes",
    }


def due_date(form: dict[str, Any]) -> date | None:
    """A corrected due date, or ``None`` when the field was left empty."""
    return _day(form.get("due_date"), "due_date")


def follow_up(form: dict[str, Any]) -> dict[str, Any] | None:
    """The follow-up questions after a warning sign as the check-in's ``follow_up``; ``None`` when unanswered."""
    seen = form.get("fu_seen")
    if seen not in ("yes", "no"):
        return None
    told = str(form.get("fu_told") or "") or None
    return {"seen": seen == "yes", "seen_by": str(form.get("fu_seen_by") or "").strip() or None, "told": told}
