"""Is each keyframe physically right? No part below the floor or through the wall, the contacts that the exercise's
position implies, and joints within human range. Returns problems as (keyframe index, field, message)."""

from __future__ import annotations

import math

from bumpwell.domain.figure import Figure, Keyframe, Point
from bumpwell.figures.bodies import angles_of, limit_of, place_key
from bumpwell.figures.skeleton import HEAD_RADIUS

TOLERANCE = 4.0  # cm: how close a contact must be
TORSO_HALF_DEPTH = 11.0  # cm from the spine line to the back
SEAT_CLEARANCE = (5.0, 14.0)  # cm from a seat to the hip joint when sitting
LYING_HIP = (6.0, 20.0)  # cm from the floor to the hip joint when lying on the back or side

Problem = tuple[int, str, str]


def check_figure(figure: Figure, position: str) -> list[Problem]:
    """Every constraint broken by any keyframe of ``figure`` for an exercise done in ``position``."""
    problems: list[Problem] = []
    for index, frame in enumerate(figure.keyframes):
        points = place_key(figure, frame)
        problems += [(index, field, msg) for field, msg in _limits(figure.view, frame)]
        problems += [(index, field, msg) for field, msg in _floor_and_wall(figure, points)]
        problems += [(index, field, msg) for field, msg in _contacts(figure, frame, points, position)]
    return problems


def _limits(view: str, frame: Keyframe) -> list[tuple[str, str]]:
    out = []
    for name, value in frame.pose.angles.items():
        if name not in angles_of(view):
            out.append((f"pose.{name}", f"unknown joint in the {view} view; known: {', '.join(angles_of(view))}"))
            continue
        low, high = limit_of(view, name)
        if not low <= value <= high:
            out.append((f"pose.{name}", f"{value:g} degrees is outside the human range {low:g} to {high:g}"))
    return out


def _floor_and_wall(figure: Figure, points: dict[str, Point]) -> list[tuple[str, str]]:
    out = []
    for name, (_, y) in points.items():
        lowest = y - (HEAD_RADIUS if name == "head" else 0.0)
        if lowest < -TOLERANCE:
            out.append(("pose", f"{name} is {-lowest:.0f} cm below the floor"))
    wall = figure.prop("wall")
    if wall is not None:
        ahead = _wall_ahead(figure)
        for name, (x, _) in points.items():
            reach = HEAD_RADIUS if name == "head" else 0.0
            through = (x + reach - wall.x) if ahead else (wall.x - (x - reach))
            if through > TOLERANCE:
                out.append(("pose", f"{name} is {through:.0f} cm through the wall"))
    return out


def _wall_ahead(figure: Figure) -> bool:
    """Whether the wall stands in front of the figure (hands on it) rather than behind it (back against it)."""
    wall = figure.prop("wall")
    first = figure.keyframes[0]
    xs = [x for x, _ in place_key(figure, first).values()]
    return wall is not None and wall.x > sum(xs) / len(xs)  # beyond the body's middle: it stands in front


def _on_floor(points: dict[str, Point], names: tuple[str, ...]) -> bool:
    return all(abs(points[n][1]) <= TOLERANCE for n in names)


def _contacts(figure: Figure, frame: Keyframe, points: dict[str, Point], position: str) -> list[tuple[str, str]]:
    needs = _required_contacts(figure, position, points)
    return [("contact", text) for part, ok, text in needs if part not in frame.lifted and not ok]


def _front_contacts(figure: Figure, position: str, p: dict[str, Point]) -> list[tuple[str, bool, str]]:
    """Contacts of the front view: feet flat standing, hips seated, body lying (no kneeling from the front)."""
    if position in ("standing", "standing_wall", "walking"):
        return [
            ("leg_left", _on_floor(p, ("sole_left", "toe_left")), "the left foot must be flat on the floor"),
            ("leg_right", _on_floor(p, ("sole_right", "toe_right")), "the right foot must be flat on the floor"),
        ]
    return _seated_or_lying(figure, position, p, [])


