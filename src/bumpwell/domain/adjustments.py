"""A clinician's adjustments to a person's plans: take an exercise out, or change its dose (issue: care team).

Adjustments only remove items or change a dose; they never add an exercise, so every safety invariant the engine
proved for its plan (positions, pelvic-girdle loads, exclusions, supervision) still holds afterwards. A dose change
that would make a session longer than the minutes a clinician cleared is not applied there, and the plan says so.
The engine's own answer is never touched: the adjusted plan is a copy, with the list of what was changed.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bumpwell.domain.catalogue import Catalogue, Policy
from bumpwell.domain.timing import session_minutes

FRAME = frozenset({"warm_up", "cool_down"})  # categories that make no session on their own


@dataclass(frozen=True, slots=True)
class Adjustment:
    """One change a clinician made, as it applies to every plan made while it stands."""

    id: str
    exercise: str
    action: str  # exclude | dose
    dose: Mapping[str, int] | None
    reason: str
    by: str
    at: str  # ISO date and time it was made


def dose_limits(policy: Policy) -> dict[str, tuple[int, int]]:
    """The least and the most a dose change may set, per part of a dose (content/policy.yaml, DESIGN)."""
    return {
        "sets": (1, policy.adjustment_max_sets),
        "reps": (1, policy.adjustment_max_reps),
        "hold_s": (1, policy.adjustment_max_hold_s),
        "minutes": (1, policy.adjustment_max_minutes),
    }


def problem(exercise: str, action: str, dose: Mapping[str, Any] | None, catalogue: Catalogue) -> tuple[str, str] | None:
    """Why this adjustment cannot be made, as (field, message), or ``None`` when it can."""
    limits = dose_limits(catalogue.policy)
    found = catalogue.exercises.get(exercise)
    if found is None:
        return "exercise", f"unknown exercise id {exercise!r}"
    if action == "exclude":
        return None if not dose else ("dose", "only a dose change takes a dose; leave it out to take the exercise out")
    if action != "dose":
        return "action", "must be exclude or dose"
    if not dose:
        return "dose", f"name at least one of {', '.join(limits)}"
    used = {key for level in found.dose.values() for key, value in level.as_dict().items() if value is not None}
    for key, value in dose.items():
        if key not in limits:
            return f"dose.{key}", f"unknown; a dose has {', '.join(limits)}"
        if key not in used:
            uses = ", ".join(sorted(used & set(limits)))
            return f"dose.{key}", f"{found.name} is not dosed in {key}; it uses {uses}"
        low, high = limits[key]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            return f"dose.{key}", f"must be a whole number from {low} to {high}"
    return None


def apply(
    plan: Mapping[str, Any], adjustments: Sequence[Adjustment], catalogue: Catalogue, max_minutes: int | None
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The plan with ``adjustments`` applied in order, and what each one did (for the person and the record)."""
    out = copy.deepcopy(dict(plan))
    applied: list[dict[str, Any]] = []
    for adjustment in adjustments:
        changed = 0
        skipped = 0
        if adjustment.action == "exclude":
            for session in out.get("sessions", []):
                kept = [i for i in session["items"] if i["exercise"] != adjustment.exercise]
                changed += len(session["items"]) - len(kept)
                session["items"] = kept
            before = list(out.get("continue", []))
            out["continue"] = [i for i in before if i != adjustment.exercise]
            changed += len(before) - len(out["continue"])
        else:
            for session in out.get("sessions", []):
                trial = copy.deepcopy(session["items"])
                hits = [i for i in trial if i["exercise"] == adjustment.exercise]
                for item in hits:
                    item["dose"].update(adjustment.dose or {})
                if not hits:
                    continue
                if max_minutes is not None and session_minutes(trial, catalogue.policy) > max_minutes:
                    skipped += len(hits)
                    continue
                session["items"] = trial
                changed += len(hits)
        applied.append(
            {
                "id": adjustment.id,
                "exercise": adjustment.exercise,
                "action": adjustment.action,
                "dose": dict(adjustment.dose) if adjustment.dose else None,
                "reason": adjustment.reason,
                "by": adjustment.by,
                "at": adjustment.at,
                "changed": changed,
                "not_applied_over_limit": skipped,
            }
        )
    if any(entry["changed"] for entry in applied):
        _tidy(out, catalogue)
    return out, applied


def _tidy(plan: dict[str, Any], catalogue: Catalogue) -> None:
    """Drop sessions left with nothing but a warm-up or cool-down and re-time the rest.

    The week's aerobic target stays the guideline's (invariant 11): taking out a walk lowers what is planned, not
    what the week aims for.
    """
    kept = []
    for session in plan.get("sessions", []):
        if any(catalogue.exercises[i["exercise"]].category not in FRAME for i in session["items"]):
            session["minutes"] = session_minutes(session["items"], catalogue.policy)
            kept.append(session)
    plan["sessions"] = kept
