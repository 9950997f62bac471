"""Logging in: guessing stays slow under any concurrency, and strangers cannot lock her out.

Each attempt is counted by one atomic statement in the database, and committed, before the password hash is
checked, so parallel attempts on two workers each see their own count: at most ``login_attempts`` hash checks per
account and address in a window (NIST SP 800-63B §5.2.2). The count is per account *and* address, so failures at one
account do not block the other accounts behind a clinic's shared address; one address trying many accounts is only
slowed, never refused (``login_address_*``). A browser that logged in to the account before carries a device
cookie, and its attempts are counted on their own (OWASP ASVS V2.2.1): strangers at her address cannot use them up.
An unknown e-mail address costs one hash check too (against a dummy hash), so the answer's time does not tell
whether an account exists.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bumpwell.domain.catalogue import Policy
from bumpwell.errors import TooManyAttempts, Unauthenticated
from bumpwell.services.common import digest, new_secret
from bumpwell.services.ports import PasswordHasher, Store
from bumpwell.services.records import KnownDeviceRecord, UserRecord

DEVICE_PREFIX = "bwd_"
DEVICE = re.compile(r"^bwd_[A-Za-z0-9_-]{43}$")
WRONG = "e-mail address or password is wrong"
_DUMMY: dict[str, str] = {}  # one dummy hash per process, made with the hasher's own parameters


def login_key(*parts: str) -> str:
    """The stored key of a count: a hash, so the table holds no e-mail or network address."""
    return digest("\x1f".join(parts))


def dummy_hash(hasher: PasswordHasher) -> str:
    """The hash an unknown e-mail's password is checked against, made once with ``hasher``'s parameters, by the
    first login of the process whatever its e-mail (so that first one tells nothing either)."""
    stored = _DUMMY.get("hash")
    if stored is None or hasher.needs_rehash(stored):
        stored = _DUMMY["hash"] = hasher.hash("no account has this password: bumpwell dummy")
    return stored


def _device_key(device: str, user_id: str) -> str:
    return digest(f"{device}:{user_id}")


def known_device(store: Store, policy: Policy, user: UserRecord, device: str, now: datetime) -> bool:
    """True when this browser's device cookie logged in to the account within ``known_device_days``."""
    if not DEVICE.match(device):
        return False
    record = store.get(KnownDeviceRecord, _device_key(device, user.id))
    return record is not None and record.last_login_at >= now - timedelta(days=policy.known_device_days)


def address_wait_s(policy: Policy, count: int) -> float:
    """How long the ``count``-th attempt from one address in a window waits: nothing up to ``login_address_free``,
    then ``login_address_delay_ms`` more for each, at most ``login_address_max_delay_ms``."""
    over = count - policy.login_address_free
    return 0.0 if over <= 0 else min(over * policy.login_address_delay_ms, policy.login_address_max_delay_ms) / 1000


def _count(store: Store, policy: Policy, now: datetime, keys: tuple[str, str | None]) -> tuple[int, float, float]:
    """Count the attempt (and the address's), committed at once: the count, the seconds left of the window, and
    how long this attempt waits for its address."""
    window = timedelta(minutes=policy.login_window_min)
    count, start = store.count_attempt(keys[0], now, now - window)
    wait = 0.0
    if keys[1] is not None:
        wait = address_wait_s(policy, store.count_attempt(keys[1], now, now - window)[0])
    store.commit()  # before the hash: every other worker now sees this attempt
    return count, (start + window - now).total_seconds(), wait


@dataclass(frozen=True, slots=True)
class Admission:
    """A login attempt counted and let through: whose, which count a success clears, how long it waits first."""

    email: str
    key: str
    wait_s: float


def _account(store: Store, email: str) -> UserRecord | None:
    found = store.find(UserRecord, {"email": email}, limit=1)
    return found[0] if found else None


def admit(store: Store, policy: Policy, now: datetime, email: str, client: str, device: str | None) -> Admission:
    """Count the attempt for ``email`` from ``client`` (its address) and ``device`` (its device cookie, if any),
    committed before any hash is checked; too many for the account there answer ``TooManyAttempts``."""
    address = email.strip().lower()
    user = _account(store, address)
    if user is not None and device is not None and known_device(store, policy, user, device, now):
        keys: tuple[str, str | None] = (login_key("device", _device_key(device, user.id)), None)
    else:
        keys = (login_key("pair", address, client), login_key("address", client))
    count, left_s, wait_s = _count(store, policy, now, keys)
    if count > policy.login_attempts:
        raise TooManyAttempts(max(1, int(left_s) + 1))
    return Admission(address, keys[0], wait_s)


def check(store: Store, hasher: PasswordHasher, policy: Policy, now: datetime, admitted: Admission,
          password: str) -> UserRecord:  # fmt: skip
    """The account when ``password`` is its own; one hash check whether or not the account exists."""
    user, dummy = _account(store, admitted.email), dummy_hash(hasher)
    if not hasher.verify(user.password_hash if user is not None else dummy, password) or user is None:
        raise Unauthenticated(WRONG)
    store.clear_attempts(admitted.key)
    window, days = timedelta(minutes=policy.login_window_min), timedelta(days=policy.known_device_days)
    store.forget_stale(now, now - window, now - days)  # old rows go as new ones come
    if hasher.needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
        store.save(user)
    return user


def log_in(
    store: Store, hasher: PasswordHasher, policy: Policy, now: datetime, credentials: tuple[str, str], client: str,
    device: str | None = None, pause: Callable[[float], None] = time.sleep,
) -> UserRecord:  # fmt: skip
    """Both steps in one thread, waiting there when the address is busy (the command line). The web waits between
    them on its event loop instead, so that a busy address holds no worker thread."""
    admitted = admit(store, policy, now, credentials[0], client, device)
    if admitted.wait_s:
        pause(admitted.wait_s)
    return check(store, hasher, policy, now, admitted, credentials[1])


def remember_device(store: Store, user: UserRecord, device: str | None, now: datetime) -> str:
    """After a successful login: the device cookie to set, the browser's own one (now known to this account too,
    so a shared tablet is known to each account that logged in there) or a new one."""
    token = device if device and DEVICE.match(device) else new_secret(DEVICE_PREFIX)[0]
    record = store.get(KnownDeviceRecord, _device_key(token, user.id))
    if record is None:
        store.add(KnownDeviceRecord(_device_key(token, user.id), user.id, now, now))
    else:
        record.last_login_at = now
        store.save(record)
    return token
