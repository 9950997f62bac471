"""Login throttling that holds under concurrency and cannot lock people out (issue 13 point 3), on both databases.

Hash checks are counted with a wrapped hasher: that is what an attacker gets to try, and what costs the server."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import pytest
from fastapi.testclient import TestClient

from bumpwell.bootstrap import Wiring, wire
from bumpwell.errors import TooManyAttempts, Unauthenticated
from bumpwell.services import logins
from bumpwell.services.ports import PasswordHasher
from bumpwell.web.app import create_app
from bumpwell.web.deps import DEVICE_COOKIE
from tests.api import conftest
from tests.api.conftest import PASSWORD, Clock, sign_up

EMAIL = "ana.person@example.org"
WRONG = {"email": EMAIL, "password": "not her password at all"}
RIGHT = {"email": EMAIL, "password": PASSWORD}
ATTEMPTS = 40


@dataclass
class CountingHasher:
    """The real hasher, counting every hash check (verify) and hash made, from any thread."""

    inner: PasswordHasher
    checks: int = 0
    made: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def hash(self, password: str) -> str:
        with self.lock:
            self.made += 1
        return self.inner.hash(password)

    def verify(self, stored: str, password: str) -> bool:
        with self.lock:
            self.checks += 1
        return self.inner.verify(stored, password)

    def needs_rehash(self, stored: str) -> bool:
        return self.inner.needs_rehash(stored)


@pytest.fixture
def counting(wiring: Wiring) -> CountingHasher:
    return CountingHasher(wiring.hasher)


@pytest.fixture
def workers(wiring: Wiring, clock: Clock, counting: CountingHasher) -> Iterator[list[TestClient]]:
    """Two workers as `bumpwell serve --workers 2` runs them: each its own app, engine and connection pool, on one
    database; one counting hasher sees the hash checks of both."""
    second = wire(conftest.test_settings(wiring.settings.database_url), clock=clock)
    apps = [create_app(replace(w, hasher=counting)) for w in (wiring, second)]
    with TestClient(apps[0]) as one, TestClient(apps[1]) as two:  # each worker is one event loop
        yield [one, two]
    second.engine.dispose()


def browser(worker: TestClient) -> TestClient:
    """Another browser (its own cookie jar) at the same address, through the same worker's event loop."""
    other = TestClient(worker.app)
    other.portal = worker.portal
    return other


def parallel(clients: list[TestClient], body: dict[str, str], count: int = ATTEMPTS) -> list[int]:
    """``count`` logins at once, alternating between the workers, each from its own thread."""
    start = threading.Barrier(count)

    def one(index: int) -> int:
        start.wait()
        return clients[index % len(clients)].post("/api/v1/auth/login", json=body).status_code

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def test_forty_parallel_wrong_passwords_through_two_workers_get_five_hash_checks(
    wiring: Wiring, workers: list[TestClient], counting: CountingHasher
) -> None:
    sign_up(wiring, "person", "Ana")
    answers = parallel(workers, WRONG)
    policy = wiring.catalogue.policy
    print(f"attempts {len(answers)}, hash checks {counting.checks}, answers {sorted(set(answers))}")
    assert counting.checks == policy.login_attempts == 5
    assert sorted(answers) == [401] * 5 + [429] * 35


def test_a_correct_password_from_a_known_device_succeeds_during_an_attack_from_the_same_address(
    wiring: Wiring, workers: list[TestClient], counting: CountingHasher
) -> None:
    sign_up(wiring, "person", "Ana")
    phone = workers[0]
    assert phone.post("/api/v1/auth/login", json=RIGHT).status_code == 200
    assert phone.cookies.get(DEVICE_COOKIE, "").startswith("bwd_"), "a login leaves a device cookie"
    stranger = [browser(w) for w in workers]  # the same address (testclient), no device cookie
    attack = parallel(stranger, WRONG)
    assert attack.count(429) == ATTEMPTS - 5
    lockouts = [phone.post("/api/v1/auth/login", json=RIGHT).status_code for _ in range(3)].count(429)
    print(f"attack {len(attack)} attempts, hash checks {counting.checks}, lockouts of her correct password {lockouts}")
    assert lockouts == 0
    assert phone.get("/api/v1/me").status_code == 200


def test_a_new_browser_at_the_attacked_address_waits_for_the_window_and_other_accounts_there_do_not(
    wiring: Wiring, workers: list[TestClient], clock: Clock
) -> None:
    sign_up(wiring, "person", "Ana")
    sign_up(wiring, "person", "Bea")
    parallel(workers, WRONG)
    fresh = browser(workers[1])
    assert fresh.post("/api/v1/auth/login", json=RIGHT).status_code == 429, "an unknown browser on her account"
    bea = {"email": "bea.person@example.org", "password": PASSWORD}
    assert browser(workers[0]).post("/api/v1/auth/login", json=bea).status_code == 200, "a clinic's NAT"
    clock.advance(minutes=wiring.catalogue.policy.login_window_min + 1)
    assert fresh.post("/api/v1/auth/login", json=RIGHT).status_code == 200


