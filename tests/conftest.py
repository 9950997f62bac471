"""Shared fixtures: the shipped catalogue, loaded once, and a helper to assess a request."""

from __future__ import annotations

import os
from datetime import date
from typing import Any

import pytest

from bumpwell.bootstrap import catalogue as shipped_catalogue
from bumpwell.domain.assessment import assess
from bumpwell.domain.catalogue import Catalogue

TODAY = date(2027, 1, 11)
CHROMIUM = "/usr/bin/chromium"  # Debian's; test tools cannot download their own browsers here
CHROMIUM_ARGS = [  # no background traffic: this machine's network is closed (see ../shared/stack.md)
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """The catalogue shipped with the package."""
    return shipped_catalogue()


def base_request(**overrides: Any) -> dict[str, Any]:
    """An uncomplicated pregnancy at 16+0 with four 30-minute days; keyword arguments replace top-level keys."""
    request: dict[str, Any] = {
        "schema": "bumpwell.assessment/1",
        "today": TODAY.isoformat(),
        "status": "pregnant",
        "gestation": {"weeks": 16, "days": 0},
        "plurality": 1,
        "activity_history": "active",
        "preferences": {
            "days_per_week": 4,
            "minutes_per_day": 30,
            "pool_access": False,
            "supervisor_available": True,
        },
    }
    request.update(overrides)
    return request


def run(request: dict[str, Any]) -> dict[str, Any]:
    """Assess with the shipped catalogue."""
    return assess(request, shipped_catalogue(), TODAY)


def fired(response: dict[str, Any]) -> list[str]:
    """Rule ids in the response's reasons, in order."""
    return [reason["rule"] for reason in response["reasons"]]


def planned(response: dict[str, Any]) -> set[str]:
    """Every exercise id planned in any session."""
    return {item["exercise"] for s in response["plan"]["sessions"] for item in s["items"]}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """On CI (CI=true) a skipped test is a failure: tests that need PostgreSQL or Chromium must run there."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped on CI, where every test must run: {report.longrepr}"
