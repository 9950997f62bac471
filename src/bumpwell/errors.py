"""The error tree of bumpwell. Every error names what was wrong and where."""

from __future__ import annotations


class BumpwellError(Exception):
    """Base of every error bumpwell raises on purpose."""


class InvalidRequest(BumpwellError):
    """A request broke the contract; ``field`` is the dotted path of the offending field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class ContentError(BumpwellError):
    """A content file (exercise, rule, policy) is invalid; names the file and the field."""

    def __init__(self, file: str, field: str, message: str) -> None:
        super().__init__(f"{file}: {field}: {message}")
        self.file = file
        self.field = field
        self.message = message
