"""Forward kinematics: bone lengths never change, anchors land where they are put, ranges are human."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from bumpwell.domain.figure import Pose
from bumpwell.figures import front
from bumpwell.figures.skeleton import ANGLES, HEAD_RADIUS, LENGTHS, forward_kinematics, interpolate, limit_of

BONES = [
    ("hip", "waist", "lower_trunk"),
    ("waist", "shoulder", "upper_trunk"),
    ("shoulder", "neck_top", "neck"),
    *(("hip", f"knee_{s}", "thigh") for s in ("near", "far")),
    *((f"knee_{s}", f"ankle_{s}", "shin") for s in ("near", "far")),
    *(("shoulder", f"elbow_{s}", "upper_arm") for s in ("near", "far")),
    *((f"elbow_{s}", f"wrist_{s}", "forearm") for s in ("near", "far")),
    *((f"wrist_{s}", f"hand_{s}", "hand") for s in ("near", "far")),
]
poses = st.fixed_dictionaries({name: st.floats(*limit_of(name), allow_nan=False) for name in ANGLES}).map(Pose)


def distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


@settings(max_examples=200, deadline=None)
@given(poses, st.sampled_from(["hip", "heel_near", "knee_far", "hand_near"]))
def test_bone_lengths_never_change(pose: Pose, anchor: str) -> None:
    points = forward_kinematics(pose, anchor, (12.0, 3.0))
    assert points[anchor] == (12.0, 3.0) or distance(points[anchor], (12.0, 3.0)) < 1e-9
    for start, end, bone in BONES:
        assert math.isclose(distance(points[start], points[end]), LENGTHS[bone], abs_tol=1e-9)
    assert math.isclose(distance(points["neck_top"], points["head"]), HEAD_RADIUS, abs_tol=1e-9)


@settings(max_examples=100, deadline=None)
@given(poses, poses, st.floats(0, 1))
def test_poses_in_between_keep_bone_lengths_too(first: Pose, second: Pose, t: float) -> None:
    points = forward_kinematics(interpolate(first, second, t))
    for start, end, bone in BONES:
        assert math.isclose(distance(points[start], points[end]), LENGTHS[bone], abs_tol=1e-9)


def test_standing_upright_puts_the_hips_about_93_cm_up() -> None:
    points = forward_kinematics(Pose({}), "heel_near", (0.0, 0.0))
    assert math.isclose(points["hip"][1], 93.0)
    assert math.isclose(points["toe_near"][1], 0.0, abs_tol=1e-9)
    assert points["head"][1] > points["shoulder"][1] > points["hip"][1]


def test_four_point_kneeling_puts_knees_and_hands_on_the_floor() -> None:
    kneel = {"trunk": 79, "hip_near": 79, "knee_near": 90, "shoulder_near": 79, "wrist_near": 90}
    points = forward_kinematics(Pose(kneel), "knee_near", (0.0, 3.0))
    assert abs(points["hand_near"][1]) < 4
    assert points["hand_near"][0] > points["knee_near"][0]


def test_joint_ranges_are_those_of_a_person() -> None:
    assert limit_of("knee_near") == (0.0, 150.0)
    assert limit_of("elbow_far") == (0.0, 150.0)
    assert limit_of("trunk") == (-95.0, 120.0)


front_poses = st.fixed_dictionaries(
    {name: st.floats(*front.limit_of(name), allow_nan=False) for name in front.ANGLES if "thigh_forward" not in name}
).map(Pose)
FRONT_BONES = [
    ("hip", "waist", "lower_trunk"),
    ("waist", "shoulder", "upper_trunk"),
    *((f"knee_{s}", f"ankle_{s}", "shin") for s in ("left", "right")),
    *((f"shoulder_{s}", f"elbow_{s}", "upper_arm") for s in ("left", "right")),
    *((f"elbow_{s}", f"wrist_{s}", "forearm") for s in ("left", "right")),
    *((f"pelvis_{s}", f"knee_{s}", "thigh") for s in ("left", "right")),
]


@settings(max_examples=200, deadline=None)
@given(front_poses)
def test_front_view_bones_keep_their_length(pose: Pose) -> None:
    points = front.forward_kinematics(pose, "sole_left", (0.0, 0.0))
    assert distance(points["sole_left"], (0.0, 0.0)) < 1e-9
    for start, end, bone in FRONT_BONES:
        assert math.isclose(distance(points[start], points[end]), LENGTHS[bone], abs_tol=1e-9)


def test_front_view_left_is_drawn_on_the_right_and_sitting_foreshortens_the_thigh() -> None:
    standing = front.forward_kinematics(Pose({}))
    assert standing["hand_left"][0] > standing["hand_right"][0]
    sitting = front.forward_kinematics(Pose({"thigh_forward_left": 90}))
    assert math.isclose(distance(sitting["pelvis_left"], sitting["knee_left"]), 0.0, abs_tol=1e-9)
    assert front.limit_of("knee_left") == (0.0, 150.0)
