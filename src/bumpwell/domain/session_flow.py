"""The guided session as a program of steps, and the few moves a player can make through it.

Both players run this: the web player receives the steps as JSON and counts them down in the browser, the terminal
player (``bumpwell session``) counts them down with Rich. No timers and no output here: a step says how long it
lasts and what to say; the edge keeps time.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any

from bumpwell.domain.catalogue import Catalogue, Dose, Exercise, PlayerWords, Policy


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


def _item_steps(position: int, exercise: Exercise, dose: Dose, policy: Policy, say: PlayerWords) -> list[Step]:
    first = exercise.steps[0] if exercise.steps else exercise.purpose
    steps = [Step(StepKind.intro, position, exercise.id, policy.get_ready_s, f"{exercise.name}. {first}")]
    if dose.minutes:
        cue = exercise.cues[0] if exercise.cues else say.pace
        return [*steps, Step(StepKind.timed, position, exercise.id, dose.minutes * 60, cue)]
    sets = dose.sets or 1
    for set_no in range(1, sets + 1):
        for side_no, side in enumerate(_sides(dose)):
            if side_no:
                steps.append(
                    Step(StepKind.switch, position, exercise.id, policy.side_switch_s, say.change_sides, side=side)
                )
            steps += _reps(
                Step(StepKind.rep, position, exercise.id, 0, "", set_no, sets, side=side), exercise, dose, policy, say
            )
        if set_no < sets:
            steps.append(
                Step(StepKind.rest, position, exercise.id, policy.rest_between_sets_s, say.rest, set=set_no, sets=sets)
            )
    return steps


def _reps(base: Step, exercise: Exercise, dose: Dose, policy: Policy, say: PlayerWords) -> list[Step]:
    """One set on one side: a hold and a let-go for each repetition, or a paced count."""
    reps = dose.reps or 1
    squeeze = "pelvic_floor" in exercise.tags
    out: list[Step] = []
    for rep in range(1, reps + 1):
        counted = replace(base, rep=rep, reps=reps)
        if dose.hold_s:
            let_go = dose.hold_s if squeeze else policy.relax_after_hold_s
            out.append(
                replace(counted, kind=StepKind.hold, seconds=dose.hold_s, say=say.squeeze if squeeze else say.hold)
            )
            out.append(replace(counted, kind=StepKind.relax, seconds=let_go, say=say.relax))
        else:
            out.append(replace(counted, seconds=policy.seconds_per_rep, say=f"{rep}."))
    return out


def build_steps(items: list[tuple[str, Dose]], catalogue: Catalogue) -> tuple[Step, ...]:
    """The whole session, exercise by exercise, ending with a ``done`` step."""
    policy, say = catalogue.policy, catalogue.player
    steps: list[Step] = []
    for position, (exercise_id, dose) in enumerate(items):
        if steps:
            steps.append(Step(StepKind.rest, position, exercise_id, policy.change_over_s, say.change_over))
        exercise = catalogue.exercises[exercise_id]
        steps += _item_steps(position, exercise, dose, policy, say)
    steps.append(Step(StepKind.done, None, None, 0, say.done))
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
