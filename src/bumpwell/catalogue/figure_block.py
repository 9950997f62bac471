"""The `figure` block of an exercise file: props, moving parts and keyframes, validated and checked for physics."""

from __future__ import annotations

from types import MappingProxyType

from bumpwell.catalogue.fields import Fields
from bumpwell.domain.figure import PARTS, PROPS, VIEWS, Figure, Keyframe, Point, Pose, Prop
from bumpwell.errors import ContentError
from bumpwell.figures.bodies import angles_of, points_of
from bumpwell.figures.constraints import check_figure

SIDE_CHOICES = ("near", "far", "both", "alternate")


def read_figure(f: Fields, position: str) -> Figure:
    """Read and check one figure block; the first problem is raised with the field that holds it."""
    view = f.choice("view", VIEWS) if "view" in f.data else "side"
    anchor = f.choice("anchor", points_of(view))
    at = _point(f, "at")
    keyframes_raw = f.raw("keyframes")
    if not isinstance(keyframes_raw, list) or not keyframes_raw:
        raise f.fail("keyframes", "must be a list of at least one keyframe")
    figure = Figure(
        props=tuple(_prop(Fields(f.file, raw, f"{f.where('props')}[{i}]")) for i, raw in enumerate(_list(f, "props"))),
        moving=frozenset(f.choices("moving", PARTS)),
        side=f.choice("side", SIDE_CHOICES),
        view=view,
        keyframes=tuple(
            _keyframe(Fields(f.file, raw, f"{f.where('keyframes')}[{i}]"), view, anchor, at)
            for i, raw in enumerate(keyframes_raw)
        ),
    )
    f.done()
    if figure.cycle_s <= 0:
        raise f.fail("keyframes", "the movement must take some time (move_s or hold_s above 0)")
    for index, field, message in check_figure(figure, position):
        raise ContentError(f.file, f"{f.where('keyframes')}[{index}].{field}", message)
    return figure


def _list(f: Fields, key: str) -> list[object]:
    raw = f.raw(key)
    if not isinstance(raw, list):
        raise f.fail(key, "must be a list")
    return raw


def _point(f: Fields, key: str) -> Point:
    raw = f.raw(key)
    if (
        not isinstance(raw, list)
        or len(raw) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in raw)
    ):
        raise f.fail(key, "must be [x, y] in centimetres")
    return float(raw[0]), float(raw[1])


def _number(f: Fields, key: str, default: float = 0.0) -> float:
    raw = f.raw(key, required=False)
    if raw is None:
        return default
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise f.fail(key, f"must be a number, got {raw!r}")
    return float(raw)


def _prop(f: Fields) -> Prop:
    prop = Prop(
        kind=f.choice("kind", PROPS),
        x=_number(f, "x"),
        y=_number(f, "y"),
        size=_number(f, "size"),
        angle=_number(f, "angle"),
    )
    f.done()
    return prop


def _keyframe(f: Fields, view: str, anchor: str, at: Point) -> Keyframe:
    pose = f.sub("pose")
    assert pose is not None
    angles = {}
    for name in list(pose.data):
        if name not in angles_of(view):
            raise pose.fail(str(name), f"unknown joint in the {view} view; known: {', '.join(angles_of(view))}")
        angles[str(name)] = _number(pose, str(name))
    pose.done()
    move_s, hold_s = _number(f, "move_s"), _number(f, "hold_s")
    if move_s < 0 or hold_s < 0:
        raise f.fail("move_s" if move_s < 0 else "hold_s", "must not be negative")
    frame = Keyframe(
        pose=Pose(MappingProxyType(angles)),
        move_s=move_s,
        hold_s=hold_s,
        anchor=f.choice("anchor", points_of(view)) if "anchor" in f.data else anchor,
        at=_point(f, "at") if "at" in f.data else at,
        lifted=frozenset(f.choices("lifted", PARTS, required=False)),
    )
    f.done()
    return frame
