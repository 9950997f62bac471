"""Settings from the environment (``BUMPWELL_*``). Read only by the composition root and the entry points."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from bumpwell.errors import InvalidSetting

DEFAULT_DATABASE_FILE = "bumpwell.sqlite3"
SIGNUP_ROLES = frozenset({"person", "supervisor", "clinician"})
PUBLIC_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything an installation can configure, with safe defaults for one laptop."""

    database_url: str
    signup_roles: frozenset[str] = SIGNUP_ROLES
    cookie_secure: bool | None = None  # None: Secure exactly when the request came over HTTPS
    session_days: int = 14
    reset_link_hours: int = 24
    invitation_days: int = 7
    db_pool_timeout_s: int = 3  # the longest a request waits for a pooled connection before a 503 says "busy"
    public_url: str = PUBLIC_URL
    argon2_memory_kib: int = 65536  # argon2id, RFC 9106 second recommended option (64 MiB, t=3, p=4)
    argon2_time_cost: int = 3
    emergency_number: str = "112"  # shown on every page and dialled by the tap-to-call links
    maternity_number: str = ""  # the maternity unit's triage line, when the installation knows it
    smtp_host: str = ""  # e-mail notices go out only when an SMTP server is configured
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = ""  # default: bumpwell <bumpwell@host of the public address>
    smtp_security: str = "starttls"  # starttls | ssl | none
    smtp_interval_s: int = 30  # how often the server looks for notices to send
    report_paper: Literal["A4", "letter"] = "A4"  # the doctor's report's paper (letter: US Letter)


def public_host(settings: Settings) -> str:
    """The host name of the public address (for calendar UIDs and the like)."""
    return urlsplit(settings.public_url).hostname or "bumpwell.invalid"


def reset_link(settings: Settings, secret: str) -> str:
    """The page where a password reset secret is used (the app never logs query strings; pages send no referrer)."""
    return f"{settings.public_url}/reset-password?token={secret}"


def default_database_url(data_dir: Path) -> str:
    """A SQLite file in the user's data directory."""
    return f"sqlite:///{data_dir / DEFAULT_DATABASE_FILE}"


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise InvalidSetting(name, f"must be a whole number from {low} to {high}, got {raw!r}") from None
    if not low <= value <= high:
        raise InvalidSetting(name, f"must be a whole number from {low} to {high}, got {value}")
    return value


def _secure(env: Mapping[str, str]) -> bool | None:
    raw = env.get("BUMPWELL_COOKIE_SECURE", "auto").strip().lower()
    choices = {"auto": None, "true": True, "1": True, "false": False, "0": False}
    if raw not in choices:
        raise InvalidSetting("BUMPWELL_COOKIE_SECURE", f"must be auto, true or false, got {raw!r}")
    return choices[raw]


def _roles(env: Mapping[str, str]) -> frozenset[str]:
    raw = env.get("BUMPWELL_SIGNUP_ROLES")
    if raw is None:
        return SIGNUP_ROLES
    roles = frozenset(part.strip() for part in raw.split(",") if part.strip())
    unknown = roles - {"person", "supervisor", "clinician"}
    if unknown:
        raise InvalidSetting(
            "BUMPWELL_SIGNUP_ROLES", f"may list person, supervisor and clinician (or be empty), got {sorted(unknown)}"
        )
    return roles


def load_settings(env: Mapping[str, str], data_dir: Path) -> Settings:
    """Settings from ``env``; the SQLite default lives in ``data_dir``."""
    url = env.get("BUMPWELL_DATABASE_URL") or default_database_url(data_dir)
    if not url.startswith(("sqlite://", "postgresql+psycopg://")):
        raise InvalidSetting("BUMPWELL_DATABASE_URL", "must start with sqlite:// or postgresql+psycopg://")
    return Settings(
        database_url=url,
        signup_roles=_roles(env),
        cookie_secure=_secure(env),
        session_days=_int(env, "BUMPWELL_SESSION_DAYS", 14, 1, 365),
        reset_link_hours=_int(env, "BUMPWELL_RESET_LINK_HOURS", 24, 1, 168),
        invitation_days=_int(env, "BUMPWELL_INVITATION_DAYS", 7, 1, 90),
        db_pool_timeout_s=_int(env, "BUMPWELL_DB_POOL_TIMEOUT_S", 3, 1, 60),
        public_url=(env.get("BUMPWELL_PUBLIC_URL") or PUBLIC_URL).rstrip("/"),
        argon2_memory_kib=_int(env, "BUMPWELL_ARGON2_MEMORY_KIB", 65536, 64, 4 * 1024 * 1024),
        argon2_time_cost=_int(env, "BUMPWELL_ARGON2_TIME_COST", 3, 1, 20),
        emergency_number=_phone(env, "BUMPWELL_EMERGENCY_NUMBER", "112"),
        maternity_number=_phone(env, "BUMPWELL_MATERNITY_NUMBER", ""),
        report_paper=_paper(env),
        **_smtp(env, (env.get("BUMPWELL_PUBLIC_URL") or PUBLIC_URL).rstrip("/")),
    )


REPORT_PAPERS: dict[str, Literal["A4", "letter"]] = {"a4": "A4", "letter": "letter"}


def _paper(env: Mapping[str, str]) -> Literal["A4", "letter"]:
    raw = env.get("BUMPWELL_REPORT_PAPER") or "A4"
    found = REPORT_PAPERS.get(raw.strip().lower())
    if found is None:
        raise InvalidSetting("BUMPWELL_REPORT_PAPER", f"must be A4 or letter, got {raw!r}")
    return found


SMTP_SECURITY = ("starttls", "ssl", "none")
SENDER = re.compile(r"^([^<>@]*<)?[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+>?$")


def _smtp(env: Mapping[str, str], public_url: str) -> dict[str, Any]:
    """The SMTP settings; without BUMPWELL_SMTP_HOST nothing is sent and the rest is not needed."""
    host = env.get("BUMPWELL_SMTP_HOST", "").strip()
    security = env.get("BUMPWELL_SMTP_SECURITY", "starttls").strip().lower()
    if security not in SMTP_SECURITY:
        raise InvalidSetting("BUMPWELL_SMTP_SECURITY", f"must be starttls, ssl or none, got {security!r}")
    default_port = 465 if security == "ssl" else 587
    sender = env.get("BUMPWELL_SMTP_FROM", "").strip()
    if not sender:
        sender = f"bumpwell <bumpwell@{urlsplit(public_url).hostname or 'localhost'}>"
    elif not SENDER.match(sender):
        raise InvalidSetting("BUMPWELL_SMTP_FROM", f"must be an address like bumpwell@clinic.example, got {sender!r}")
    return {
        "smtp_host": host,
        "smtp_port": _int(env, "BUMPWELL_SMTP_PORT", default_port, 1, 65535),
        "smtp_user": env.get("BUMPWELL_SMTP_USER", ""),
        "smtp_password": env.get("BUMPWELL_SMTP_PASSWORD", ""),
        "smtp_from": sender,
        "smtp_security": security,
        "smtp_interval_s": _int(env, "BUMPWELL_SMTP_INTERVAL_S", 30, 5, 3600),
    }


def _phone(env: Mapping[str, str], name: str, default: str) -> str:
    raw = env.get(name, default).strip()
    if raw and not re.fullmatch(r"\+?[0-9 ]{2,20}", raw):
        raise InvalidSetting(name, f"must be a phone number of digits, spaces and an optional leading +, got {raw!r}")
    return raw
