"""On CI a skip is a failure (so PostgreSQL and browser tests cannot silently vanish); elsewhere it is a skip."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]


def test_a_skip_fails_the_run_when_ci_is_true(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    pytester.makeconftest((Path(__file__).parents[1] / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile("import pytest\n\ndef test_needs_a_service():\n    pytest.skip('no PostgreSQL here')\n")
    monkeypatch.setenv("CI", "true")
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(failed=1)
    monkeypatch.setenv("CI", "false")
    pytester.runpytest_inprocess("-p", "no:cacheprovider").assert_outcomes(skipped=1)
