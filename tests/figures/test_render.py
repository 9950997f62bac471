"""Rendering: every exercise has a figure; every SVG is well-formed, titled, described, small, respects reduced
motion and dark mode; two figures are pinned by golden files."""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bumpwell.domain.catalogue import Catalogue, Exercise
from bumpwell.figures.render import render_animation, render_still

SVG = "{http://www.w3.org/2000/svg}"
GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("BUMPWELL_UPDATE_GOLDEN") == "1"


def animated(ex: Exercise) -> str:
    assert ex.figure is not None
    return render_animation(ex.figure, ident=ex.id, title=ex.name, description=" ".join(ex.steps))


def still(ex: Exercise) -> str:
    assert ex.figure is not None
    return render_still(ex.figure, ident=f"{ex.id}-still", title=ex.name, description=" ".join(ex.steps))


def test_every_exercise_has_a_figure(catalogue: Catalogue) -> None:
    assert [ex.id for ex in catalogue.exercises.values() if ex.figure is None] == []


def drawn(catalogue: Catalogue) -> list[Exercise]:
    return [ex for ex in catalogue.exercises.values() if ex.figure is not None]


def test_every_svg_is_well_formed_titled_and_described(catalogue: Catalogue) -> None:
    for ex in drawn(catalogue):
        for text in (animated(ex), still(ex)):
            root = ET.fromstring(text)
            assert root.tag == f"{SVG}svg"
            assert root.get("role") == "img"
            assert root.findtext(f"{SVG}title") == ex.name
            assert root.findtext(f"{SVG}desc") == " ".join(ex.steps)
            assert root.get("aria-labelledby") == f"{root.get('id')}-t {root.get('id')}-d"


def test_every_animated_svg_is_under_12_kb(catalogue: Catalogue) -> None:
    sizes = {ex.id: len(animated(ex).encode()) for ex in drawn(catalogue)}
    assert {k: v for k, v in sizes.items() if v >= 12 * 1024} == {}


def test_animation_loops_with_the_hold_times_and_has_a_still_for_reduced_motion(catalogue: Catalogue) -> None:
    for ex in drawn(catalogue):
        assert ex.figure is not None
        text = animated(ex)
        durations = set(re.findall(r'dur="([0-9.]+)s"', text))
        assert durations == {f"{ex.figure.cycle_s:g}"}
        assert 'repeatCount="indefinite"' in text
        assert "prefers-reduced-motion:reduce" in text
        assert "prefers-color-scheme:dark" in text
        root = ET.fromstring(text)
        rest = [g for g in root.iter(f"{SVG}g") if g.get("class") == "bw-rest"]
        assert len(rest) == 1
        assert len(list(rest[0])) >= 8  # the whole body, still


def test_a_still_has_no_animation(catalogue: Catalogue) -> None:
    for ex in drawn(catalogue):
        text = still(ex)
        assert "<animate" not in text
        assert "@media" not in text


def test_the_moving_part_is_highlighted(catalogue: Catalogue) -> None:
    ex = catalogue.exercises["bird-dog"]
    root = ET.fromstring(animated(ex))
    moving = [p for p in root.iter(f"{SVG}path") if "bw-move" in (p.get("class") or "")]
    assert moving
    assert all("bw-far" in (p.get("class") or "") or "limb" in (p.get("class") or "") for p in moving)


def test_figures_inlined_in_one_page_do_not_restyle_each_other(catalogue: Catalogue) -> None:
    text = animated(catalogue.exercises["wall-squat"])
    css = re.search(r"<style>(.*)</style>", text)
    assert css is not None
    selectors = re.findall(r"(?:^|})([^{}@]+)\{", css.group(1))
    assert selectors
    scoped = [s.strip() for sel in selectors for s in sel.split(",")]
    assert all(s == "#wall-squat" or s.startswith("#wall-squat ") for s in scoped), scoped


@pytest.mark.parametrize("exercise_id", ["wall-squat", "bird-dog"])
def test_golden_figures(catalogue: Catalogue, exercise_id: str) -> None:
    ex = catalogue.exercises[exercise_id]
    for kind, text in (("animated", animated(ex)), ("still", still(ex))):
        golden = GOLDEN / f"{exercise_id}.{kind}.svg"
        if UPDATE:
            golden.write_text(text, encoding="utf-8")
        assert text == golden.read_text(encoding="utf-8"), f"{golden.name} changed; rerun with BUMPWELL_UPDATE_GOLDEN=1"


@pytest.mark.parametrize("stage", ["early", "mid", "late", "postpartum"])
def test_the_belly_follows_the_stage(catalogue: Catalogue, stage: str) -> None:
    ex = catalogue.exercises["wall-squat"]
    assert ex.figure is not None
    drawn = render_animation(ex.figure, ident="w", title=ex.name, description="", stage=stage)
    others = {
        other: render_animation(ex.figure, ident="w", title=ex.name, description="", stage=other)
        for other in ("early", "mid", "late", "postpartum")
        if other != stage
    }
    assert all(drawn != text for text in others.values())  # each stage draws its own belly


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_lines_meet_wcag_aa_non_text_contrast(theme: str) -> None:
    """WCAG 2.2 SC 1.4.11: graphical objects need 3:1 against what is next to them."""
    from bumpwell.figures.render import THEMES

    colours = THEMES[theme]
    for line in ("body", "far", "move", "move_far", "prop"):
        assert contrast(colours[line], colours["fill"]) >= 3.0, (theme, line)
    assert contrast(colours["body"], colours["belly"]) >= 3.0
    assert contrast(colours["body"], colours["water"]) >= 3.0


def test_every_keyframe_of_every_figure_passes_the_physics_checks(catalogue: Catalogue) -> None:
    from bumpwell.figures.constraints import check_figure

    for ex in drawn(catalogue):
        assert ex.figure is not None
        assert check_figure(ex.figure, ex.position) == [], ex.id


def test_every_catalogue_stage_has_a_belly() -> None:
    from bumpwell.domain.values import STAGES
    from bumpwell.figures.render import BELLY, BELLY_FOR_STAGE

    assert set(BELLY_FOR_STAGE) == set(STAGES)
    assert set(BELLY_FOR_STAGE.values()) == set(BELLY)


def test_the_loop_keeps_the_exercises_own_hold_time(catalogue: Catalogue) -> None:
    ex = catalogue.exercises["wall-squat"]
    assert ex.figure is not None
    own = ex.figure.cycle_s
    longest = max(k.hold_s for k in ex.figure.keyframes)
    text = render_animation(ex.figure, ident="w", title=ex.name, description="", hold_s=10)
    assert f'dur="{own - longest + 10:g}s"' in text


def test_a_dashed_trail_with_an_arrow_shows_where_the_moving_part_goes(catalogue: Catalogue) -> None:
    text = animated(catalogue.exercises["bird-dog"])
    assert 'class="bw-trail"' in text
    assert 'marker-end="url(#bird-dog-a)"' in text
    assert 'id="bird-dog-a"' in text
    quiet = animated(catalogue.exercises["pelvic-floor"])  # a movement too small to draw a trail for
    assert 'class="bw-trail"' not in quiet
