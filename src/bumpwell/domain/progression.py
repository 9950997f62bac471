"""How much this week: the aerobic target, progress from feedback, and the graded return after birth.

Clinical-reference §20 readings 28 and 29 (DESIGN from §7, §11 and §15): the week's aerobic target is the
guideline's 150 minutes for someone active before, or a start that rises towards it; strength and core doses grow
a step a week while pain improves (or before there is any feedback), and freeze at the starting dose when E2, E4 or
M10 say the programme is not helping. A dose that has stayed at its most for ``progression_weeks_at_most`` gives way
the next week to its harder variant, from that variant's starting dose (the planner checks the rules allow it).
After birth everyone starts at the inactive level at 6+0 and builds back to
her own level over ``postpartum_return_weeks``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from bumpwell.domain.catalogue import Exercise, Policy
from bumpwell.domain.request import Programme, Request

FREEZES = frozenset({"E2", "E4", "M10"})
"""Feedback that the programme is not helping: doses go back to the starting dose (invariant 13)."""
HOLDS = frozenset({"E5", "E7"})
"""Without improvement, these keep last week's aerobic amount and add no strength steps."""
NOT_BETTER = frozenset({"E3"})
"""Sessions kept up but pain not clearly better: doses may still grow before any scores, but without E1 nothing
moves on to a harder variant (the plan's words would contradict E3's)."""
PROGRESSING = frozenset({"strength", "core"})
"""Categories whose doses grow with progress; pelvic floor is dosed from good form, stretches stay mild (M11)."""


@dataclass(frozen=True, slots=True)
class Dosing:
    """This week's amounts: the aerobic target, the catalogue dose level and the steps added to it."""

    target: int  # aerobic minutes this week (the guideline's 150, or a rising start)
    level: str  # inactive | active | vigorous: the catalogue dose the week starts from
    steps: int = 0  # weeks of progress added to strength and core doses
    toward: str | None = None  # after birth: the level the doses return to over the return weeks
    fraction: float = 1.0  # how far along that return is, 0 to 1
    harder: bool = False  # whether a dose past its most may move on to the harder variant (§20.29)


def has_feedback(programme: Programme) -> bool:
    """Whether there are scores to compare (pain or PGQ, at the start and now)."""
    pain = programme.baseline_nrs is not None and programme.current_nrs is not None
    return pain or (programme.baseline_pgq is not None and programme.current_pgq is not None)


def progress_weeks(req: Request, fired: frozenset[str]) -> tuple[int, int]:
    """Weeks of aerobic build-up and of strength steps this week, from the programme and its feedback (§20.29)."""
    if req.programme is None or fired & FREEZES:
        return 0, 0
    weeks = req.programme.days // 7
    held = bool(fired & HOLDS) and "E1" not in fired
    aerobic = max(0, weeks - 1) if held else weeks
    steps = weeks if "E1" in fired or (not has_feedback(req.programme) and not held) else 0
    return aerobic, steps


def weekly_dosing(req: Request, policy: Policy, fired: frozenset[str], *, sedentary: bool) -> Dosing:
    """The week's target and dose level for ``req`` (§20.28 and §20.29)."""
    aerobic_weeks, steps = progress_weeks(req, fired)
    dosing = _levels(req, policy, sedentary, aerobic_weeks, steps)
    if steps and ("E1" in fired or not fired & NOT_BETTER):
        return replace(dosing, harder=True)
    return dosing


def _levels(req: Request, policy: Policy, sedentary: bool, aerobic_weeks: int, steps: int) -> Dosing:
    """The target and the dose level the week starts from, with its strength steps."""
    full = policy.aerobic_weekly_target_min
    start = policy.aerobic_start_week_sedentary if sedentary else policy.aerobic_start_week_inactive
    if req.postpartum is not None:
        return _after_birth(req, policy, start, steps)
    if sedentary or req.activity_history == "inactive":
        target = min(full, round(start * (1 + policy.weekly_progression) ** aerobic_weeks))
        return Dosing(target=target, level="inactive", steps=steps)
    return Dosing(target=full, level=req.activity_history, steps=steps)


def _after_birth(req: Request, policy: Policy, start: int, steps: int) -> Dosing:
    """From 6+0 the return runs from the inactive start to her own level over the return weeks."""
    assert req.postpartum is not None
    since = req.postpartum.total_days - policy.postpartum_structured_from_days
    fraction = 0.0 if since < 0 else min(1.0, since / 7 / policy.postpartum_return_weeks)
    target = round(start + (policy.aerobic_weekly_target_min - start) * fraction)
    own = req.activity_history
    if fraction >= 1.0:
        return Dosing(target=target, level=own, steps=steps)
    return Dosing(target=target, level="inactive", steps=steps, toward=own if own != "inactive" else None,
                  fraction=fraction)  # fmt: skip


def dose_for(exercise: Exercise, dosing: Dosing, policy: Policy) -> dict[str, Any]:
    """The dose of ``exercise`` this week: its catalogue dose, the return after birth, then progress steps."""
    dose = exercise.dose[dosing.level].as_dict()
    if exercise.category not in PROGRESSING:
        return dose
    if dosing.toward is not None:
        goal = exercise.dose[dosing.toward].as_dict()
        for key in ("sets", "reps", "hold_s", "minutes"):
            low, high = dose[key], goal[key]
            if isinstance(low, int) and isinstance(high, int):
                dose[key] = low + math.floor((high - low) * dosing.fraction)
    if dosing.steps:
        _step(dose, dosing.steps, policy)
    return dose


def _step(dose: dict[str, Any], steps: int, policy: Policy) -> None:
    """Add repetitions a step at a time up to their most, then seconds of hold (§11: +1-2 reps or +5 s)."""
    reps = dose["reps"]
    if isinstance(reps, int) and reps < policy.progression_max_reps:
        gained = min(policy.progression_max_reps, reps + steps * policy.progression_reps_step)
        steps -= math.ceil((gained - reps) / policy.progression_reps_step)
        dose["reps"] = gained
    hold = dose["hold_s"]
    if steps > 0 and isinstance(hold, int) and hold < policy.progression_max_hold_s:
        dose["hold_s"] = min(policy.progression_max_hold_s, hold + steps * policy.progression_hold_step_s)


def steps_to_most(dose: dict[str, Any], policy: Policy) -> int:
    """Weeks of progress that bring ``dose`` to its most repetitions, then its most hold (as ``_step`` adds them)."""
    weeks = 0
    reps, hold = dose["reps"], dose["hold_s"]
    if isinstance(reps, int) and reps < policy.progression_max_reps:
        weeks += math.ceil((policy.progression_max_reps - reps) / policy.progression_reps_step)
    if isinstance(hold, int) and hold < policy.progression_max_hold_s:
        weeks += math.ceil((policy.progression_max_hold_s - hold) / policy.progression_hold_step_s)
    return weeks


def moves_on(exercise: Exercise, dosing: Dosing, policy: Policy) -> int | None:
    """The weeks of progress left for the harder variant when this week takes ``exercise`` past its most (§20.29),
    or None while it still has room to grow (or has no harder variant, or is not strength or core work)."""
    if not dosing.harder or not dosing.steps or not exercise.harder or exercise.category not in PROGRESSING:
        return None
    start = dose_for(exercise, replace(dosing, steps=0), policy)
    left = dosing.steps - steps_to_most(start, policy) - policy.progression_weeks_at_most
    return left if left >= 0 else None
