"""The marks that say what a figure's exercise is about beyond its limbs: the pelvic floor's sling that lifts as she
squeezes, the curved arrow of a rocking pelvis; and which frames of a loop are how far towards the held pose."""

from __future__ import annotations

import math

from bumpwell.domain.figure import Figure, Keyframe, Point
from bumpwell.figures.bodies import place_key

STEPS = 4  # frames drawn for each move between keyframes (joint angles are eased between them)


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def levels(figure: Figure) -> list[float]:
    """For each frame of ``_frames``, how far it is towards the held pose (0 at the start, 1 there), eased alike."""
    keys = figure.keyframes
    target = keys.index(furthest(figure))
    levels: list[float] = []
    for index, key in enumerate(keys):
        start = 1.0 if (index - 1) % len(keys) == target else 0.0
        end = 1.0 if index == target else 0.0
        steps = STEPS if key.move_s > 0 and len(keys) > 1 else 1
        levels += [start + (end - start) * (1 - math.cos(math.pi * step / steps)) / 2 for step in range(1, steps + 1)]
        if key.hold_s > 0:
            levels.append(levels[-1])
    return [levels[-1], *levels]


def sling(hip: Point, lift: float, flip: float) -> str:
    """The pelvic floor as a sling under the pelvis that sags at rest and rises as she squeezes and lifts, with an
    arrow pointing up that grows with the squeeze (one command structure, so it morphs)."""
    x, y = hip[0], flip - hip[1] + 3  # svg y grows downwards: the base of the pelvis is just below the hip point
    sag = 8 - 13 * lift
    tip = y - 3 - 14 * lift
    return (
        f"M{_fmt(x - 11)} {_fmt(y)} Q{_fmt(x)} {_fmt(y + sag)} {_fmt(x + 11)} {_fmt(y)} "
        f"M{_fmt(x)} {_fmt(y - 3)} L{_fmt(x)} {_fmt(tip)} M{_fmt(x - 4)} {_fmt(tip + 4)} L{_fmt(x)} {_fmt(tip)} "
        f"L{_fmt(x + 4)} {_fmt(tip + 4)}"
    )


def rock(figure: Figure, flip: float, ident: str) -> list[str]:
    """A curved arrow round the hip, pointing both ways: the pelvis rocks (tips) on the spot."""
    hx, hy = place_key(figure, figure.keyframes[0])["hip"]
    x, y, r = hx, flip - hy, 16.0
    a, b = math.radians(215), math.radians(325)  # an arc under the hip, clear of the bump
    start = (x + r * math.cos(a), y - r * math.sin(a))
    end = (x + r * math.cos(b), y - r * math.sin(b))
    marker = (
        f'<defs><marker id="{ident}-r" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="3.5" markerHeight="3.5" '
        'orient="auto-start-reverse"><path class="bw-arrow" d="M0 0L10 5L0 10Z"/></marker></defs>'
    )
    d = f"M{_fmt(start[0])} {_fmt(start[1])} A{_fmt(r)} {_fmt(r)} 0 0 0 {_fmt(end[0])} {_fmt(end[1])}"
    return [marker, f'<path class="bw-rock" d="{d}" marker-start="url(#{ident}-r)" marker-end="url(#{ident}-r)"/>']


def furthest(figure: Figure) -> Keyframe:
    """The keyframe that differs most from the start: the pose a still should show as 'then'."""
    start = figure.keyframes[0].pose

    def distance(key: Keyframe) -> float:
        names = set(start.angles) | set(key.pose.angles)
        return sum(abs(key.pose.angle(n) - start.angle(n)) for n in names)

    return max(figure.keyframes, key=distance)
