"""What the services need from the world, as Protocols; adapters implement them, bootstrap wires them."""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

from bumpwell.domain.care_board import Facts
from bumpwell.services.records import NoticeRecord

R = TypeVar("R")


class Store(Protocol):
    """One unit of work over stored records: nothing is kept until :meth:`commit`."""

    def add(self, record: object) -> None:
        """Insert a new record."""

    def save(self, record: object) -> None:
        """Write back a record read earlier and changed since."""

    def remove(self, record: object) -> None:
        """Delete one record."""

    def get(self, kind: type[R], key: str) -> R | None:
        """The record with primary key ``key``, or ``None``."""

    def find(
        self,
        kind: type[R],
        where: dict[str, Any],
        *,
        order_by: str | None = None,
        descending: bool = False,
        limit: int | None = None,
        offset: int = 0,
        since: tuple[str, Any] | None = None,
    ) -> list[R]:
        """Records whose fields equal ``where`` (and, with ``since``, whose field is at least the value)."""

    def count(self, kind: type[Any], where: dict[str, Any], *, since: tuple[str, Any] | None = None) -> int:
        """How many records :meth:`find` would give without a limit."""

    def purge(self, kind: type[Any], where: dict[str, Any]) -> int:
        """Delete every record whose fields equal ``where``; returns how many went."""

    def add_login_failure(self, key: str, at: datetime) -> None:
        """Remember one failed login for ``key`` (an e-mail address or a client address)."""

    def login_failures(self, key: str, since: datetime) -> list[datetime]:
        """When logins for ``key`` failed since ``since``, oldest first."""

    def clear_login_failures(self, key: str) -> None:
        """Forget the failed logins for ``key`` (after a successful one)."""

    def count_attempt(self, key: str, now: datetime, window_from: datetime) -> tuple[int, datetime]:
        """Count one login attempt for ``key`` and return the count in its window and when the window began, in one
        atomic statement: a window that began before ``window_from`` starts again at ``now`` with this attempt."""

    def clear_attempts(self, key: str) -> None:
        """Forget the login attempts counted for ``key`` (after a successful login)."""

    def forget_stale(self, now: datetime, failures_before: datetime, devices_before: datetime | None = None) -> None:
        """Delete login sessions that have expired, failed logins and attempt windows older than ``failures_before``
        and devices that have not logged in since ``devices_before``."""

    def delete_user(self, user_id: str) -> None:
        """Delete the account and, through the foreign keys, every row that belongs to it."""

    def rows_mentioning(self, user_id: str) -> dict[str, int]:
        """Per table, how many rows still name ``user_id`` in any column (for the deletion check)."""

    def claim_due_notices(self, now: datetime, lease_until: datetime, limit: int) -> list[NoticeRecord]:
        """Pending e-mail notices due by ``now``, each moved to ``lease_until`` so that no other worker takes it;
        only the ones this call moved are returned (committed at once)."""

    def member_notices(
        self, member_id: str, *, unread: bool = False, limit: int | None = None, offset: int = 0
    ) -> tuple[list[NoticeRecord], int]:
        """A member's notices (only the unread ones with ``unread``) from people whose team they still sit on,
        newest first: the page from ``offset`` (at most ``limit``; ``0`` for none) and how many there are."""

    def board_facts(self, member_id: str, today: date, person_id: str | None = None) -> list[Facts]:
        """For each person on whose care team ``member_id`` actively sits (only ``person_id`` when given), what the
        clinician's board needs."""

    def commit(self) -> None:
        """Keep everything done in this unit of work."""

    def rollback(self) -> None:
        """Forget everything done in this unit of work."""


class StoreFactory(Protocol):
    """Opens a unit of work; it is closed (and rolled back if not committed) when the block ends."""

    def __call__(self) -> AbstractContextManager[Store]:
        """Open a unit of work."""


class PasswordHasher(Protocol):
    """Hashes and checks passwords (argon2id in production)."""

    def hash(self, password: str) -> str:
        """A salted hash that embeds its own parameters."""

    def verify(self, stored: str, password: str) -> bool:
        """True when ``password`` matches ``stored``."""

    def needs_rehash(self, stored: str) -> bool:
        """True when ``stored`` was made with weaker parameters than today's."""


class Mailer(Protocol):
    """Sends one plain-text e-mail; raises on any failure (the outbox then keeps the notice pending)."""

    def send(self, to: str, subject: str, body: str) -> None:
        """Send ``body`` to ``to``."""
