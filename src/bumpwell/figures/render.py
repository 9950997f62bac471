"""Figures to SVG: a looping SMIL animation (no JavaScript) with a still for reduced motion, or a side-by-side still
of the start and end poses for print. Paths keep one command structure across frames so they morph smoothly."""

from __future__ import annotations

import math
from dataclasses import replace
from xml.sax.saxutils import escape

from bumpwell.domain.figure import Figure, Point, Prop
from bumpwell.figures.bodies import place, place_key
from bumpwell.figures.marks import STEPS
from bumpwell.figures.marks import furthest as _furthest
from bumpwell.figures.marks import levels as _levels
from bumpwell.figures.marks import rock as _rock
from bumpwell.figures.marks import sling as _sling
from bumpwell.figures.skeleton import HEAD_RADIUS, interpolate

BELLY = {  # (depth forward of the spine, half length along the trunk) in cm, by stage
    "early": (11.0, 10.0),
    "mid": (15.0, 12.0),
    "late": (19.0, 13.5),
    "postpartum": (12.0, 10.5),
}
BELLY_FOR_STAGE = {  # the catalogue's stages (and the engine's stage_of) to the belly drawn
    "trimester_1": "early",
    "trimester_2": "mid",
    "trimester_3": "late",
    "postpartum_0_6w": "postpartum",
    "postpartum_6_12w": "postpartum",
    "postpartum_12w_plus": "postpartum",
}
THEMES = {
    "light": {"body": "#1d3557", "far": "#6b7f99", "move": "#b4410f", "move_far": "#cc6e42", "prop": "#7c8794",
              "belly": "#f6dfd0", "fill": "#ffffff", "water": "#cfe6f5"},
    "dark": {"body": "#e8edf3", "far": "#a3b1c2", "move": "#ffa066", "move_far": "#c27a52", "prop": "#8c97a5",
             "belly": "#a8705a", "fill": "#16202c", "water": "#1f3b52"},
}  # fmt: skip
STROKE = {"trunk": 20.0, "limb": 6.5, "prop": 2.5}  # the trunk is drawn as thick as a body


def _frames(figure: Figure) -> tuple[list[dict[str, Point]], list[float]]:
    """Frames of one loop and their times (0..1): each move eased in and out, each hold repeated at its ends."""
    frames: list[dict[str, Point]] = []
    times: list[float] = []
    total = figure.cycle_s
    clock = 0.0
    keys = figure.keyframes
    for index, key in enumerate(keys):
        before = keys[index - 1]
        steps = STEPS if key.move_s > 0 and len(keys) > 1 else 1
        for step in range(1, steps + 1):
            t = (1 - math.cos(math.pi * step / steps)) / 2
            pose = interpolate(before.pose, key.pose, t)
            anchor_x = before.at[0] + (key.at[0] - before.at[0]) * t
            anchor_y = before.at[1] + (key.at[1] - before.at[1]) * t
            frames.append(place(figure, pose, key.anchor, (anchor_x, anchor_y)))
            times.append((clock + key.move_s * step / steps) / total)
        clock += key.move_s
        if key.hold_s > 0:
            frames.append(frames[-1])
            clock += key.hold_s
            times.append(clock / total)
    # the loop starts where it ends: the last keyframe's end state
    frames.insert(0, frames[-1])
    times.insert(0, 0.0)
    times[-1] = 1.0
    return frames, times