def test_one_address_trying_many_accounts_is_slowed_never_refused(wiring: Wiring, clock: Clock) -> None:
    policy = wiring.catalogue.policy
    for name in ("Ana", "Bea"):
        sign_up(wiring, "person", name)
    waits = []
    with wiring.stores() as store:
        for n in range(40):
            admitted = logins.admit(store, policy, clock(), f"someone{n}@example.org", "192.0.2.7", None)
            waits.append(admitted.wait_s)
        bea = logins.admit(store, policy, clock(), "bea.person@example.org", "192.0.2.7", None)
        assert logins.check(store, wiring.hasher, policy, clock(), bea, PASSWORD).display_name == "Bea"
    assert waits[: policy.login_address_free] == [0.0] * policy.login_address_free
    assert waits[policy.login_address_free] == policy.login_address_delay_ms / 1000
    assert waits == sorted(waits)
    assert max(waits) == policy.login_address_max_delay_ms / 1000 == bea.wait_s


def test_a_known_device_is_not_slowed_by_a_busy_address(wiring: Wiring, clock: Clock) -> None:
    policy = wiring.catalogue.policy
    sign_up(wiring, "person", "Ana")
    with wiring.stores() as store:
        admitted = logins.admit(store, policy, clock(), EMAIL, "192.0.2.7", None)
        user = logins.check(store, wiring.hasher, policy, clock(), admitted, PASSWORD)
        device = logins.remember_device(store, user, None, clock())
        store.commit()
        for n in range(40):
            logins.admit(store, policy, clock(), f"someone{n}@example.org", "192.0.2.7", None)
        assert logins.admit(store, policy, clock(), EMAIL, "192.0.2.7", device).wait_s == 0.0
        assert logins.admit(store, policy, clock(), EMAIL, "192.0.2.7", "bwd_" + "x" * 43).wait_s > 0, "forged"


def test_an_unknown_and_a_known_email_cost_one_hash_check_each(wiring: Wiring, counting: CountingHasher) -> None:
    sign_up(wiring, "person", "Ana")
    client = TestClient(create_app(replace(wiring, hasher=counting)))
    client.post("/api/v1/auth/login", json={"email": "nobody@example.org", "password": "x" * 12})  # makes the dummy
    checks = []
    for email in (EMAIL, "nobody@example.org", "someone.else@example.org"):
        before, made = counting.checks, counting.made
        answer = client.post("/api/v1/auth/login", json={"email": email, "password": "not it, sorry"})
        assert answer.status_code == 401
        assert answer.json()["detail"] == "e-mail address or password is wrong"
        checks.append((counting.checks - before, counting.made - made))
    assert checks == [(1, 0), (1, 0), (1, 0)]


def test_a_throttled_attempt_checks_no_hash_for_a_known_or_an_unknown_email(
    wiring: Wiring, counting: CountingHasher
) -> None:
    sign_up(wiring, "person", "Ana")
    client = TestClient(create_app(replace(wiring, hasher=counting)))
    for email in (EMAIL, "nobody@example.org"):
        for _ in range(wiring.catalogue.policy.login_attempts):
            client.post("/api/v1/auth/login", json={"email": email, "password": "not it, sorry"})
        before = counting.checks
        refused = client.post("/api/v1/auth/login", json={"email": email, "password": "not it, sorry"})
        assert refused.status_code == 429
        assert int(refused.headers["retry-after"]) > 0
        assert counting.checks == before


def test_the_service_counts_before_the_hash_from_many_threads(wiring: Wiring, counting: CountingHasher) -> None:
    sign_up(wiring, "person", "Ana")
    policy, start = wiring.catalogue.policy, threading.Barrier(ATTEMPTS)

    def one(_: int) -> str:
        start.wait()
        with wiring.stores() as store:
            try:
                logins.log_in(store, counting, policy, wiring.clock(), (EMAIL, "wrong, wrong"), "198.51.100.1")
            except (TooManyAttempts, Unauthenticated) as exc:
                return type(exc).__name__
        return "in"

    with ThreadPoolExecutor(max_workers=ATTEMPTS) as pool:
        outcomes = list(pool.map(one, range(ATTEMPTS)))
    assert counting.checks == policy.login_attempts
    assert outcomes.count("Unauthenticated") == policy.login_attempts


def _login_page(client: TestClient, password: str) -> int:
    page = client.get("/login").text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    body = {"csrf_token": found.group(1), "email": EMAIL, "password": password}
    return int(client.post("/login", data=body, follow_redirects=False).status_code)


def test_the_login_page_knows_her_browser_during_an_attack_too(wiring: Wiring, workers: list[TestClient]) -> None:
    sign_up(wiring, "person", "Ana")
    phone = browser(workers[0])
    assert _login_page(phone, PASSWORD) == 303
    assert phone.cookies.get(DEVICE_COOKIE, "").startswith("bwd_")
    phone.cookies.delete("bw_session")
    attacker = browser(workers[1])
    assert [_login_page(attacker, "not her password at all") for _ in range(7)][-2:] == [429, 429]
    assert _login_page(browser(workers[1]), PASSWORD) == 429, "a new browser waits for the window"
    assert _login_page(phone, PASSWORD) == 303, "her own browser does not"
