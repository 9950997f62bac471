"""A 2D articulated body seen from the side, facing right. Poses are joint angles; positions come from forward
kinematics, so bone lengths never change. Units are centimetres, y points up and the floor is y = 0.

Angle conventions (degrees), all relative to the parent segment, so a pose reads like a physiotherapist's note:

- ``trunk``: lean of the lower trunk from upright, forward positive (90 = horizontal, as on hands and knees).
- ``spine``: bend of the upper trunk on the lower trunk, forward (rounding) positive, backward (arching) negative.
- ``neck``: bend of the head on the upper trunk, chin towards chest positive.
- ``hip_*``: thigh forward of the trunk line (0 standing, 90 sitting or kneeling on all fours).
- ``knee_*``: knee bend (0 straight, 150 fully bent).
- ``ankle_*``: foot turned up from its neutral right angle to the shin (negative points the toes).
- ``shoulder_*``: arm raised forward from hanging along the trunk (90 forward, 180 overhead).
- ``elbow_*``: elbow bend (0 straight, 150 fully bent).
- ``wrist_*``: hand bent back from the line of the forearm (90 = palm flat on the floor under a straight arm).

``near`` limbs are on the viewer's side, ``far`` limbs behind the body.
"""

from __future__ import annotations

import math

from bumpwell.domain.figure import Point, Pose

LENGTHS = {
    "lower_trunk": 22.0,  # hip joint to waist
    "upper_trunk": 30.0,  # waist to shoulder joint
    "neck": 9.0,  # shoulder line to the base of the skull
    "thigh": 44.0,
    "shin": 42.0,
    "heel": 6.0,  # ankle to the back of the heel, along the sole
    "foot": 17.0,  # ankle to the toes, along the sole
    "ankle_height": 7.0,  # ankle above the sole
    "upper_arm": 29.0,
    "forearm": 25.0,
    "hand": 9.0,
}
HEAD_RADIUS = 10.0
SIDES = ("near", "far")
ANGLES = (
    "trunk",
    "spine",
    "neck",
    *(f"{joint}_{side}" for joint in ("hip", "knee", "ankle", "shoulder", "elbow", "wrist") for side in SIDES),
)
TRUNK_POINTS = ("hip", "waist", "shoulder", "neck_top", "head")
POINTS = (
    *TRUNK_POINTS,
    *(f"{part}_{side}" for part in ("knee", "ankle", "heel", "toe", "elbow", "wrist", "hand") for side in SIDES),
)
LIMITS = {
    "trunk": (-95.0, 120.0),  # not a joint: the body's lean, from lying on the back (-90) to face down (90+)
    "spine": (-30.0, 45.0),
    "neck": (-40.0, 60.0),
    "hip": (-30.0, 140.0),
    "knee": (0.0, 150.0),
    "ankle": (-90.0, 30.0),  # -90: the top of the foot flat on the floor when kneeling
    "shoulder": (-60.0, 190.0),
    "elbow": (0.0, 150.0),
    "wrist": (-80.0, 95.0),
}
"""Joint ranges a body can reach (degrees)."""


def limit_of(angle: str) -> tuple[float, float]:
    """The allowed range of a joint angle name (``knee_near`` -> the knee's range)."""
    return LIMITS[angle.rsplit("_", 1)[0] if angle not in LIMITS else angle]


def step(origin: Point, direction_deg: float, length: float) -> Point:
    """The point ``length`` away from ``origin`` in direction ``direction_deg`` (0 = +x, 90 = up)."""
    rad = math.radians(direction_deg)
    return origin[0] + length * math.cos(rad), origin[1] + length * math.sin(rad)


def forward_kinematics(pose: Pose, anchor: str = "hip", at: Point = (0.0, 0.0)) -> dict[str, Point]:
    """Every body point for ``pose``, moved so that the point ``anchor`` lands on ``at``."""
    a, length = pose.angle, LENGTHS
    points: dict[str, Point] = {"hip": (0.0, 0.0)}
    lower = 90.0 - a("trunk")
    upper = lower - a("spine")
    points["waist"] = step(points["hip"], lower, length["lower_trunk"])
    points["shoulder"] = step(points["waist"], upper, length["upper_trunk"])
    head_dir = upper - a("neck")
    points["neck_top"] = step(points["shoulder"], head_dir, length["neck"])
    points["head"] = step(points["neck_top"], head_dir, HEAD_RADIUS)
    for side in SIDES:
        thigh = lower + 180.0 + a(f"hip_{side}")
        shin = thigh - a(f"knee_{side}")
        sole = shin + 90.0 + a(f"ankle_{side}")
        points[f"knee_{side}"] = step(points["hip"], thigh, length["thigh"])
        points[f"ankle_{side}"] = step(points[f"knee_{side}"], shin, length["shin"])
        sole_point = step(points[f"ankle_{side}"], shin, length["ankle_height"])
        points[f"heel_{side}"] = step(sole_point, sole + 180.0, length["heel"])
        points[f"toe_{side}"] = step(sole_point, sole, length["foot"])
        arm = upper + 180.0 + a(f"shoulder_{side}")
        forearm = arm + a(f"elbow_{side}")
        points[f"elbow_{side}"] = step(points["shoulder"], arm, length["upper_arm"])
        points[f"wrist_{side}"] = step(points[f"elbow_{side}"], forearm, length["forearm"])
        points[f"hand_{side}"] = step(points[f"wrist_{side}"], forearm + a(f"wrist_{side}"), length["hand"])
    dx, dy = at[0] - points[anchor][0], at[1] - points[anchor][1]
    return {name: (x + dx, y + dy) for name, (x, y) in points.items()}


def interpolate(first: Pose, second: Pose, t: float) -> Pose:
    """The pose a fraction ``t`` of the way from ``first`` to ``second``, joint by joint."""
    names = set(first.angles) | set(second.angles)
    return Pose({n: first.angle(n) + (second.angle(n) - first.angle(n)) * t for n in sorted(names)})
