"""The composition root: settings -> database engine -> units of work -> catalogue -> what the edges use."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from bumpwell.catalogue import load_catalogue
from bumpwell.config import Settings, load_settings
from bumpwell.domain.assessment import assess
from bumpwell.domain.catalogue import Catalogue
from bumpwell.services.accounts import AuthRules
from bumpwell.services.ports import Mailer, PasswordHasher, StoreFactory

if TYPE_CHECKING:
    from sqlalchemy import Engine


@cache
def catalogue() -> Catalogue:
    """The validated catalogue shipped with the package, loaded on first use."""
    return load_catalogue()


def assess_document(document: object, today: date | None = None) -> dict[str, Any]:
    """Answer a ``bumpwell.assessment/1`` request; ``today`` defaults to the local date."""
    return assess(document, catalogue(), today or date.today())


@dataclass(frozen=True)
class Wiring:
    """Everything the entry points need, built once from settings: the composition root's product."""

    settings: Settings
    engine: Engine
    stores: StoreFactory
    hasher: PasswordHasher
    catalogue: Catalogue
    clock: Callable[[], datetime]
    rules: AuthRules
    mailer: Mailer | None = None  # set when an SMTP server is configured

    def today(self) -> date:
        """Today's date where the server runs."""
        return self.clock().astimezone().date()

    @property
    def mail(self) -> bool:
        """Whether notices also go out by e-mail (an SMTP server is configured)."""
        return bool(self.settings.smtp_host)


def system_clock() -> datetime:
    """The current time, tz-aware."""
    return datetime.now(UTC)


def settings_from_environment(env: Mapping[str, str] | None = None) -> Settings:
    """Settings from ``env`` (the process environment by default); the SQLite file goes in the user data dir."""
    from platformdirs import user_data_path

    return load_settings(os.environ if env is None else env, user_data_path("bumpwell", appauthor=False))


def wire(settings: Settings, clock: Callable[[], datetime] = system_clock) -> Wiring:
    """Connect the database, the password hasher and the catalogue for these settings."""
    from bumpwell.adapters.db.engine import make_engine
    from bumpwell.adapters.db.store import SqlStoreFactory
    from bumpwell.adapters.passwords import Argon2Hasher

    engine = make_engine(settings.database_url, pool_timeout=settings.db_pool_timeout_s)
    rules = AuthRules(
        signup_roles=settings.signup_roles,
        session_days=settings.session_days,
        reset_link_hours=settings.reset_link_hours,
    )
    hasher = Argon2Hasher(settings.argon2_memory_kib, settings.argon2_time_cost)
    mailer = None
    if settings.smtp_host:
        from bumpwell.adapters.mail import SmtpMailer

        mailer = SmtpMailer(
            settings.smtp_host, settings.smtp_port, settings.smtp_security, settings.smtp_from,
            settings.smtp_user, settings.smtp_password,
        )  # fmt: skip
    return Wiring(settings, engine, SqlStoreFactory(engine), hasher, catalogue(), clock, rules, mailer)


def upgrade_database(wiring: Wiring) -> str:
    """Apply pending migrations; returns the revision reached."""
    from bumpwell.adapters.db.engine import upgrade

    return upgrade(wiring.engine)


def unavailable_errors() -> tuple[type[Exception], ...]:
    """What the database raises when it cannot be reached or is too busy now: answered 503, never a bare 500."""
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    return (OperationalError, PoolTimeout)


def database_problem(wiring: Wiring) -> str | None:
    """Why the database cannot serve now (unreachable, or migrations not current), in one line; ``None`` if it can."""
    from bumpwell.adapters.db.engine import current_revision, head_revision

    where = wiring.engine.url.render_as_string(hide_password=True)
    try:
        revision = current_revision(wiring.engine)
    except unavailable_errors() as exc:
        return f"BUMPWELL_DATABASE_URL: cannot reach {where}: {unavailable_reason(exc)}"
    if revision != head_revision():
        at = revision or "none"
        return f"the database {where} is at revision {at}, not {head_revision()}: run `bumpwell db upgrade` first"
    return None


def unavailable_reason(exc: Exception) -> str:
    """The database driver's own first line about why it could not serve (no traceback, no SQL)."""
    lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def database_revision(wiring: Wiring) -> str | None:
    """The migration the database is at, or ``None`` before the first (for ``bumpwell db where``)."""
    from bumpwell.adapters.db.engine import current_revision

    return current_revision(wiring.engine)


def settle_orm() -> None:
    """Build the ORM's mappers now, before a worker's first request (see ``web.asgi.settle``)."""
    from sqlalchemy.orm import configure_mappers

    configure_mappers()
