"""What the web player says about each exercise comes from its card in content."""

from __future__ import annotations

from dataclasses import replace

from bumpwell.domain.catalogue import Catalogue, Dose
from bumpwell.web.player_guide import player_guide, player_words


def test_each_exercise_is_introduced_by_its_first_step_and_its_key_cue(catalogue: Catalogue) -> None:
    guide = player_guide(catalogue, [("pelvic-tilt-supine", Dose(sets=1, reps=8))])
    card = catalogue.exercises["pelvic-tilt-supine"]
    assert guide["exercises"]["pelvic-tilt-supine"] == {
        "name": card.name,
        "first": card.steps[0],
        "cue": card.cues[0],
        "squeeze": False,
        "figure": True,
    }


def test_the_pelvic_floor_is_marked_as_a_squeeze(catalogue: Catalogue) -> None:
    guide = player_guide(catalogue, [("pelvic-floor-quick-squeezes", Dose(sets=1, reps=10))])
    assert guide["exercises"]["pelvic-floor-quick-squeezes"]["squeeze"] is True


def test_an_exercise_with_an_easier_version_carries_its_steps_at_the_same_place_in_the_session(
    catalogue: Catalogue,
) -> None:
    dose = Dose(sets=2, reps=6)
    guide = player_guide(catalogue, [("pelvic-floor-quick-squeezes", Dose(sets=1, reps=10)), ("bird-dog", dose)])
    easier = catalogue.exercises["bird-dog"].easier[0]
    steps = guide["easier"]["1"]
    assert {s["item"] for s in steps} == {1}
    assert {s["exercise"] for s in steps} == {easier}
    assert steps[0]["kind"] == "intro"
    assert "done" not in {s["kind"] for s in steps}
    assert sum(s["kind"] == "rep" for s in steps) == 12
    assert guide["exercises"][easier]["name"] == catalogue.exercises[easier].name
    assert "0" not in guide["easier"]  # quick squeezes have no easier version


def test_more_time_is_the_policy_change_over_time(catalogue: Catalogue) -> None:
    guide = player_guide(catalogue, [("walking", Dose(minutes=10))])
    assert guide["more_time_s"] == catalogue.policy.change_over_s


def test_the_player_counts_squeezes_and_exercises_in_words_not_numbers_alone(catalogue: Catalogue) -> None:
    words = player_words(catalogue)
    assert words["quick"].format(rep=3, reps=10) == "Squeeze, and let go. 3 of 10."
    assert words["progress"].format(n=3, total=8) == "3 of 8 exercises"


def test_the_web_players_spoken_words_come_from_content(catalogue: Catalogue) -> None:
    spoken = replace(catalogue.player, ready="Tap Ready.", quick_squeeze="Lift {rep}/{reps}.")
    changed = replace(catalogue, player=spoken)
    words = player_words(changed)
    assert words["ready_prompt"] == "Tap Ready."
    assert words["quick"] == "Lift {rep}/{reps}."
