"""Weeks of pregnancy from a due date, and weeks since birth, on a given day."""

from __future__ import annotations

from datetime import date

TERM_DAYS = 280  # 40+0 weeks from the first day of the last period; the due date sits there


def gestation_on(due_date: date, day: date) -> tuple[int, int]:
    """Completed weeks and days of pregnancy on ``day`` for ``due_date`` (may fall outside 4..42 weeks)."""
    elapsed = TERM_DAYS - (due_date - day).days
    return divmod(elapsed, 7)


def postpartum_on(birth_date: date, day: date) -> tuple[int, int]:
    """Completed weeks and days since the birth on ``day``."""
    return divmod((day - birth_date).days, 7)