def _seated_or_lying(
    figure: Figure, position: str, p: dict[str, Point], feet: list[tuple[str, bool, str]]
) -> list[tuple[str, bool, str]]:
    if position == "seated":
        seat = figure.prop("chair")
        height = seat.size if seat is not None else 0.0
        low, high = SEAT_CLEARANCE
        sitting = low <= p["hip"][1] - height <= high
        out = [("trunk", sitting, f"the hips must rest on the {'chair' if seat else 'floor'}")]
        return out + feet if seat is not None else out
    if position in ("supine", "side_lying"):
        low, high = LYING_HIP
        lying = low <= p["hip"][1] <= high and p["shoulder"][1] <= high + 6
        return [("trunk", lying, "the body must lie on the floor")]
    return []


def _required_contacts(figure: Figure, position: str, p: dict[str, Point]) -> list[tuple[str, bool, str]]:
    if figure.view == "front":
        return _front_contacts(figure, position, p)
    feet = [
        ("leg_near", _on_floor(p, ("heel_near", "toe_near")), "the near foot must be flat on the floor"),
        ("leg_far", _on_floor(p, ("heel_far", "toe_far")), "the far foot must be flat on the floor"),
    ]
    if position in ("standing", "standing_wall"):
        out = feet
        if position == "standing_wall":
            out = [*out, _hand_on_wall(figure, p) if _wall_ahead(figure) else _against_wall(figure, p)]
        return out
    if position == "walking":
        stepping = any(_on_floor(p, (f"{end}_{s}",)) for end in ("heel", "toe") for s in ("near", "far"))
        return [("trunk", stepping, "one foot must be on the floor while walking")]
    if position in ("four_point_kneeling", "kneeling"):
        out = [
            ("leg_near", _on_floor(p, ("knee_near",)), "the near knee must be on the floor"),
            ("leg_far", _on_floor(p, ("knee_far",)), "the far knee must be on the floor"),
        ]
        if position == "four_point_kneeling":
            out += [
                ("arm_near", _on_floor(p, ("hand_near",)), "the near hand must be on the floor"),
                ("arm_far", _on_floor(p, ("hand_far",)), "the far hand must be on the floor"),
            ]
        return out
    if position == "semi_reclined":
        return [_on_support(figure, p)]
    if position in ("seated", "supine", "side_lying"):
        return _seated_or_lying(figure, position, p, feet)
    if position == "prone":
        return [
            ("arm_near", _on_floor(p, ("hand_near",)), "the hands must be on the floor"),
            ("leg_near", _on_floor(p, ("toe_near",)), "the toes must be on the floor"),
        ]
    return []  # in_water: the body floats


def _hand_on_wall(figure: Figure, p: dict[str, Point]) -> tuple[str, bool, str]:
    wall = figure.prop("wall")
    assert wall is not None
    touching = any(abs(p[f"hand_{side}"][0] - wall.x) <= TOLERANCE for side in ("near", "far"))
    return ("arm_near", touching, "a hand must rest on the wall in front")


def _against_wall(figure: Figure, p: dict[str, Point]) -> tuple[str, bool, str]:
    wall = figure.prop("wall")
    if wall is None:
        return ("trunk", False, "a standing-at-the-wall pose needs a wall prop")
    gaps = [abs(p[n][0] - TORSO_HALF_DEPTH - wall.x) for n in ("hip", "shoulder")]
    return ("trunk", max(gaps) <= TOLERANCE, "the back must rest against the wall")


def _on_support(figure: Figure, p: dict[str, Point]) -> tuple[str, bool, str]:
    """Half-reclined: the back lies along the wedge (or cushions) behind it."""
    support = figure.prop("wedge") or figure.prop("cushions")
    if support is None:
        return ("trunk", False, "a half-reclined pose needs a wedge or cushions behind the back")
    slope = math.radians(support.angle)
    # The wedge surface rises from (x, 0) backwards (towards -x) at `angle`; distance of a point from that line.
    nx, ny = math.sin(slope), math.cos(slope)  # unit normal pointing up and forward, away from the wedge
    gaps = [abs((p[n][0] - support.x) * nx + p[n][1] * ny - TORSO_HALF_DEPTH) for n in ("waist", "shoulder")]
    return ("trunk", max(gaps) <= TOLERANCE + 2.0, "the back must rest on the support")
