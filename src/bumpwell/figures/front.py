"""The same body seen from the front, for movements that happen sideways (a knee opening out, a side bend, a head
tilt, a wide stance), which a side view cannot show. Units and floor as in ``skeleton``; the person faces the
viewer, so their left side is drawn on the right (+x).

Angles (degrees), relative to the parent segment:

- ``side_bend``: the lower trunk leans towards the person's left (+) or right (-).
- ``spine_side``: the upper trunk bends further sideways on the lower trunk.
- ``neck_tilt``: the head tilts towards the left shoulder (+) or the right (-).
- ``hip_out_*``: the thigh moves out to the side from hanging straight down (0).
- ``thigh_forward_*``: the thigh comes forward towards the viewer, so it looks shorter (90 when sitting).
- ``knee_*``: the shin turns back in towards the middle (0 straight; 45 after a 45-degree hip_out keeps it upright).
- ``arm_out_*``: the arm lifts out to the side (0 hanging, 90 level with the shoulder, 180 overhead).
- ``elbow_*``: the forearm bends in and up (+) or out (-) (0 straight).
- ``roll``: the whole body turns in the picture (-90: lying on the right side with the head to the viewer's left;
  90: on the left side, head to the right).
"""

from __future__ import annotations

import math

from bumpwell.domain.figure import Point, Pose
from bumpwell.figures.skeleton import HEAD_RADIUS, LENGTHS, TRUNK_POINTS, step

HIP_HALF_WIDTH = 10.0
SHOULDER_HALF_WIDTH = 17.0
FOOT = 9.0  # the foot seen from the front, from under the ankle outwards
SIDES = ("left", "right")
ANGLES = (
    "side_bend",
    "spine_side",
    "neck_tilt",
    "roll",
    *(f"{joint}_{side}" for joint in ("hip_out", "thigh_forward", "knee", "arm_out", "elbow") for side in SIDES),
)
POINTS = (
    *TRUNK_POINTS,
    *(f"{part}_{side}" for part in ("pelvis", "knee", "ankle", "sole", "toe") for side in SIDES),
    *(f"{part}_{side}" for part in ("shoulder", "elbow", "wrist", "hand") for side in SIDES),
)
LIMITS = {
    "side_bend": (-45.0, 45.0),
    "spine_side": (-30.0, 30.0),
    "neck_tilt": (-45.0, 45.0),
    "roll": (-90.0, 90.0),
    "hip_out": (-20.0, 90.0),
    "thigh_forward": (0.0, 90.0),
    "knee": (0.0, 150.0),
    "arm_out": (-10.0, 190.0),
    "elbow": (-150.0, 150.0),  # in the front view the forearm can fold in (+) or out (-)
}


def limit_of(angle: str) -> tuple[float, float]:
    """The allowed range of a front-view angle (``knee_left`` -> the knee's range)."""
    return LIMITS[angle if angle in LIMITS else angle.rsplit("_", 1)[0]]


def forward_kinematics(pose: Pose, anchor: str = "hip", at: Point = (0.0, 0.0)) -> dict[str, Point]:
    """Every body point of a front-view ``pose``, moved so that ``anchor`` lands on ``at``."""
    a = pose.angle
    lower = 90.0 - a("side_bend")
    upper = lower - a("spine_side")
    p: dict[str, Point] = {"hip": (0.0, 0.0)}
    p["waist"] = step(p["hip"], lower, LENGTHS["lower_trunk"])
    p["shoulder"] = step(p["waist"], upper, LENGTHS["upper_trunk"])
    head = upper - a("neck_tilt")
    p["neck_top"] = step(p["shoulder"], head, LENGTHS["neck"])
    p["head"] = step(p["neck_top"], head, HEAD_RADIUS)
    for side, sign in (("left", 1.0), ("right", -1.0)):
        pelvis = step(p["hip"], lower - 90.0 * sign, HIP_HALF_WIDTH)
        thigh = lower + 180.0 + sign * a(f"hip_out_{side}")
        shin = thigh - sign * a(f"knee_{side}")
        p[f"pelvis_{side}"] = pelvis
        seen = LENGTHS["thigh"] * math.cos(math.radians(a(f"thigh_forward_{side}")))  # foreshortened
        p[f"knee_{side}"] = step(pelvis, thigh, seen)
        p[f"ankle_{side}"] = step(p[f"knee_{side}"], shin, LENGTHS["shin"])
        p[f"sole_{side}"] = step(p[f"ankle_{side}"], shin, LENGTHS["ankle_height"])
        p[f"toe_{side}"] = step(p[f"sole_{side}"], shin + 90.0 * sign, FOOT)
        shoulder = step(p["shoulder"], upper - 90.0 * sign, SHOULDER_HALF_WIDTH)
        arm = upper + 180.0 + sign * a(f"arm_out_{side}")
        forearm = arm + sign * a(f"elbow_{side}")
        p[f"shoulder_{side}"] = shoulder
        p[f"elbow_{side}"] = step(shoulder, arm, LENGTHS["upper_arm"])
        p[f"wrist_{side}"] = step(p[f"elbow_{side}"], forearm, LENGTHS["forearm"])
        p[f"hand_{side}"] = step(p[f"wrist_{side}"], forearm, LENGTHS["hand"])
    roll = math.radians(-a("roll"))
    cos, sin = math.cos(roll), math.sin(roll)
    turned = {n: (x * cos - y * sin, x * sin + y * cos) for n, (x, y) in p.items()}
    dx, dy = at[0] - turned[anchor][0], at[1] - turned[anchor][1]
    return {n: (x + dx, y + dy) for n, (x, y) in turned.items()}
