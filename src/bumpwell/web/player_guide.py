"""What the guided player says about each exercise, from its card in content: the first step, the one key cue, and
the easier version it can switch to when something hurts (with that version's own steps)."""

from __future__ import annotations

from typing import Any

from bumpwell.domain.catalogue import Catalogue, Dose
from bumpwell.domain.session_flow import StepKind, build_steps

# what the screen shows beside the spoken words (content/player.yaml); {n}, {total} and {name} are filled in
SCREEN_WORDS = {
    "set": "set {set} of {sets}",
    "squeeze": "Squeeze and lift",
    "let_go": "Let go",
    "progress": "{n} of {total} exercises",
    "easier": "Try the easier version: {name}",
}


def player_words(catalogue: Catalogue) -> dict[str, str]:
    """Everything the web player says (from content) and shows around it."""
    spoken = catalogue.player
    return {
        "ready_prompt": spoken.ready,
        "more_time": spoken.more_time,
        "of": spoken.count,
        "quick": spoken.quick_squeeze,
        "breathe": spoken.breathe,
        "stopped": spoken.stopped,
        **SCREEN_WORDS,
    }


def exercise_guide(catalogue: Catalogue, exercise_id: str) -> dict[str, Any]:
    """The name, first step and key cue of one exercise, whether it is a pelvic-floor squeeze and has a figure."""
    exercise = catalogue.exercises[exercise_id]
    return {
        "name": exercise.name,
        "first": exercise.steps[0] if exercise.steps else exercise.purpose,
        "cue": exercise.cues[0] if exercise.cues else "",
        "squeeze": "pelvic_floor" in exercise.tags,
        "figure": exercise.figure is not None,  # without one, the player keeps the figure it shows
    }


def _easier_steps(catalogue: Catalogue, position: int, easier_id: str, dose: Dose) -> list[dict[str, Any]]:
    steps = build_steps([(easier_id, dose)], catalogue)
    return [{**s.as_dict(), "item": position} for s in steps if s.kind is not StepKind.done]


def player_guide(catalogue: Catalogue, items: list[tuple[str, Dose]]) -> dict[str, Any]:
    """Every exercise of the session (and each one's easier version) as the player needs it."""
    exercises = {exercise_id: exercise_guide(catalogue, exercise_id) for exercise_id, _dose in items}
    easier: dict[str, Any] = {}
    for position, (exercise_id, dose) in enumerate(items):
        options = [e for e in catalogue.exercises[exercise_id].easier if e in catalogue.exercises]
        if options:
            exercises.setdefault(options[0], exercise_guide(catalogue, options[0]))
            easier[str(position)] = _easier_steps(catalogue, position, options[0], dose)
    return {"exercises": exercises, "easier": easier, "more_time_s": catalogue.policy.change_over_s}
