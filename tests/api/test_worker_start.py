"""A server worker starts settled: the factory uvicorn calls builds the app, compiles every page template, loads the
PDF library and freezes what it keeps for its life, so that the garbage collector's full passes stop walking it (they
took about 90 ms each and made most of the clinician board's p95; docs/benchmarks.md)."""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bumpwell.web.asgi import app_from_environment
from bumpwell.web.views import TEMPLATES


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()  # the rest of the test run collects as usual


def test_the_worker_factory_freezes_a_settled_heap(
    unfrozen: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BUMPWELL_DATABASE_URL", f"sqlite:///{tmp_path / 'start.db'}")
    assert gc.get_freeze_count() == 0
    app = app_from_environment()
    assert gc.get_freeze_count() > 50_000, "the libraries, templates and mappers are set aside"
    assert "weasyprint" in sys.modules, "the first report does not load the PDF library"
    cache = TEMPLATES.env.cache
    assert cache is not None
    compiled = {name for _, name in cache}
    assert {"clinic.html", "base.html"} <= compiled, "every page template is compiled before the first request"
    assert len(compiled) == len(TEMPLATES.env.list_templates())
    with TestClient(app) as client:
        assert client.get("/login").status_code == 200, "and it serves pages"