def _fmt(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _c(value: float) -> str:
    """A body coordinate, to the whole centimetre: invisible at any drawn size, and it keeps each SVG small."""
    return str(round(value))


def _line(points: dict[str, Point], names: tuple[str, ...], flip: float) -> str:
    coords = [f"{_c(points[n][0])} {_c(flip - points[n][1])}" for n in names]
    return "M" + " L".join(coords)


def _circle(center: Point, radius: float, flip: float) -> str:
    x, y = center[0], flip - center[1]
    r, a, b, h = _c(radius), _c(x - radius), _c(x + radius), _c(y)
    return f"M{a} {h} A{r} {r} 0 1 0 {b} {h} A{r} {r} 0 1 0 {a} {h}"


def _belly(points: dict[str, Point], stage: str, flip: float) -> str:
    """A half ellipse whose flat side lies along the lower trunk and whose curve bulges forward."""
    depth, half = BELLY[stage]
    hx, hy = points["hip"]
    wx, wy = points["waist"]
    angle = math.atan2(wy - hy, wx - hx)
    ux, uy = math.cos(angle), math.sin(angle)
    # the chord runs along the front of the trunk, centred a little above the hip joint
    front = STROKE["trunk"] / 2 - 2.0
    cx, cy = hx + ux * 12.0 + uy * front, hy + uy * 12.0 - ux * front
    a = (cx - ux * half, flip - (cy - uy * half))
    b = (cx + ux * half, flip - (cy + uy * half))
    rot = _c(-math.degrees(angle))
    return f"M{_c(a[0])} {_c(a[1])} A{_c(half)} {_c(depth)} {rot} 0 0 {_c(b[0])} {_c(b[1])}Z"


FRONT_PATHS = (  # the front view: legs, trunk, then shoulders and arms on top
    ("leg_right", ("pelvis_right", "knee_right", "ankle_right", "sole_right", "toe_right"), "limb"),
    ("leg_left", ("pelvis_left", "knee_left", "ankle_left", "sole_left", "toe_left"), "limb"),
    ("trunk", ("hip", "waist", "shoulder"), "trunk-front"),
    ("neck", ("shoulder", "neck_top"), "limb"),
    ("arm_right", ("shoulder", "shoulder_right", "elbow_right", "wrist_right", "hand_right"), "limb"),
    ("arm_left", ("shoulder", "shoulder_left", "elbow_left", "wrist_left", "hand_left"), "limb"),
)


def _belly_front(points: dict[str, Point], stage: str, flip: float) -> str:
    """Seen from the front, the bump is a rounded shape over the lower trunk."""
    depth, half = BELLY[stage]
    hx, hy = points["hip"]
    wx, wy = points["waist"]
    angle = math.atan2(wy - hy, wx - hx)
    cx, cy = hx + (wx - hx) * 0.45, hy + (wy - hy) * 0.45
    rx, ry = depth * 0.85, half
    ux, uy = math.cos(angle) * ry, math.sin(angle) * ry
    a = (cx - ux, flip - (cy - uy))
    b = (cx + ux, flip - (cy + uy))
    rot = _c(-math.degrees(angle) + 90.0)
    # Radii a little under half the chord make the renderer scale them up to pass exactly through both ends, so the
    # two arcs are true halves of one ellipse (radii over half the chord would give a pointed lens).
    arc = f"{_fmt(rx - 0.5)} {_fmt(ry - 0.5)} {rot} 0 1"
    return f"M{_fmt(a[0])} {_fmt(a[1])} A{arc} {_fmt(b[0])} {_fmt(b[1])} A{arc} {_fmt(a[0])} {_fmt(a[1])}Z"


PATHS = (  # drawing order: far side first, the near side on top
    ("arm_far", ("shoulder", "elbow_far", "wrist_far", "hand_far"), "limb"),
    ("leg_far", ("hip", "knee_far", "ankle_far", "heel_far", "toe_far", "ankle_far"), "limb"),
    ("trunk", ("hip", "waist", "shoulder"), "trunk"),
    ("neck", ("shoulder", "neck_top"), "limb"),
    ("leg_near", ("hip", "knee_near", "ankle_near", "heel_near", "toe_near", "ankle_near"), "limb"),
    ("arm_near", ("shoulder", "elbow_near", "wrist_near", "hand_near"), "limb"),
)


CALVES = {"calf_near": ("knee_near", "ankle_near"), "calf_far": ("knee_far", "ankle_far")}


def _shapes(
    view: str, points: dict[str, Point], stage: str, flip: float, moving: frozenset[str] = frozenset(), lift: float = 0
) -> list[tuple[str, str, str]]:
    """(part, kind, path data) for every shape of one frame, in drawing order; ``lift`` (0..1) is the pelvic
    floor's squeeze in this frame."""
    paths = FRONT_PATHS if view == "front" else PATHS
    shapes = [(part, kind, _line(points, names, flip)) for part, names, kind in paths]
    belly = _belly_front(points, stage, flip) if view == "front" else _belly(points, stage, flip)
    shapes.insert(4 if view == "side" else 3, ("belly", "belly", belly))
    shapes.append(("head", "head", _circle(points["head"], HEAD_RADIUS, flip)))
    shapes += [(part, "limb", _line(points, CALVES[part], flip)) for part in sorted(moving & CALVES.keys())]
    if "pelvic_floor" in moving:
        shapes.append(("pelvic_floor", "lift", _sling(points["hip"], lift, flip)))
    return shapes


def _style(part: str, kind: str, figure: Figure) -> str:
    moving = " bw-move" if part in figure.moving else ""
    far = " bw-far" if part.endswith("_far") else ""
    return f"bw-{kind}{far}{moving}"


def _props(figure: Figure, flip: float, left: float, right: float) -> list[str]:
    out = []
    for prop in figure.props:
        out.extend(_prop(prop, flip, left, right))
    return out


def _prop(prop: Prop, flip: float, left: float, right: float) -> list[str]:
    y0 = _fmt(flip - prop.y)
    if prop.kind == "floor":
        return [f'<path class="bw-prop" d="M{_fmt(left)} {_fmt(flip)} H{_fmt(right)}"/>']
    if prop.kind == "mat":
        return [f'<path class="bw-mat" d="M{_fmt(prop.x)} {_fmt(flip - 1)} h{_fmt(prop.size)}"/>']
    if prop.kind == "wall":
        return [f'<path class="bw-prop bw-wall" d="M{_fmt(prop.x)} {_fmt(flip)} V{_fmt(flip - prop.size)}"/>']
    if prop.kind == "chair":
        seat, back = prop.size, prop.size + 40
        x = prop.x
        return [
            f'<path class="bw-prop" d="M{_fmt(x - 20)} {_fmt(flip - seat)} H{_fmt(x + 22)} M{_fmt(x - 18)} '
            f"{_fmt(flip - seat)} V{_fmt(flip)} M{_fmt(x + 20)} {_fmt(flip - seat)} V{_fmt(flip)} M{_fmt(x - 20)} "
            f'{_fmt(flip - seat)} V{_fmt(flip - back)}"/>'
        ]
    if prop.kind in ("wedge", "cushions"):
        length = prop.size
        slope = math.radians(prop.angle)
        tx, ty = prop.x - length * math.cos(slope), length * math.sin(slope)
        shape = "bw-prop bw-soft" if prop.kind == "cushions" else "bw-prop bw-block"
        return [
            f'<path class="{shape}" d="M{_fmt(prop.x)} {_fmt(flip)} L{_fmt(tx)} {_fmt(flip - ty)} V{_fmt(flip)}Z"/>'
        ]
    if prop.kind == "ball":
        return [f'<path class="bw-prop bw-block" d="{_circle((prop.x, prop.y + prop.size), prop.size, flip)}"/>']
    # water: a shaded band up to the water line
    return [
        f'<path class="bw-water" d="M{_fmt(left)} {y0} H{_fmt(right)} V{_fmt(flip)} H{_fmt(left)}Z"/>',
        f'<path class="bw-prop" d="M{_fmt(left)} {y0} H{_fmt(right)}"/>',
    ]


def _bounds(frames: list[dict[str, Point]], figure: Figure) -> tuple[float, float, float]:
    """Left, right and top of everything drawn (the floor is the bottom)."""
    xs = [x for pts in frames for x, _ in pts.values()]
    ys = [y for pts in frames for _, y in pts.values()]
    for prop in figure.props:
        if prop.kind in ("wall", "wedge", "cushions", "ball", "mat"):
            xs.append(prop.x)
        if prop.kind == "chair":  # drawn from 20 cm behind its middle to 22 cm in front
            xs += [prop.x - 20, prop.x + 22]
        if prop.kind in ("wedge", "cushions"):
            xs.append(prop.x - prop.size * math.cos(math.radians(prop.angle)))
    pad = HEAD_RADIUS + 8
    left, right = min(xs) - pad, max(xs) + pad
    top = max(max(ys) + pad, max((p.size for p in figure.props if p.kind == "wall"), default=0) + 4)
    return left, right, top


def _rules() -> list[tuple[str, str]]:
    """(selector, declarations); colours come from the theme's custom properties."""
    return [
        (
            ".bw-trunk,.bw-trunk-front,.bw-limb",
            "fill:none;stroke:var(--bw-body);stroke-linecap:round;stroke-linejoin:round",
        ),
        (".bw-trunk", f"stroke-width:{STROKE['trunk']}"),
        (".bw-trunk-front", f"stroke-width:{STROKE['trunk'] + 8}"),
        (".bw-limb", f"stroke-width:{STROKE['limb']}"),
        (".bw-far", "stroke:var(--bw-far)"),
        (".bw-head", f"fill:var(--bw-fill);stroke:var(--bw-body);stroke-width:{STROKE['limb']}"),
        (".bw-belly", "fill:var(--bw-belly);stroke:var(--bw-body);stroke-width:4;stroke-linejoin:round"),
        (".bw-prop", f"fill:none;stroke:var(--bw-prop);stroke-width:{STROKE['prop']};stroke-linecap:round"),
        (".bw-wall", "stroke-width:5"),
        (".bw-block", "fill:var(--bw-fill)"),
        (".bw-soft", "fill:var(--bw-water);stroke-linejoin:round;stroke-width:3"),  # a soft pile of cushions
        (".bw-mat", "stroke:var(--bw-prop);stroke-width:3;opacity:.6"),
        (".bw-water", "fill:var(--bw-water);stroke:none"),
        (".bw-trail", "fill:none;stroke:var(--bw-move);stroke-width:2.5;stroke-dasharray:5 5;opacity:.7"),
        (".bw-arrow", "fill:var(--bw-move)"),
        (".bw-lift", "fill:none;stroke:var(--bw-move);stroke-width:4.5;stroke-linecap:round;stroke-linejoin:round"),
        (".bw-rock", "fill:none;stroke:var(--bw-move);stroke-width:3;stroke-linecap:round"),
        (".bw-move", "stroke:var(--bw-move)"),  # last, so a moving head or trunk is highlighted too
        (".bw-far.bw-move", "stroke:var(--bw-move-far)"),
    ]


def _scoped(ident: str, rules: list[tuple[str, str]]) -> str:
    """CSS whose every selector starts with this SVG's id, so figures inlined in one page do not restyle each other."""
    out = []
    for selectors, body in rules:
        scoped = ",".join(f"#{ident} {sel}" for sel in selectors.split(","))
        out.append(f"{scoped}{{{body}}}")
    return "".join(out)


def _palette(ident: str, colours: dict[str, str]) -> str:
    """The theme as custom properties on the SVG: switching theme only switches these."""
    values = ";".join(f"--bw-{name.replace('_', '-')}:{value}" for name, value in colours.items())
    return f"#{ident}{{{values}}}"


def _css(ident: str, theme: str, themed: bool, motion: bool = True) -> str:
    css = _palette(ident, THEMES[theme]) + _scoped(ident, _rules())
    if motion:  # the still pose shows instead of the animation when motion is reduced
        css += _scoped(ident, [(".bw-rest", "display:none")])
        reduced = _scoped(ident, [(".bw-motion", "display:none"), (".bw-rest", "display:inline")])
        css += "@media (prefers-reduced-motion:reduce){" + reduced + "}"
    if themed:
        css += "@media (prefers-color-scheme:dark){" + _palette(ident, THEMES["dark"]) + "}"
    return css


def _header(width: float, height: float, left: float, ident: str, title: str, description: str, css: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{ident}" viewBox="{_fmt(left)} 0 {_fmt(width)} {_fmt(height)}" '
        f'role="img" aria-labelledby="{ident}-t {ident}-d">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(description)}</desc>'
        f"<style>{css}</style>"
    )


def with_hold(figure: Figure, hold_s: float) -> Figure:
    """The figure with its held position (the longest hold) lasting ``hold_s``: the exercise's own hold time."""
    held = max(range(len(figure.keyframes)), key=lambda i: figure.keyframes[i].hold_s)
    keys = list(figure.keyframes)
    keys[held] = replace(keys[held], hold_s=hold_s)
    return replace(figure, keyframes=tuple(keys))


def render_animation(
    figure: Figure, *, ident: str, title: str, description: str, stage: str = "mid", theme: str = "light",
    themed: bool = True, hold_s: float | None = None, animate: bool = True,
) -> str:  # fmt: skip
    """A looping animated SVG (SMIL) of ``figure``; with reduced motion the start pose shows instead.

    ``hold_s`` (the dose's hold time) replaces the figure's own longest hold, so the loop keeps the exercise's pace.
    ``animate=False`` draws the start pose and the trail only: a light thumbnail for lists.
    """
    if hold_s:
        figure = with_hold(figure, hold_s)
    frames, times = _frames(figure)
    left, right, top = _bounds(frames, figure)
    flip = top
    levels = _levels(figure)
    pairs = zip(frames, levels, strict=True)
    drawn = [_shapes(figure.view, points, stage, flip, figure.moving, lift) for points, lift in pairs]
    key_times = ";".join(_fmt_time(t) for t in times)
    dur = _fmt(figure.cycle_s)
    css = _css(ident, theme, themed, motion=animate)
    parts = [_header(right - left, top + 6, left, ident, title, description, css)]
    parts += _props(figure, flip, left, right)
    parts += _trail(figure, flip, ident)
    if animate:
        parts.append('<g class="bw-motion">')
        for index, (part, kind, first) in enumerate(drawn[0]):
            values = ";".join(frame[index][2] for frame in drawn)
            parts.append(
                f'<path class="{_style(part, kind, figure)}" d="{first}">'
                f'<animate attributeName="d" dur="{dur}s" repeatCount="indefinite" keyTimes="{key_times}" '
                f'values="{values}"/></path>'
            )
        parts.append("</g>")
    parts.append('<g class="bw-rest">')
    start = place_key(figure, figure.keyframes[0])
    rest = _shapes(figure.view, start, stage, flip, figure.moving)
    parts += [f'<path class="{_style(p, k, figure)}" d="{d}"/>' for p, k, d in rest]
    parts.append("</g></svg>")
    return "".join(parts)


def _fmt_time(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") or "0"


def render_still(
    figure: Figure, *, ident: str, title: str, description: str, stage: str = "mid", theme: str = "light",
) -> str:  # fmt: skip
    """Start and end poses side by side, for print and PDF (no animation, no media queries)."""
    first, last = figure.keyframes[0], _furthest(figure)
    poses = [place_key(figure, k) for k in (first, last)]
    left, right, top = _bounds(poses, figure)
    width = right - left
    parts = [
        _header(
            width * 2 + 10, top + 6, left, ident, title, description, _css(ident, theme, themed=False, motion=False)
        )
    ]
    for index, points in enumerate(poses):
        shift = index * (width + 10)
        parts.append(f'<g transform="translate({_fmt(shift)} 0)">')
        parts += _props(figure, top, left, right)
        parts += _trail(figure, top, ident) if index == 1 else []
        shapes = _shapes(figure.view, points, stage, top, figure.moving, float(index))
        parts += [f'<path class="{_style(p, k, figure)}" d="{d}"/>' for p, k, d in shapes]
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


TRACKED = {  # the body points whose path shows where a moving part goes
    "arm_near": ("hand_near",), "arm_far": ("hand_far",), "arm_left": ("hand_left",), "arm_right": ("hand_right",),
    "leg_near": ("toe_near", "knee_near"), "leg_far": ("toe_far", "knee_far"),
    "leg_left": ("knee_left", "sole_left"), "leg_right": ("knee_right", "sole_right"),
    "trunk": ("shoulder",), "head": ("head",),
}  # fmt: skip
TRAIL_MIN_CM = 8.0  # shorter movements get no trail


def _trail(figure: Figure, flip: float, ident: str) -> list[str]:
    """A faint dashed path with an arrowhead from the start pose to the held pose, for the point that moves most."""
    first, last = figure.keyframes[0], _furthest(figure)
    rock = _rock(figure, flip, ident) if "pelvis" in figure.moving else []
    names = [n for part in sorted(figure.moving) for n in TRACKED.get(part, ())]
    if last is first or not names:
        return rock
    samples = []
    for step in range(STEPS + 1):
        t = (1 - math.cos(math.pi * step / STEPS)) / 2
        at = (first.at[0] + (last.at[0] - first.at[0]) * t, first.at[1] + (last.at[1] - first.at[1]) * t)
        samples.append(place(figure, interpolate(first.pose, last.pose, t), last.anchor, at))
    name = max(names, key=lambda n: math.dist(samples[0][n], samples[-1][n]))
    if math.dist(samples[0][name], samples[-1][name]) < TRAIL_MIN_CM:
        return rock
    d = "M" + " L".join(f"{_c(pts[name][0])} {_c(flip - pts[name][1])}" for pts in samples)
    marker = (
        f'<defs><marker id="{ident}-a" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="4" markerHeight="4" '
        'orient="auto"><path class="bw-arrow" d="M0 0L10 5L0 10Z"/></marker></defs>'
    )
    return [marker, f'<path class="bw-trail" d="{d}" marker-end="url(#{ident}-a)"/>', *rock]
