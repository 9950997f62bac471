"""Weeks of pregnancy from a due date, and weeks since birth, on a given day."""

from __future__ import annotations

from datetime import date, timedelta

TERM_DAYS = 280  # 40+0 weeks from the first day of the last period; the due date sits there
GESTATION_WEEKS = (4, 42)  # the weeks of pregnancy the assessment contract accepts


def gestation_on(due_date: date, day: date) -> tuple[int, int]:
    """Completed weeks and days of pregnancy on ``day`` for ``due_date`` (may fall outside 4..42 weeks)."""
    elapsed = TERM_DAYS - (due_date - day).days
    return divmod(elapsed, 7)


def due_date_for(weeks: int, day: date) -> date:
    """The due date of someone ``weeks`` (and 0 days) pregnant on ``day``."""
    return day + timedelta(days=TERM_DAYS - weeks * 7)


def due_dates_accepted(day: date) -> tuple[date, date]:
    """The earliest and latest due dates that give a gestation inside :data:`GESTATION_WEEKS` on ``day``."""
    low, high = GESTATION_WEEKS
    return day + timedelta(days=TERM_DAYS - high * 7 - 6), day + timedelta(days=TERM_DAYS - low * 7)


def postpartum_on(birth_date: date, day: date) -> tuple[int, int]:
    """Completed weeks and days since the birth on ``day``."""
    return divmod((day - birth_date).days, 7)
