"""Strict reading of JSON objects for the contract: known keys only, typed values, the field path in every error."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from bumpwell.errors import InvalidRequest


class JsonObject:
    """One JSON object of a request: each accessor checks a field and names it when it is wrong."""

    def __init__(self, data: object, path: str, allowed: Collection[str]) -> None:
        if not isinstance(data, Mapping):
            raise InvalidRequest(path or "request", f"must be a JSON object, got {describe(data)}")
        for key in data:
            if key not in allowed:
                raise InvalidRequest(self._join(path, str(key)), f"unknown field; allowed: {', '.join(allowed)}")
        self.data = data
        self.path = path

    @staticmethod
    def _join(path: str, key: str) -> str:
        return f"{path}.{key}" if path else key

    def at(self, key: str) -> str:
        """The dotted path of a field of this object."""
        return self._join(self.path, key)

    def has(self, key: str) -> bool:
        """Whether the field is present and not null."""
        return self.data.get(key) is not None

    def boolean(self, key: str, default: bool = False) -> bool:
        """A JSON true/false."""
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise InvalidRequest(self.at(key), f"must be true or false, got {describe(value)}")
        return value

    def integer(self, key: str, low: int, high: int, default: int | None = None) -> int:
        """A whole number within [low, high]; required when there is no default."""
        value = self.data.get(key)
        if value is None:
            if default is None:
                raise InvalidRequest(self.at(key), f"is required: a whole number from {low} to {high}")
            return default
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidRequest(self.at(key), f"must be a whole number from {low} to {high}, got {describe(value)}")
        return value

    def optional_integer(self, key: str, low: int, high: int) -> int | None:
        """A whole number within [low, high], or null."""
        return self.integer(key, low, high) if self.has(key) else None

    def choice(self, key: str, allowed: tuple[str, ...], default: str | None = None) -> str:
        """One of a closed list of strings."""
        value = self.data.get(key)
        if value is None:
            value = default
        if value not in allowed:
            if value is None:
                raise InvalidRequest(self.at(key), f"is required: one of {', '.join(allowed)}")
            raise InvalidRequest(self.at(key), f"must be one of {', '.join(allowed)}; got {describe(value)}")
        return str(value)

    def ids(self, key: str, allowed: Collection[str], what: str) -> tuple[str, ...]:
        """A list of distinct strings, each from ``allowed``."""
        value = self.data.get(key, [])
        if not isinstance(value, list):
            raise InvalidRequest(self.at(key), f"must be a list of {what}, got {describe(value)}")
        seen: list[str] = []
        for index, item in enumerate(value):
            where = f"{self.at(key)}[{index}]"
            if not isinstance(item, str) or item not in allowed:
                raise InvalidRequest(where, f"unknown {what} {describe(item)}; {examples(allowed)}")
            if item in seen:
                raise InvalidRequest(where, f"{item!r} is listed twice")
            seen.append(item)
        return tuple(seen)

    def child(self, key: str, allowed: Collection[str]) -> JsonObject | None:
        """A nested object, or None when absent or null."""
        return JsonObject(self.data[key], self.at(key), allowed) if self.has(key) else None


def describe(value: object) -> str:
    """A short, safe rendering of a bad value for an error message."""
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return repr(value[:40])
    if isinstance(value, bool | int | float):
        return repr(value)
    return f"a {type(value).__name__}"


def examples(allowed: Collection[str]) -> str:
    """The first few allowed values, for an error message."""
    known = sorted(allowed)
    shown = ", ".join(known[:8])
    return f"known: {shown}{', ...' if len(known) > 8 else ''}"
