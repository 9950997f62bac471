"""The ASGI entry point for uvicorn workers: settings come from the environment of each worker process."""

from __future__ import annotations

from fastapi import FastAPI

from bumpwell.bootstrap import settings_from_environment, wire
from bumpwell.web.app import create_app


def app_from_environment() -> FastAPI:
    """A fully wired app from ``BUMPWELL_*`` settings (``uvicorn --factory bumpwell.web.asgi:app_from_environment``)."""
    return create_app(wire(settings_from_environment()))
