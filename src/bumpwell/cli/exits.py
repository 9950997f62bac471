"""How every command ends on bad input: one line naming what was wrong, and exit code 2 (1 for a broken setup)."""

from __future__ import annotations

from typing import NoReturn

import typer

USAGE_ERROR = 2


def fail(message: str, code: int = USAGE_ERROR) -> NoReturn:
    """Print ``error: message`` on standard error and exit with ``code``."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)
