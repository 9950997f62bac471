"""What any typed text and any date must be, wherever it comes in: the API's schemas, the pages' forms, services.

- **Bidirectional controls.** The embedding, override and isolate characters (U+202A-U+202E, U+2066-U+2069)
  reorder what follows them on screen: a name typed with U+202E shows reversed on a clinician's board, and a note
  can say one thing and show another (the "Trojan Source" trick, CVE-2021-42574). Nobody types them on purpose;
  they are refused. The plain marks (U+200E, U+200F, U+061C) only nudge punctuation in Arabic or Hebrew text and
  are kept.
- **Dates.** A date before 1900 or after 2100 is a slip of the keyboard or a probe (day 0001-01-01 in the diary, a
  presence request for 9999-12-31), never a day of a pregnancy or of this app's use; services add the narrower
  range each date has (a diary day not in the future, a presence request for today).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2100, 12, 31)
BIDI_MESSAGE = "must not contain bidirectional control characters (U+202A-U+202E, U+2066-U+2069)"
DAY_MESSAGE = f"must be a date from {EARLIEST_DAY.isoformat()} to {LATEST_DAY.isoformat()}"


def text_problem(value: str) -> str | None:
    """Why ``value`` may not be stored as typed text, or ``None`` when it may."""
    return BIDI_MESSAGE if any(ch in BIDI_CONTROLS for ch in value) else None


def day_problem(value: date) -> str | None:
    """Why ``value`` is not a sane date for bumpwell, or ``None`` when it is."""
    return None if EARLIEST_DAY <= value <= LATEST_DAY else DAY_MESSAGE


def _texts(value: object, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            path = f"{where}.{key}" if where else str(key)
            yield path, str(key)
            yield from _texts(item, path)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _texts(item, f"{where}[{index}]")


def first_text_problem(value: object, where: str = "") -> tuple[str, str] | None:
    """The dotted path and the reason of the first text anywhere in ``value`` that may not be stored, or ``None``."""
    for path, text in _texts(value, where):
        problem = text_problem(text)
        if problem is not None:
            return path or "body", problem
    return None
