"""Typed, strict readers for mappings from content files; every error names the file and the field."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from bumpwell.errors import ContentError

KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class Fields:
    """Reads the keys of one mapping, then refuses any key that was not read."""

    def __init__(self, file: str, data: object, path: str = "") -> None:
        self.file = file
        self.path = path
        if not isinstance(data, dict):
            raise ContentError(file, path or "(file)", f"must be a mapping, got {_kind(data)}")
        self.data: dict[Any, Any] = data
        self._read: set[str] = set()

    def where(self, key: str) -> str:
        """The dotted path of a key below this mapping."""
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, message: str) -> ContentError:
        """A ContentError for one key of this mapping."""
        return ContentError(self.file, self.where(key), message)

    def raw(self, key: str, *, required: bool = True) -> Any:
        """The value as parsed; missing required keys are refused."""
        self._read.add(key)
        if key not in self.data:
            if required:
                raise self.fail(key, "is required")
            return None
        return self.data[key]

    def text(self, key: str) -> str:
        """A non-empty string."""
        value = self.raw(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, f"must be non-empty text, got {_kind(value)}")
        return " ".join(value.split())

    def choice(self, key: str, allowed: Iterable[str]) -> str:
        """One value of a closed vocabulary."""
        options = sorted(allowed)
        value = self.raw(key)
        if value not in options:
            raise self.fail(key, f"must be one of {', '.join(options)}; got {value!r}")
        return str(value)

    def flag(self, key: str) -> bool:
        """A true/false value."""
        value = self.raw(key)
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, got {_kind(value)}")
        return value

    def day(self, key: str) -> date:
        """A date written as YYYY-MM-DD."""
        value = self.raw(key)
        if not isinstance(value, date):
            raise self.fail(key, f"must be a date (YYYY-MM-DD), got {_kind(value)}")
        return value

    def positive(self, key: str, *, required: bool = True) -> int | None:
        """A whole number above zero (or None when optional and absent)."""
        value = self.raw(key, required=required)
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.fail(key, f"must be a whole number above 0, got {value!r}")
        return value

    def texts(self, key: str, *, least: int = 0, most: int = 1000) -> tuple[str, ...]:
        """A list of non-empty strings with a length in [least, most]."""
        value = self.raw(key)
        if not isinstance(value, list):
            raise self.fail(key, f"must be a list, got {_kind(value)}")
        if not least <= len(value) <= most:
            raise self.fail(key, f"must have {least} to {most} entries, got {len(value)}")
        out: list[str] = []
        for index, item in enumerate(value):
            if not isinstance(item, str) or not item.strip():
                raise ContentError(self.file, f"{self.where(key)}[{index}]", "must be non-empty text")
            out.append(" ".join(item.split()))
        return tuple(out)

    def choices(self, key: str, allowed: Iterable[str], *, required: bool = True) -> tuple[str, ...]:
        """A list of values from a closed vocabulary, without repeats."""
        if not required and key not in self.data:
            self._read.add(key)
            return ()
        values = self.texts(key)
        options = frozenset(allowed)
        for index, item in enumerate(values):
            if item not in options:
                raise ContentError(
                    self.file,
                    f"{self.where(key)}[{index}]",
                    f"unknown value {item!r}; allowed: {', '.join(sorted(options))}",
                )
        if len(set(values)) != len(values):
            raise self.fail(key, "lists a value twice")
        return values

    def sub(self, key: str, *, required: bool = True) -> Fields | None:
        """A nested mapping, read with the same strictness."""
        value = self.raw(key, required=required)
        if value is None and not required:
            return None
        return Fields(self.file, value, self.where(key))

    def done(self) -> None:
        """Refuse any key that no reader asked for."""
        unknown = sorted(str(key) for key in self.data if key not in self._read)
        if unknown:
            raise self.fail(unknown[0], f"unknown key; allowed keys: {', '.join(sorted(self._read))}")


def _kind(value: object) -> str:
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"[:80]
