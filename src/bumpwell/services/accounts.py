"""Accounts: sign-up, web sessions and API tokens (logging in is in ``logins``, reset links in ``credentials``)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bumpwell.domain.access import Role
from bumpwell.domain.catalogue import Policy
from bumpwell.domain.input_rules import text_problem
from bumpwell.errors import Conflict, InvalidRequest, NotFound, Unauthenticated
from bumpwell.services.common import digest, new_id, new_secret
from bumpwell.services.identity import IdentityInput, apply_identity, check_identity
from bumpwell.services.passwords import check_password
from bumpwell.services.ports import PasswordHasher, Store
from bumpwell.services.records import ApiTokenRecord, AuditRecord, UserRecord, WebSessionRecord

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s.]{2,63}$")
TOKEN_PREFIX = "bw_"


@dataclass(frozen=True, slots=True)
class AuthRules:
    """The installation's account settings (from :class:`bumpwell.config.Settings`)."""

    signup_roles: frozenset[str]
    session_days: int
    reset_link_hours: int


def check_email(email: str) -> str:
    """The address in lower case, or an error naming the field."""
    cleaned = email.strip().lower()
    if not EMAIL.match(cleaned):
        raise InvalidRequest("email", "must be an e-mail address such as name@example.org")
    return cleaned


def check_name(name: str) -> str:
    """A display name of 1 to 80 characters, trimmed, without bidirectional controls (API, pages and CLI alike)."""
    cleaned = " ".join(name.split())
    if not 1 <= len(cleaned) <= 80:
        raise InvalidRequest("display_name", "must be 1 to 80 characters long")
    problem = text_problem(cleaned)
    if problem is not None:
        raise InvalidRequest("display_name", problem)
    return cleaned


def create_user(
    store: Store,
    hasher: PasswordHasher,
    now: datetime,
    email: str,
    password: str,
    display_name: str,
    role: Role,
    by: UserRecord | None = None,
) -> UserRecord:
    """A new account; the e-mail address must not be in use. One an administrator (``by``) makes says so on its
    audit trail."""
    address = check_email(email)
    user = UserRecord(new_id(), address, check_name(display_name), role.value, "", now)
    check_password(password, context=(address, user.display_name))
    if store.find(UserRecord, {"email": address}, limit=1):
        raise Conflict("email", "is already used by another account")
    user.password_hash = hasher.hash(password)
    store.add(user)
    if by is not None:
        store.add(AuditRecord(now, by.id, by.role, user.id, "write", "account", "an administrator made this account"))
    return user


def sign_up(
    store: Store,
    hasher: PasswordHasher,
    rules: AuthRules,
    now: datetime,
    *,
    email: str,
    password: str,
    display_name: str,
    role: Role,
    policy: Policy,
    identity: IdentityInput | None = None,
) -> UserRecord:
    """Self-service sign-up, for the roles the installation opens to it; a person gives her identifiers too
    (given and family name, date of birth; hospital number and phone if she wants), checked before anything."""
    if role.value not in rules.signup_roles:
        allowed = ", ".join(sorted(rules.signup_roles)) or "none (ask the administrator for an account)"
        raise InvalidRequest("role", f"sign-up is open to: {allowed}")
    check_email(email)
    check_password(password, context=(email.strip().lower(), display_name))  # her account first, then who she is
    checked = None
    if role is Role.person:
        given = identity or IdentityInput(display_name, None, None)
        checked = check_identity(given, now.date(), policy)
        display_name = checked.given_name
    user = create_user(store, hasher, now, email, password, display_name, role)
    if checked is not None:
        apply_identity(user, checked)
        store.save(user)
    return user


def start_web_session(store: Store, rules: AuthRules, user: UserRecord, now: datetime) -> tuple[str, str]:
    """A new login session: the cookie value and the CSRF token that must come back with every change."""
    token, token_hash = new_secret()
    csrf = secrets.token_urlsafe(32)
    store.add(WebSessionRecord(token_hash, user.id, csrf, now, now + timedelta(days=rules.session_days)))
    return token, csrf


def end_web_session(store: Store, token: str) -> None:
    """Log out: the cookie stops working at once."""
    session = store.get(WebSessionRecord, digest(token))
    if session is not None:
        store.remove(session)


def from_cookie(store: Store, token: str, now: datetime) -> tuple[UserRecord, WebSessionRecord]:
    """The account and session behind a session cookie."""
    session = store.get(WebSessionRecord, digest(token))
    if session is None or session.expires_at <= now:
        raise Unauthenticated("the session has ended; log in again")
    user = store.get(UserRecord, session.user_id)
    if user is None:
        raise Unauthenticated("the account no longer exists")
    return user, session


def use_web_session(store: Store, rules: AuthRules, policy: Policy, token: str,
                    now: datetime) -> tuple[UserRecord, WebSessionRecord]:  # fmt: skip
    """The account and session behind a session cookie, the session's end pushed ``session_days`` ahead (sliding
    expiry) and committed at once, at most every ``session_extend_every_min``, never past ``session_max_days`` after
    the login. Called first thing in a request, so the commit carries nothing else."""
    user, session = from_cookie(store, token, now)
    end = min(now + timedelta(days=rules.session_days), session.created_at + timedelta(days=policy.session_max_days))
    if end - session.expires_at >= timedelta(minutes=policy.session_extend_every_min):
        session.expires_at = end
        store.save(session)
        store.commit()
    return user, session


def from_api_token(store: Store, token: str, now: datetime) -> UserRecord:
    """The account behind an API token (``Authorization: Bearer bw_...``)."""
    found = store.find(ApiTokenRecord, {"token_hash": digest(token)}, limit=1)
    if not found or found[0].revoked_at is not None:
        raise Unauthenticated("the API token is unknown or revoked")
    user = store.get(UserRecord, found[0].user_id)
    if user is None:
        raise Unauthenticated("the account no longer exists")
    record = found[0]
    if record.last_used_at is None or now - record.last_used_at > timedelta(minutes=5):
        record.last_used_at = now  # coarse, so that reads do not turn into writes
        store.save(record)
        store.commit()
    return user


def create_api_token(store: Store, user: UserRecord, name: str, now: datetime) -> tuple[ApiTokenRecord, str]:
    """A new API token for scripts; the plain token is shown once and never stored."""
    cleaned = " ".join(name.split())
    if not 1 <= len(cleaned) <= 80:
        raise InvalidRequest("name", "must be 1 to 80 characters long")
    plain, token_hash = new_secret(TOKEN_PREFIX)
    record = ApiTokenRecord(new_id(), user.id, cleaned, token_hash, now)
    store.add(record)
    return record, plain


def revoke_api_token(store: Store, user: UserRecord, token_id: str, now: datetime) -> ApiTokenRecord:
    """Revoke one of the caller's tokens."""
    record = store.get(ApiTokenRecord, token_id)
    if record is None or record.user_id != user.id:
        raise NotFound("API token")
    if record.revoked_at is None:
        record.revoked_at = now
        store.save(record)
    return record
