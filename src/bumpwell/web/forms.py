"""The person's forms, turned into the same inputs the JSON API takes (and checked by the same services)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from bumpwell.domain import input_rules
from bumpwell.domain.stage import GESTATION_WEEKS, due_date_for
from bumpwell.errors import InvalidRequest
from bumpwell.services import people

REGULAR_PAINFUL = {"regular": True, "painful": True}  # per_hour comes from policy.yaml (contractions_per_hour)
NERVES = {"saddle_numbness": True, "new_bladder_or_bowel_change": True}
SIGNS: list[tuple[str, str, dict[str, Any]]] = [
    ("fluid_leak", "Fluid leaking from the vagina", {"fluid_leak": True}),
    ("contractions", "Regular, painful tightenings of the bump", {"contractions": REGULAR_PAINFUL}),
    ("movements", "Your baby moving less than usual, or differently", {"fetal_movements": "reduced_or_changed"}),
    ("headache", "A bad headache that will not go away", {"headache": "severe"}),
    ("vision", "Blurred vision or flashing lights", {"visual_disturbance": True}),
    ("swelling", "Sudden swelling of the face, hands or feet", {"swelling": "sudden_face_hands_feet"}),
    ("chest", "Chest pain, or sudden breathlessness", {"chest_pain": "severe_or_with_breathlessness"}),
    ("calf", "One calf or thigh painful and swollen, warm or red", {"calf_pain_one_side": True}),
    ("dizzy", "Feeling dizzy or faint, and it does not pass", {"dizziness": "persisting"}),
    ("fainted", "I fainted", {"fainted": True}),
    ("fever", "A fever (38 °C or more)", {"temperature_c": 38.0}),
    ("belly", "Sudden, strong pain in the belly", {"sudden_severe_abdominal_pain": True}),
    ("numb", "Numbness between the legs, or new trouble with bladder or bowel", NERVES),
    ("legs", "Both legs weak or numb", {"both_legs_weak_or_numb": True}),
    ("blow", "A fall, an accident or a blow to the bump", {"blow_to_abdomen": True}),
]  # fmt: skip
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
BLEEDING = ("none", "spotting", "light", "heavy")


def checked_form(form: dict[str, Any]) -> dict[str, Any]:
    """``form``, unless a field holds text no page stores (``domain.input_rules``): then a 422 naming the field."""
    found = input_rules.first_text_problem(form)
    if found is not None:
        raise InvalidRequest(*found)
    return form


def observations(form: dict[str, Any], per_hour: int) -> dict[str, Any]:
    """Today's warning-sign answers as the contract's ``observations``. A ticked box always counts.

    Nothing is assumed: she taps "None of these" or ticks what she has (the heaviest bleeding ticked counts);
    neither is a 422 naming ``signs``. "Regular, painful tightenings" is read as ``per_hour`` of them: the policy's
    threshold for the labour rules.
    """
    bleeding = _bleeding(form)
    ticked = set(form.get("signs", []))
    if form.get("answer") != "none" and bleeding == "none" and not ticked & {k for k, _l, _p in SIGNS}:
        raise InvalidRequest("signs", 'tick the signs you have today, or choose "No, none of these today"')
    out: dict[str, Any] = {"vaginal_bleeding": bleeding}
    for key, _label, patch in SIGNS:
        if key in ticked:
            out.update(patch)
    if "contractions" in out:
        out["contractions"] = {**out["contractions"], "per_hour": per_hour}
    return out


def _bleeding(form: dict[str, Any]) -> str:
    """The heaviest bleeding ticked (the page's boxes, or one ``vaginal_bleeding`` value); "none" when none is."""
    raw = form.get("vaginal_bleeding", [])
    chosen = [raw] if isinstance(raw, str) else list(raw)
    unknown = [value for value in chosen if value not in BLEEDING]
    if unknown:
        raise InvalidRequest("vaginal_bleeding", "choose none, spotting, light or heavy")
    return max(chosen, key=BLEEDING.index, default="none")


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
