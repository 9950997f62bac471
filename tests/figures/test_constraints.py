"""The physics checks used on their own (the loader uses them on every keyframe of the content)."""

from __future__ import annotations

from bumpwell.domain.figure import Figure, Keyframe, Pose, Prop
from bumpwell.figures.constraints import check_figure
from bumpwell.figures.render import render_still


def figure(pose: dict[str, float], anchor: str, at: tuple[float, float], *props: Prop, view: str = "side") -> Figure:
    key = Keyframe(Pose(pose), 1.0, 1.0, anchor, at, frozenset())
    return Figure(props=(Prop("floor"), *props), moving=frozenset(), side="both", keyframes=(key,), view=view)


def test_an_unknown_joint_is_named() -> None:
    problems = check_figure(figure({"tail": 10}, "heel_near", (0, 0)), "standing")
    assert problems[0][:2] == (0, "pose.tail")
    assert "unknown joint in the side view" in problems[0][2]


def test_standing_seen_from_the_front_needs_both_feet_down() -> None:
    assert check_figure(figure({}, "sole_left", (10, 0), view="front"), "standing") == []
    lifted = figure({"hip_out_right": 30}, "sole_left", (10, 0), view="front")
    assert check_figure(lifted, "standing") == [(0, "contact", "the right foot must be flat on the floor")]


def test_standing_at_the_wall_needs_a_wall() -> None:
    assert check_figure(figure({}, "heel_near", (0, 0)), "standing_wall") == [
        (0, "contact", "a standing-at-the-wall pose needs a wall prop")
    ]


def test_positions_without_contacts_only_check_the_floor() -> None:
    floating = figure({"trunk": 90}, "hip", (0, 60))
    assert check_figure(floating, "in_water") == []
    assert check_figure(figure({}, "hip", (0, 90), view="front"), "in_water") == []


def test_a_ball_prop_is_drawn_as_a_circle() -> None:
    text = render_still(
        figure({}, "heel_near", (0, 0), Prop("ball", x=40, size=30)), ident="b", title="t", description=""
    )
    assert 'class="bw-prop bw-block" d="M10 ' in text
