"""The terminal session player: walks :mod:`bumpwell.domain.session_flow` steps with Rich timers.

Keys are not read one by one (that needs a raw terminal); Ctrl-C pauses and opens a small menu instead:
resume, next step, skip the exercise, or stop (asking why). Time is injected, so tests run instantly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.prompt import Prompt

from bumpwell.domain.catalogue import Catalogue
from bumpwell.domain.session_flow import Move, PlayerState, Step, StepKind, move

STOP_REASONS = {"p": "pain", "w": "warning_sign", "t": "tired", "o": "other"}


@dataclass
class Outcome:
    """How the session ended, and which exercises were done or skipped."""

    stopped: bool
    reason: str | None = None
    done: set[int] = field(default_factory=set)
    skipped: set[int] = field(default_factory=set)


def _label(step: Step, catalogue: Catalogue) -> str:
    name = catalogue.exercises[step.exercise].name if step.exercise else "Session"
    parts = [f"[bold]{name}[/]"]
    if step.reps and step.kind in (StepKind.hold, StepKind.relax, StepKind.rep):
        parts.append(f"rep {step.rep} of {step.reps}")
    if step.sets and step.sets > 1:
        parts.append(f"set {step.set} of {step.sets}")
    if step.side:
        parts.append(f"{step.side} side")
    return " · ".join(parts)


class TerminalPlayer:
    """Counts each step down on the console; ``sleep`` and ``ask`` are injected for tests."""

    def __init__(
        self,
        console: Console,
        catalogue: Catalogue,
        sleep: Callable[[float], None],
        ask: Callable[[str, list[str]], str] | None = None,
    ) -> None:
        self.console, self.catalogue, self.sleep = console, catalogue, sleep
        self.ask = ask or (lambda q, choices: Prompt.ask(q, choices=choices, console=console))

    def run(self, steps: tuple[Step, ...]) -> Outcome:
        """Play every step; returns how it ended."""
        state, outcome = PlayerState(), Outcome(stopped=False)
        while not (state.ended or state.stopped):
            step = steps[state.index]
            try:
                self._count_down(step, state.index, len(steps))
                if step.item is not None:
                    outcome.done.add(step.item)
                state = move(state, steps, Move.finish_step)
            except KeyboardInterrupt:
                state = self._menu(state, steps, outcome)
        if state.stopped:
            outcome.stopped = True
        else:
            self.console.print(f"[bold green]{steps[-1].say}[/]")
        return outcome

    def _count_down(self, step: Step, index: int, total: int) -> None:
        self.console.print(f"[dim]{index + 1}/{total}[/] {_label(step, self.catalogue)}: {step.say}")
        if step.seconds <= 0:
            return
        columns = (TextColumn("{task.description}"), BarColumn(), TimeRemainingColumn())
        with Progress(*columns, console=self.console, transient=True) as progress:
            task = progress.add_task(step.kind.value, total=step.seconds)
            for _ in range(step.seconds):
                self.sleep(1)
                progress.advance(task)

    def _menu(self, state: PlayerState, steps: tuple[Step, ...], outcome: Outcome) -> PlayerState:
        paused = move(state, steps, Move.pause)
        choice = self.ask("Paused. [r]esume, [n]ext step, [k] skip exercise, [s]top", ["r", "n", "k", "s"])
        resumed = move(paused, steps, Move.resume)
        if choice == "n":
            return move(resumed, steps, Move.finish_step)
        if choice == "k":
            item = steps[state.index].item
            if item is not None:
                outcome.skipped.add(item)
            return move(resumed, steps, Move.skip_exercise)
        if choice == "s":
            why = self.ask("Why stop? [p]ain, [w]arning sign, [t]ired, [o]ther", list(STOP_REASONS))
            outcome.reason = STOP_REASONS[why]
            return move(paused, steps, Move.stop)
        return resumed
