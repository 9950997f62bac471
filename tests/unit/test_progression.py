"""Progress steps on doses the shipped catalogue does not have yet: already at the most repetitions, or no hold."""

from __future__ import annotations

from dataclasses import replace

from bumpwell.domain.catalogue import Catalogue
from bumpwell.domain.progression import Dosing, dose_for, steps_to_most


def test_a_dose_already_at_its_most_repetitions_counts_only_the_weeks_of_hold(catalogue: Catalogue) -> None:
    p = catalogue.policy
    dose = {"reps": p.progression_max_reps, "hold_s": p.progression_max_hold_s - 2 * p.progression_hold_step_s}
    assert steps_to_most(dose, p) == 2


def test_a_dose_with_no_hold_counts_only_the_weeks_of_repetitions(catalogue: Catalogue) -> None:
    p = catalogue.policy
    assert steps_to_most({"reps": p.progression_max_reps - 3 * p.progression_reps_step, "hold_s": None}, p) == 3
    assert steps_to_most({"reps": None, "hold_s": p.progression_max_hold_s}, p) == 0


def test_a_week_of_progress_on_a_dose_at_its_most_repetitions_adds_seconds_of_hold(catalogue: Catalogue) -> None:
    p = catalogue.policy
    tilt = catalogue.exercises["pelvic-tilt-semi-reclined"]
    at_most = replace(tilt.dose["active"], reps=p.progression_max_reps, hold_s=5)
    exercise = replace(tilt, dose={**tilt.dose, "active": at_most})
    dose = dose_for(exercise, Dosing(target=150, level="active", steps=2), p)
    assert (dose["reps"], dose["hold_s"]) == (p.progression_max_reps, 5 + 2 * p.progression_hold_step_s)
