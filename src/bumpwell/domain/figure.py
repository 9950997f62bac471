"""Figure content as values: poses, props, keyframes and the whole animation of one exercise (no geometry here)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Pose:
    """Joint angles in degrees; anything not given is the neutral standing value 0."""

    angles: Mapping[str, float]

    def angle(self, name: str) -> float:
        """One joint angle (0 when not set)."""
        return float(self.angles.get(name, 0.0))


PROPS = ("floor", "mat", "wall", "chair", "wedge", "cushions", "ball", "water")
PARTS = (
    "arm_near", "arm_far", "leg_near", "leg_far", "trunk", "head", "arm_left", "arm_right", "leg_left", "leg_right",
    "calf_near", "calf_far",  # the lower leg alone, for a stretch felt in the calf
    "pelvis",  # a curved arrow at the hip: the pelvis rocks (a pelvic tilt)
    "pelvic_floor",  # a sling at the base of the pelvis that lifts as she squeezes
)  # fmt: skip
VIEWS = ("side", "front")
"""Body parts that can be highlighted as moving, or lifted off a contact."""


@dataclass(frozen=True, slots=True)
class Prop:
    """Something drawn around the figure: ``x``/``y`` place it; ``size`` is its height, length or radius."""

    kind: str
    x: float = 0.0
    y: float = 0.0
    size: float = 0.0
    angle: float = 0.0  # the wedge's slope, degrees from the floor


@dataclass(frozen=True, slots=True)
class Keyframe:
    """One pose of the movement, how long it takes to get there and how long it is held."""

    pose: Pose
    move_s: float
    hold_s: float
    anchor: str
    at: Point
    lifted: frozenset[str]  # parts deliberately off their usual contact (the raised arm in a kneeling raise)


@dataclass(frozen=True, slots=True)
class Figure:
    """The drawing of one exercise: props, which parts move, which side works, and the keyframes."""

    props: tuple[Prop, ...]
    moving: frozenset[str]
    side: str  # "near", "far", "both" or "alternate"
    keyframes: tuple[Keyframe, ...]
    view: str = "side"  # "front" for movements that happen sideways

    def prop(self, kind: str) -> Prop | None:
        """The first prop of a kind, if the figure has one."""
        return next((p for p in self.props if p.kind == kind), None)

    @property
    def cycle_s(self) -> float:
        """Length of one loop of the animation."""
        return sum(k.move_s + k.hold_s for k in self.keyframes)
