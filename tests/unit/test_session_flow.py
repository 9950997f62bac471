"""The guided session's steps and moves (domain/session_flow.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bumpwell.domain.catalogue import Catalogue, Dose
from bumpwell.domain.session_flow import Move, PlayerState, StepKind, build_steps, move


def kinds(steps) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.kind.value for s in steps]


def test_a_walk_is_get_ready_then_minutes_of_walking(catalogue: Catalogue) -> None:
    steps = build_steps([("walking", Dose(minutes=15))], catalogue)
    assert kinds(steps) == ["intro", "timed", "done"]
    assert steps[1].seconds == 15 * 60
    assert steps[0].say.startswith("Walking")


def test_pelvic_floor_holds_are_squeezes_followed_by_an_equal_relax(catalogue: Catalogue) -> None:
    steps = build_steps([("pelvic-floor", Dose(sets=1, reps=3, hold_s=8))], catalogue)
    assert kinds(steps) == ["intro", *(["hold", "relax"] * 3), "done"]
    assert {s.seconds for s in steps if s.kind in (StepKind.hold, StepKind.relax)} == {8}
    assert steps[1].say == "Squeeze and lift, and keep breathing."
    assert (steps[5].rep, steps[5].reps) == (3, 3)


def test_holds_of_other_exercises_get_a_short_relax(catalogue: Catalogue) -> None:
    steps = build_steps([("pelvic-tilt-wall", Dose(sets=1, reps=2, hold_s=4))], catalogue)
    assert [s.seconds for s in steps if s.kind is StepKind.relax] == [3, 3]
    assert steps[1].say == "Hold, and keep breathing."


def test_each_side_repeats_the_reps_with_a_switch_between_and_sets_rest(catalogue: Catalogue) -> None:
    steps = build_steps([("bird-dog", Dose(sets=2, reps=2, sides="each"))], catalogue)
    one_set = ["rep", "rep", "switch", "rep", "rep"]
    assert kinds(steps) == ["intro", *one_set, "rest", *one_set, "done"]
    assert [s.side for s in steps if s.kind is StepKind.rep][:4] == ["left", "left", "right", "right"]
    assert steps[6].seconds == catalogue.policy.rest_between_sets_s


def test_exercises_are_separated_by_a_change_over_rest(catalogue: Catalogue) -> None:
    steps = build_steps([("walking", Dose(minutes=5)), ("neck-stretch", Dose(reps=1, hold_s=20))], catalogue)
    assert kinds(steps) == ["intro", "timed", "rest", "intro", "hold", "relax", "done"]
    assert steps[2].seconds == catalogue.policy.change_over_s
    assert steps[2].item == 1


def test_an_empty_dose_is_one_paced_repetition(catalogue: Catalogue) -> None:
    assert kinds(build_steps([("cat-cow", Dose())], catalogue)) == ["intro", "rep", "done"]


@pytest.fixture
def two(catalogue: Catalogue):  # type: ignore[no-untyped-def]
    return build_steps([("walking", Dose(minutes=5)), ("pelvic-floor", Dose(reps=2, hold_s=5))], catalogue)


def test_finishing_steps_walks_to_the_end_and_then_stays(two) -> None:  # type: ignore[no-untyped-def]
    state = PlayerState()
    for _ in range(len(two) - 1):
        state = move(state, two, Move.finish_step)
    assert state.ended
    assert state.index == len(two) - 1
    assert move(state, two, Move.finish_step) == state


def test_pause_freezes_every_move_but_resume_and_stop(two) -> None:  # type: ignore[no-untyped-def]
    paused = move(PlayerState(index=1), two, Move.pause)
    assert move(paused, two, Move.finish_step) == paused
    assert move(paused, two, Move.back) == paused
    assert move(paused, two, Move.resume) == PlayerState(index=1)
    stopped = move(paused, two, Move.stop)
    assert stopped.stopped
    assert not stopped.paused
    assert move(stopped, two, Move.resume) == stopped


def test_back_never_goes_before_the_first_step(two) -> None:  # type: ignore[no-untyped-def]
    assert move(PlayerState(), two, Move.back).index == 0
    assert move(PlayerState(index=2), two, Move.back).index == 1


def test_skip_jumps_to_the_next_exercise_or_to_the_end(two) -> None:  # type: ignore[no-untyped-def]
    skipped = move(PlayerState(), two, Move.skip_exercise)
    assert two[skipped.index].item == 1
    assert not skipped.ended
    last = move(skipped, two, Move.skip_exercise)
    assert last.ended
    assert two[last.index].kind is StepKind.done


def test_steps_serialise_for_the_web_player(two) -> None:  # type: ignore[no-untyped-def]
    data = two[0].as_dict()
    assert data["kind"] == "intro"
    assert set(data) == {"kind", "item", "exercise", "seconds", "say", "set", "sets", "rep", "reps", "side"}


def test_every_hold_of_every_exercise_says_to_keep_breathing(catalogue: Catalogue) -> None:
    """Never hold the breath (M07, §20 reading 31): the player says so on each hold, at every dose level."""
    for ex in catalogue.exercises.values():
        for dose in ex.dose.values():
            holds = [s for s in build_steps([(ex.id, dose)], catalogue) if s.kind is StepKind.hold]
            assert all("keep breathing" in s.say for s in holds), ex.id


def test_every_word_the_player_says_comes_from_content(catalogue: Catalogue) -> None:
    """content/player.yaml holds the player's words and policy.yaml its timings: change them and the steps follow."""
    words = replace(
        catalogue.player, hold="Stay there, breathing.", squeeze="Lift, breathing.", relax="Let go.",
        change_sides="Other side.", rest="Pause.", change_over="Next one.", done="Finished.",
    )  # fmt: skip
    policy = replace(catalogue.policy, get_ready_s=7, relax_after_hold_s=2, side_switch_s=9)
    changed = replace(catalogue, player=words, policy=policy)
    steps = build_steps(
        [("pelvic-floor", Dose(sets=1, reps=1, hold_s=5)), ("pelvic-tilt-wall", Dose(sets=2, reps=1, hold_s=4)),
         ("bird-dog", Dose(sets=1, reps=1, sides="each"))],
        changed,
    )  # fmt: skip
    said = {(s.kind.value, s.say) for s in steps if s.kind is not StepKind.intro and s.kind is not StepKind.rep}
    assert said == {
        ("hold", "Lift, breathing."), ("relax", "Let go."), ("hold", "Stay there, breathing."), ("rest", "Pause."),
        ("rest", "Next one."), ("switch", "Other side."), ("done", "Finished."),
    }  # fmt: skip
    assert {s.seconds for s in steps if s.kind is StepKind.intro} == {7}
    assert [s.seconds for s in steps if s.kind is StepKind.relax] == [5, 2, 2]
    assert [s.seconds for s in steps if s.kind is StepKind.switch] == [9]
