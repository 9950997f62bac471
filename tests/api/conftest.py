"""An app on a real database (SQLite, and PostgreSQL when present), a pinned clock and logged-in clients."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bumpwell.bootstrap import Wiring, upgrade_database, wire
from bumpwell.config import Settings
from bumpwell.web.app import create_app
from tests.dbs import backends, empty_tables, fresh_database

START = datetime(2027, 1, 11, 9, 0, tzinfo=UTC)  # a Monday
PASSWORD = "correct horse battery"


@dataclass
class Clock:
    """A clock the test moves by hand."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def test_settings(url: str) -> Settings:
    """Settings for tests: cheap argon2 parameters, otherwise the defaults."""
    return Settings(database_url=url, argon2_memory_kib=64, argon2_time_cost=1)


@pytest.fixture(scope="session", params=backends())
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One migrated database per backend for the whole run."""
    with fresh_database(request.param, str(tmp_path_factory.mktemp("db"))) as url:
        wiring = wire(test_settings(url))
        upgrade_database(wiring)
        wiring.engine.dispose()
        yield url


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def wiring(database: str, clock: Clock) -> Iterator[Wiring]:
    """Wiring on an emptied database with the test clock."""
    wired = wire(test_settings(database), clock=clock)
    empty_tables(wired.engine)
    yield wired
    wired.engine.dispose()


@pytest.fixture
def app_client(wiring: Wiring) -> Iterator[TestClient]:
    with TestClient(create_app(wiring), base_url="http://testserver") as client:
        yield client


@dataclass
class User:
    """A logged-in test account: its client, id and CSRF token."""

    client: TestClient
    id: str
    csrf: str
    role: str
    headers: dict[str, str] = field(default_factory=dict)

    def get(self, url: str, **kw: Any) -> Any:
        return self.client.get(url, headers=self.headers, **kw)

    def post(self, url: str, json: Any = None, **kw: Any) -> Any:
        return self.client.post(url, json=json, headers=self.headers, **kw)

    def put(self, url: str, json: Any = None, **kw: Any) -> Any:
        return self.client.put(url, json=json, headers=self.headers, **kw)

    def patch(self, url: str, json: Any = None, **kw: Any) -> Any:
        return self.client.patch(url, json=json, headers=self.headers, **kw)

    def delete(self, url: str, json: Any = None, **kw: Any) -> Any:
        return self.client.request("DELETE", url, json=json, headers=self.headers, **kw)


def sign_up(
    wiring: Wiring,
    role: str = "person",
    name: str = "Ana",
    family: str = "Silva",
    born: str = "1994-03-03",
    email: str | None = None,
) -> User:
    """A new account logged in through its own cookie jar."""
    client = TestClient(create_app(wiring), base_url="http://testserver")
    email = email or f"{name.lower().replace(' ', '.')}.{role}@example.org"
    body = {"email": email, "password": PASSWORD, "display_name": name, "role": role}
    if role == "person":  # a person gives her identifiers at sign-up (issue 17)
        body |= {"family_name": family, "date_of_birth": born}
    response = client.post("/api/v1/auth/signup", json=body)
    assert response.status_code == 201, response.text
    data = response.json()
    return User(client, data["id"], data["csrf_token"], role, {"X-CSRF-Token": data["csrf_token"]})


PROFILE = {
    "status": "pregnant",
    "due_date": "2027-05-10",  # 23+0 on 2027-01-11
    "plurality": 1,
    "activity_history": "active",
    "days_per_week": 4,
    "minutes_per_day": 30,
    "pool_access": False,
    "supervisor_available": True,
}
CHECK_IN = {"pain": {"locations": ["lumbar"], "nrs_now": 4, "nrs_worst_24h": 5, "aggravators": ["prolonged_sitting"]}}


def onboard(user: User) -> dict[str, Any]:
    """Profile, empty screening and a first check-in; returns the check-in."""
    response = user.put(f"/api/v1/people/{user.id}/profile", PROFILE)
    assert response.status_code == 200, response.text
    assert user.put(f"/api/v1/people/{user.id}/screening", {"conditions": []}).status_code == 200
    response = user.post(f"/api/v1/people/{user.id}/check-ins", CHECK_IN)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


@pytest.fixture
def person(wiring: Wiring) -> User:
    return sign_up(wiring, "person", "Ana")
