"""The ASGI entry point for uvicorn workers: settings come from the environment of each worker process."""

from __future__ import annotations

import gc

from fastapi import FastAPI

from bumpwell.bootstrap import settings_from_environment, settle_orm, wire
from bumpwell.exporters.report import load_renderer
from bumpwell.web.app import create_app
from bumpwell.web.views import TEMPLATES


def app_from_environment() -> FastAPI:
    """A fully wired app from ``BUMPWELL_*`` settings (``uvicorn --factory bumpwell.web.asgi:app_from_environment``)."""
    app = create_app(wire(settings_from_environment()))
    settle()
    return app


def settle() -> None:
    """Build what a worker keeps for its whole life before the first request, then set it aside from the garbage
    collector.

    A full collection walks every object the collector tracks: with the libraries, the compiled page templates, the
    ORM's mappers and the PDF library that is some 170,000 objects and about 90 ms on a 2-core machine, and a page
    as busy as the clinician's board set one off about every eighth request (most of its p95 in
    benchmarks/bench_board.py). Objects frozen here are never walked again; what requests create still is.
    """
    env = TEMPLATES.env
    for name in env.list_templates():
        env.get_template(name)
    settle_orm()
    load_renderer()
    gc.collect()
    gc.freeze()
