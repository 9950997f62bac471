"""Each figure shows what the exercise is about (issue 15 point 6): the pelvic floor's squeeze and lift, the pelvic
tilt's rocking pelvis, the calf in the calf stretch, and child's pose sitting back towards the heels."""

from __future__ import annotations

import math
import re

import pytest

from bumpwell.domain.catalogue import Catalogue
from bumpwell.figures.bodies import place_key
from bumpwell.figures.render import _furthest, render_animation, render_still

CHILDS_POSE_HIP_TO_HEEL_CM = 25  # sitting back: the hips come within a forearm of the heels


def _animated(catalogue: Catalogue, exercise_id: str) -> str:
    figure = catalogue.exercises[exercise_id].figure
    assert figure is not None
    return render_animation(figure, ident=exercise_id, title=exercise_id, description="")


@pytest.mark.parametrize("exercise_id", ["pelvic-floor", "pelvic-floor-quick-squeezes"])
def test_the_pelvic_floor_figure_shows_a_squeeze_that_lifts_and_no_arm_or_trunk_moving(
    catalogue: Catalogue, exercise_id: str
) -> None:
    svg = _animated(catalogue, exercise_id)
    moving = re.findall(r'<path class="([^"]*bw-move[^"]*)"', svg)
    assert moving, "nothing is highlighted"
    assert {classes.split()[0] for classes in moving} == {"bw-lift"}, moving
    sling = re.search(r'<path class="bw-lift bw-move" d="[^"]*"><animate [^>]*values="([^"]*)"', svg)
    assert sling, "the pelvic floor is not animated"
    assert len(set(sling[1].split(";"))) > 1, "the sling never lifts"


def test_the_pelvic_floor_still_shows_rest_then_the_lift(catalogue: Catalogue) -> None:
    figure = catalogue.exercises["pelvic-floor"].figure
    assert figure is not None
    still = render_still(figure, ident="pf", title="pf", description="")
    slings = re.findall(r'<path class="bw-lift bw-move" d="([^"]*)"', still)
    assert len(slings) == 2
    assert slings[0] != slings[1]


@pytest.mark.parametrize(
    "exercise_id", ["pelvic-tilt-supine", "pelvic-tilt-semi-reclined", "pelvic-tilt-wall", "pelvic-tilt-four-point"]
)
def test_every_pelvic_tilt_shows_its_rocking_pelvis_with_an_arrow_both_ways(
    catalogue: Catalogue, exercise_id: str
) -> None:
    svg = _animated(catalogue, exercise_id)
    rock = r'<path class="bw-rock" d="M[^"]+ A[^"]+" marker-start="url\(#[^)]+\)" marker-end='
    assert re.search(rock, svg), "no arrow at the pelvis"


def test_the_calf_stretch_highlights_the_calf_of_the_back_leg_only(catalogue: Catalogue) -> None:
    svg = _animated(catalogue, "calf-stretch-wall")
    moving = re.findall(r'<path class="bw-limb bw-move" d="M(\S+ \S+) L(\S+ \S+)"', svg)
    assert moving, "the calf is not highlighted"
    assert not re.search(r'class="bw-trunk[^"]*bw-move', svg), "the trunk is highlighted too"


@pytest.mark.parametrize("exercise_id", ["childs-pose-wide-knees", "childs-pose-knees-close"])
def test_childs_pose_sits_back_towards_the_heels(catalogue: Catalogue, exercise_id: str) -> None:
    figure = catalogue.exercises[exercise_id].figure
    assert figure is not None
    start, held = (place_key(figure, k) for k in (figure.keyframes[0], _furthest(figure)))
    assert math.dist(held["hip"], held["heel_near"]) < CHILDS_POSE_HIP_TO_HEEL_CM
    assert math.dist(held["hip"], held["heel_near"]) < math.dist(start["hip"], start["heel_near"])
