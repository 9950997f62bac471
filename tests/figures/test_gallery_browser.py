"""The figure gallery in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright): every figure draws,
reduced motion shows the still pose, and a screenshot is kept in .artifacts/ for people to look at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bumpwell.domain.catalogue import Catalogue
from bumpwell.figures.gallery import write_gallery
from tests.conftest import CHROMIUM_ARGS

CHROMIUM = Path("/usr/bin/chromium")
ARGS = CHROMIUM_ARGS
ARTIFACTS = Path(__file__).resolve().parents[2] / ".artifacts"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (make test installs it as root)"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def gallery(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("gallery")
    write_gallery(catalogue, folder)
    return folder / "index.html"


def test_every_figure_draws_in_the_gallery(browser: Any, gallery: Path, catalogue: Catalogue) -> None:
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(gallery.as_uri())
    page.wait_for_timeout(1500)  # let the animations move
    drawn = [ex for ex in catalogue.exercises.values() if ex.figure is not None]
    boxes = page.eval_on_selector_all("#light figure svg", "els => els.map(e => e.getBBox().width)")
    assert len(boxes) == len(drawn)
    assert all(width > 20 for width in boxes)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "figures-gallery.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000  # a blank page is a few KB
    assert errors == []
    page.close()


def test_reduced_motion_shows_the_still_pose(browser: Any, gallery: Path) -> None:
    page = browser.new_page(reduced_motion="reduce", color_scheme="dark")
    page.goto(gallery.as_uri())
    shown = page.eval_on_selector_all(
        "#light figure svg", "els => els.map(e => getComputedStyle(e.querySelector('.bw-rest')).display)"
    )
    hidden = page.eval_on_selector_all(
        "#light figure svg", "els => els.map(e => getComputedStyle(e.querySelector('.bw-motion')).display)"
    )
    assert set(shown) == {"inline"}
    assert set(hidden) == {"none"}
    page.close()


def test_artifacts_folder_is_ignored_by_git() -> None:
    ignore = (Path(__file__).resolve().parents[2] / ".gitignore").read_text(encoding="utf-8")
    assert ".artifacts/" in ignore.split()
