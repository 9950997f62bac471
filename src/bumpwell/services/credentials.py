"""Reset links and password changes: what ends with them and what the account's owner is told.

Nobody changes a password unseen. A reset link issued by an administrator or asked for by e-mail ("Forgot your
password?", only with SMTP), a reset, and a change each write an entry
on the account's audit trail and send its owner a notice (and an e-mail when the installation has SMTP). A new
password ends every login session (but the one that changed it), every API token and every other reset link.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bumpwell.domain.access import Area, Role, Verb
from bumpwell.domain.catalogue import Policy
from bumpwell.errors import Forbidden, InvalidRequest, NotFound
from bumpwell.services.accounts import AuthRules
from bumpwell.services.common import digest, new_id, new_secret
from bumpwell.services.logins import login_key
from bumpwell.services.outbox import RESET_KIND
from bumpwell.services.passwords import check_password
from bumpwell.services.ports import PasswordHasher, Store
from bumpwell.services.records import (
    ApiTokenRecord,
    AuditRecord,
    NoticeRecord,
    ResetLinkRecord,
    UserRecord,
    WebSessionRecord,
)

LINK_GONE = "this reset link is unknown, used or expired; ask for a new one"
IF_NOT_YOU = "If this was not you or you did not ask for it, tell your clinic or the administrator now."


def _when(now: datetime) -> str:
    """The moment on the server's clock, as the pages show it: "Tue 8 Dec 2026, 01:50"."""
    local = now.astimezone()
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


def tell_owner(store: Store, user: UserRecord, actor: UserRecord | None, now: datetime, what: tuple[str, str],
               mail: bool) -> None:  # fmt: skip
    """An audit entry on the account (``what[0]``) and a notice to its owner (``what[1]``), e-mailed when ``mail``."""
    actor_id, role = (actor.id, actor.role) if actor is not None else (None, Role.admin.value)
    store.add(AuditRecord(now, actor_id, role, user.id, Verb.write.value, Area.account.value, what[0]))
    notice = NoticeRecord(
        new_id(), user.id, user.id, None, "account", what[1], now,
        email_status="pending" if mail else "none", next_attempt_at=now if mail else None,
    )  # fmt: skip
    store.add(notice)


def end_access(store: Store, user: UserRecord, now: datetime, keep_session: str | None = None) -> None:
    """Every login session of the account (but ``keep_session``), every API token and every open reset link end."""
    for session in store.find(WebSessionRecord, {"user_id": user.id}):
        if session.token_hash != keep_session:
            store.remove(session)
    for token in store.find(ApiTokenRecord, {"user_id": user.id, "revoked_at": None}):
        token.revoked_at = now
        store.save(token)
    _end_links(store, user, now)


def _end_links(store: Store, user: UserRecord, now: datetime) -> None:
    for link in store.find(ResetLinkRecord, {"user_id": user.id, "used_at": None}):
        if link.expires_at > now:
            link.expires_at = now
            store.save(link)


def issue_reset_link(store: Store, rules: AuthRules, issuer: UserRecord | None, email: str, now: datetime,
                     mail: bool = False) -> tuple[UserRecord, str]:  # fmt: skip
    """A one-time password reset secret for the account (an admin hands the link over in person); an older link
    ends, and the owner is told. ``issuer`` is ``None`` on the server's command line."""
    if issuer is not None and issuer.role != Role.admin.value:
        raise Forbidden("only an administrator may issue a password reset link")
    found = store.find(UserRecord, {"email": email.strip().lower()}, limit=1)
    if not found:
        raise NotFound("account")
    user = found[0]
    _end_links(store, user, now)
    plain, token_hash = new_secret()
    store.add(ResetLinkRecord(new_id(), user.id, token_hash, now, now + timedelta(hours=rules.reset_link_hours)))
    where = "" if issuer is not None else " (on the server's command line)"
    what = (
        f"an administrator issued a password reset link{where}",
        f"An administrator issued a link to reset your password on {_when(now)}, valid {rules.reset_link_hours} "
        f"hours. Until it is used or runs out, whoever holds it can choose a new password. {IF_NOT_YOU}",
    )
    tell_owner(store, user, issuer, now, what, mail)
    return user, plain


