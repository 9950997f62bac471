"""The terminal player and `bumpwell session`, with the clock and the answers injected."""

from __future__ import annotations

import io

from rich.console import Console

from bumpwell.cli.player import TerminalPlayer
from bumpwell.domain.catalogue import Catalogue, Dose
from bumpwell.domain.session_flow import build_steps


def player(
    catalogue: Catalogue, answers: list[str], interrupt_at: set[int]
) -> tuple[TerminalPlayer, list[float], io.StringIO]:
    slept: list[float] = []
    out = io.StringIO()

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        if len(slept) in interrupt_at:
            raise KeyboardInterrupt

    def ask(_question: str, choices: list[str]) -> str:
        answer = answers.pop(0)
        assert answer in choices
        return answer

    return TerminalPlayer(Console(file=out, width=100), catalogue, sleep, ask), slept, out


def test_the_terminal_player_counts_every_second_of_every_step(catalogue: Catalogue) -> None:
    steps = build_steps([("pelvic-floor", Dose(reps=2, hold_s=3))], catalogue)
    play, slept, out = player(catalogue, [], set())
    outcome = play.run(steps)
    assert not outcome.stopped
    assert outcome.done == {0}
    assert len(slept) == sum(s.seconds for s in steps)
    assert "rep 2 of 2" in out.getvalue()
    assert "Well done" in out.getvalue()


def test_ctrl_c_pauses_and_skip_moves_to_the_next_exercise(catalogue: Catalogue) -> None:
    steps = build_steps([("walking", Dose(minutes=1)), ("pelvic-floor", Dose(reps=1, hold_s=2))], catalogue)
    play, _slept, _out = player(catalogue, ["k"], {3})
    outcome = play.run(steps)
    assert outcome.skipped == {0}
    assert 1 in outcome.done


def test_stop_asks_why_and_ends_the_session(catalogue: Catalogue) -> None:
    steps = build_steps([("walking", Dose(minutes=1))], catalogue)
    play, slept, _out = player(catalogue, ["r", "s", "w"], {2, 9})
    outcome = play.run(steps)
    assert outcome.stopped
    assert outcome.reason == "warning_sign"
    assert len(slept) < sum(s.seconds for s in steps)
