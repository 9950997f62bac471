"""The guided session as a program of steps, and the few moves a player can make through it.

Both players run this: the web player receives the steps as JSON and counts them down in the browser, the terminal
player (``bumpwell session``) counts them down with Rich. No timers and no output here: a step says how long it
lasts and what to say; the edge keeps time.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any

from bumpwell.domain.catalogue import Catalogue, Dose, Exercise

GET_READY_S = 5
RELAX_AFTER_HOLD_S = 3
SIDE_SWITCH_S = 5
HOLD_SAY = "Hold, and keep breathing."  # never hold the breath (M07, §20 reading 31): every hold says so
SQUEEZE_SAY = "Squeeze and lift, and keep breathing."


class StepKind(StrEnum):
    """What a step asks of the person."""

    intro = "intro"  # get into position: the name, the first steps, a short countdown
    timed = "timed"  # keep going for a while (walking, swimming, a stretch held for minutes)
    hold = "hold"  # hold (or squeeze) and count down
    relax = "relax"  # let go between holds (for the pelvic floor: relax as long as you squeezed)
    rep = "rep"  # one repetition, paced
    switch = "switch"  # change sides
    rest = "rest"  # rest between sets or exercises
    done = "done"  # the session is over: ask how it went


@dataclass(frozen=True, slots=True)
class Step:
    """One thing to do now, with how long it lasts and what to say."""

    kind: StepKind
    item: int | None  # the exercise's position in the session; None for the last step
    exercise: str | None
    seconds: int
    say: str
    set: int | None = None
    sets: int | None = None
    rep: int | None = None
    reps: int | None = None
    side: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready, for the web player."""
        data = asdict(self)
        data["kind"] = self.kind.value
        return data


def _sides(dose: Dose) -> tuple[str | None, ...]:
    return ("left", "right") if dose.sides == "each" else (None,)


def _item_steps(position: int, exercise: Exercise, dose: Dose, seconds_per_rep: int, rest_s: int) -> list[Step]:
    first = exercise.steps[0] if exercise.steps else exercise.purpose
    steps = [Step(StepKind.intro, position, exercise.id, GET_READY_S, f"{exercise.name}. {first}")]
    if dose.minutes:
        cue = exercise.cues[0] if exercise.cues else "Keep a pace at which you can still talk."
        return [*steps, Step(StepKind.timed, position, exercise.id, dose.minutes * 60, cue)]
    sets, reps = dose.sets or 1, dose.reps or 1
    squeeze = "pelvic_floor" in exercise.tags
    for set_no in range(1, sets + 1):
        for side_no, side in enumerate(_sides(dose)):
            if side_no:
                steps.append(Step(StepKind.switch, position, exercise.id, SIDE_SWITCH_S, "Change sides.", side=side))
            for rep in range(1, reps + 1):

                def step(kind: StepKind, seconds: int, say: str) -> Step:
                    return Step(kind, position, exercise.id, seconds, say, set_no, sets, rep, reps, side)  # noqa: B023

                if dose.hold_s:
                    steps.append(step(StepKind.hold, dose.hold_s, SQUEEZE_SAY if squeeze else HOLD_SAY))
                    steps.append(step(StepKind.relax, dose.hold_s if squeeze else RELAX_AFTER_HOLD_S, "Relax."))
                else:
                    steps.append(step(StepKind.rep, seconds_per_rep, f"{rep}."))
        if set_no < sets:
            steps.append(Step(StepKind.rest, position, exercise.id, rest_s, "Rest.", set=set_no, sets=sets))
    return steps


def build_steps(items: list[tuple[str, Dose]], catalogue: Catalogue) -> tuple[Step, ...]:
    """The whole session, exercise by exercise, ending with a ``done`` step."""
    policy = catalogue.policy
    steps: list[Step] = []
    for position, (exercise_id, dose) in enumerate(items):
        if steps:
            steps.append(Step(StepKind.rest, position, exercise_id, policy.change_over_s, "Rest, then get ready."))
        exercise = catalogue.exercises[exercise_id]
        steps += _item_steps(position, exercise, dose, policy.seconds_per_rep, policy.rest_between_sets_s)
    steps.append(Step(StepKind.done, None, None, 0, "Well done. How was it?"))
    return tuple(steps)


class Move(StrEnum):
    """What the person (or the clock) can do."""

    finish_step = "finish_step"  # the countdown ran out, or the person tapped "next"
    back = "back"
    skip_exercise = "skip_exercise"
    pause = "pause"
    resume = "resume"
    stop = "stop"


@dataclass(frozen=True, slots=True)
class PlayerState:
    """Where the player is: the step, whether paused, whether it has ended."""

    index: int = 0
    paused: bool = False
    ended: bool = False  # reached the last step
    stopped: bool = False  # stopped early


def move(state: PlayerState, step_list: tuple[Step, ...], how: Move) -> PlayerState:
    """The state after ``how``; moves that make no sense now leave the state as it is."""
    if state.ended or state.stopped:
        return state
    if how is Move.stop:
        return replace(state, stopped=True, paused=False)
    if how is Move.pause:
        return replace(state, paused=True)
    if how is Move.resume:
        return replace(state, paused=False)
    if state.paused:
        return state
    last = len(step_list) - 1
    if how is Move.back:
        return replace(state, index=max(0, state.index - 1))
    if how is Move.skip_exercise:
        item = step_list[state.index].item
        index = state.index
        while index < last and step_list[index].item == item:
            index += 1
        return replace(state, index=index, ended=index == last)
    index = min(state.index + 1, last)
    return replace(state, index=index, ended=index == last)