def reset_password(store: Store, hasher: PasswordHasher, token: str, password: str, now: datetime,
                   mail: bool = False) -> UserRecord:  # fmt: skip
    """Set a new password with a reset secret; every login, API token and other link of the account ends."""
    found = store.find(ResetLinkRecord, {"token_hash": digest(token)}, limit=1)
    if not found or found[0].used_at is not None or found[0].expires_at <= now:
        raise InvalidRequest("token", LINK_GONE)
    link = found[0]
    user = store.get(UserRecord, link.user_id)
    if user is None:
        raise InvalidRequest("token", LINK_GONE)
    check_password(password, context=(user.email, user.display_name))
    link.used_at = now
    store.save(link)
    user.password_hash = hasher.hash(password)
    store.save(user)
    end_access(store, user, now)
    what = (
        "password reset with a reset link; every login, API token and reset link ended",
        f"Your password was reset on {_when(now)} (with a reset link). Every login and every API token of your "
        f"account was ended. {IF_NOT_YOU}",
    )
    tell_owner(store, user, None, now, what, mail)
    return user


def change_password(store: Store, hasher: PasswordHasher, user: UserRecord, current: str, new: str,
                    keep_session: str | None, now: datetime, mail: bool = False) -> None:  # fmt: skip
    """Change the password after checking the current one; every other login, every API token and every reset
    link end (``keep_session``, the login that changed it, stays)."""
    if not hasher.verify(user.password_hash, current):
        raise InvalidRequest("current_password", "is not this account's password")
    check_password(new, "new_password", (user.email, user.display_name))
    user.password_hash = hasher.hash(new)
    store.save(user)
    end_access(store, user, now, keep_session)
    what = (
        "password changed; every other login, every API token and every reset link ended",
        f"Your password was changed on {_when(now)}. Every other login and every API token of your account was "
        f"ended. {IF_NOT_YOU}",
    )
    tell_owner(store, user, user, now, what, mail)


def mail_reset_link(store: Store, rules: AuthRules, policy: Policy, email: str, now: datetime,
                    link_of: Callable[[str], str]) -> None:  # fmt: skip
    """For "Forgot your password?" with SMTP: a reset link e-mailed to the account's own address through the
    outbox (an older link ends; her trail says so). Nothing tells whether the address has an account: an unknown one
    makes a secret too and writes nothing, and more than ``reset_requests`` an address in ``login_window_min`` are
    counted and dropped. ``link_of`` makes the page address of a secret."""
    address = email.strip().lower()
    window = timedelta(minutes=policy.login_window_min)
    count, _start = store.count_attempt(login_key("reset", address), now, now - window)
    store.commit()  # counted before anything else, like a login attempt
    found = store.find(UserRecord, {"email": address}, limit=1)
    plain, token_hash = new_secret()
    if not found or count > policy.reset_requests:
        return
    user = found[0]
    _end_links(store, user, now)
    store.add(ResetLinkRecord(new_id(), user.id, token_hash, now, now + timedelta(hours=rules.reset_link_hours)))
    store.add(AuditRecord(now, user.id, user.role, user.id, Verb.write.value, Area.account.value,
                          "a password reset link was asked for and e-mailed to the account's address"))  # fmt: skip
    text = (
        f"To choose a new password for bumpwell, open this link within {rules.reset_link_hours} hours (it works "
        f"once): {link_of(plain)}\n\nIf you did not ask for it, ignore this e-mail: your password stays as it is."
    )
    store.add(NoticeRecord(new_id(), user.id, user.id, None, RESET_KIND, text, now, email_status="pending",
                           next_attempt_at=now))  # fmt: skip
