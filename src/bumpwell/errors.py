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


class InvalidSetting(BumpwellError):
    """An environment setting (``BUMPWELL_*``) has a value that cannot be used."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


class NotFound(BumpwellError):
    """The thing asked for does not exist, or the caller may not know that it does."""

    def __init__(self, what: str) -> None:
        super().__init__(f"{what} not found")
        self.what = what


class Forbidden(BumpwellError):
    """The caller is known but may not do this; ``reason`` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Unauthenticated(BumpwellError):
    """No valid session cookie or API token came with the request."""


class Conflict(BumpwellError):
    """The request clashes with what is stored (an e-mail already used, a session already ended)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class TooManyAttempts(BumpwellError):
    """Login is throttled after repeated failures; try again after ``retry_after_s`` seconds."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"too many failed logins; try again in {retry_after_s} s")
        self.retry_after_s = retry_after_s
