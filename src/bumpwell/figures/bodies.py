"""The two views of the body: from the side (most exercises) and from the front (sideways movements)."""

from __future__ import annotations

from types import ModuleType

from bumpwell.domain.figure import Figure, Keyframe, Point, Pose
from bumpwell.figures import front, skeleton

VIEWS: dict[str, ModuleType] = {"side": skeleton, "front": front}


def angles_of(view: str) -> tuple[str, ...]:
    """Joint angle names of a view."""
    names: tuple[str, ...] = VIEWS[view].ANGLES
    return names


def points_of(view: str) -> tuple[str, ...]:
    """Body point names of a view."""
    names: tuple[str, ...] = VIEWS[view].POINTS
    return names


def limit_of(view: str, angle: str) -> tuple[float, float]:
    """The human range of one angle in a view."""
    low, high = VIEWS[view].limit_of(angle)
    return float(low), float(high)


def place(figure: Figure, pose: Pose, anchor: str, at: Point) -> dict[str, Point]:
    """Forward kinematics in the figure's view."""
    points: dict[str, Point] = VIEWS[figure.view].forward_kinematics(pose, anchor, at)
    return points


def place_key(figure: Figure, key: Keyframe) -> dict[str, Point]:
    """Body points of one keyframe."""
    return place(figure, key.pose, key.anchor, key.at)
