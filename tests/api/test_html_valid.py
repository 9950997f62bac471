"""Every page validates: each GET route of the app's route table, as each kind of caller on a seeded record, and
every HTML answer it gives is checked in one run of the Nu HTML checker (vnu.jar from the npm package vnu-jar, on
the machine's Java). It needs java and node_modules (make test runs npm ci); without them it skips, and on CI a skip
fails the run."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from bumpwell.bootstrap import Wiring
from tests.api.test_access_matrix import build_scene
from tests.api.test_private_caching import _get_urls, _values

VNU = Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

needs_vnu = pytest.mark.skipif(
    not VNU.exists() or shutil.which("java") is None, reason=f"needs java and {VNU} (make test runs npm ci)"
)


def _pages(wiring: Wiring) -> dict[str, str]:
    """Each distinct HTML page the routes answer with 200, as 'METHOD url as caller' -> page."""
    scene = build_scene(wiring)
    urls = _get_urls(wiring, _values(scene))
    pages: dict[str, str] = {}
    seen: set[str] = set()
    for caller in ("own", "clin", "sup", "admin", "anon"):
        user = scene.callers[caller]
        for url in urls:
            response = user.client.get(url, headers=user.headers, follow_redirects=False)
            if response.status_code == 200 and response.headers["content-type"].startswith("text/html"):
                digest = hashlib.sha256(response.content).hexdigest()
                if digest not in seen:
                    seen.add(digest)
                    pages[f"GET {url} as {caller}"] = response.text
    return pages


def _vnu(folder: Path) -> list[dict[str, str]]:
    args = ["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always", "--skip-non-html", str(folder)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, check=True)
    messages: list[dict[str, str]] = json.loads(done.stderr or done.stdout)["messages"]
    return messages


@needs_vnu
def test_the_nu_html_checker_finds_no_error_or_warning_on_any_page(wiring: Wiring, tmp_path: Path) -> None:
    pages = _pages(wiring)
    assert len(pages) > 30, f"the sweep met only {len(pages)} pages"
    assert any("/clinic/people/" in name for name in pages)
    names = {}
    for index, (name, html) in enumerate(sorted(pages.items())):
        file = tmp_path / f"page-{index:03d}.html"
        file.write_text(html, encoding="utf-8")
        names[file.name] = name
    found = [f"{names.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))}: {m['type']} {m.get('subType', '')} line "
             f"{m.get('lastLine')}: {m['message']} [{m.get('extract', '')!r}]" for m in _vnu(tmp_path)]  # fmt: skip
    assert found == [], "\n".join(found)
