"""A login stays valid while she uses the app (issue 16 point 2): sliding expiry, written at most once an hour,
ended by 14 idle days or by the cap after the login, on the pages and in the API, with the server's clock moved."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi.testclient import TestClient

from bumpwell.bootstrap import Wiring
from bumpwell.services.records import WebSessionRecord
from bumpwell.web.app import create_app
from tests.api.conftest import Clock, sign_up
from tests.api.test_pages import PASSWORD, csrf


def _page_login(wiring: Wiring) -> TestClient:
    client = TestClient(create_app(wiring), follow_redirects=False)
    body = {"csrf_token": csrf(client.get("/signup").text), "display_name": "Ana", "email": "ana@example.org",
            "password": PASSWORD, "family_name": "Silva", "date_of_birth": "1994-03-03"}  # fmt: skip
    assert client.post("/signup", data=body).status_code == 303
    return client


def _session_end(wiring: Wiring) -> datetime:
    with wiring.stores() as store:
        (session,) = store.find(WebSessionRecord, {})
        return session.expires_at


def test_daily_use_of_the_pages_for_20_days_stays_logged_in_and_15_idle_days_log_out(
    wiring: Wiring, clock: Clock
) -> None:
    client = _page_login(wiring)
    for _day in range(20):
        clock.advance(days=1)
        assert client.get("/today").headers.get("location") != "/login"
    clock.advance(days=15)
    assert client.get("/today").headers["location"] == "/login"


def test_daily_use_of_the_api_for_20_days_stays_logged_in_and_15_idle_days_log_out(
    wiring: Wiring, clock: Clock
) -> None:
    user = sign_up(wiring)
    for _day in range(20):
        clock.advance(days=1)
        assert user.get("/api/v1/me").status_code == 200
    clock.advance(days=15)
    response = user.get("/api/v1/me")
    assert response.status_code == 401
    assert "log in again" in response.text


def test_requests_within_the_hour_write_nothing_and_a_later_one_pushes_the_end_14_days_ahead(
    wiring: Wiring, clock: Clock
) -> None:
    user = sign_up(wiring)
    first_end = _session_end(wiring)
    clock.advance(minutes=30)
    assert user.get("/api/v1/me").status_code == 200
    assert _session_end(wiring) == first_end
    clock.advance(minutes=40)
    assert user.get("/api/v1/me").status_code == 200
    assert _session_end(wiring) == clock.now + timedelta(days=wiring.rules.session_days)


def test_a_login_used_every_13_days_still_ends_at_the_cap_counted_from_the_login(wiring: Wiring, clock: Clock) -> None:
    user, login = sign_up(wiring), clock.now
    cap = timedelta(days=wiring.catalogue.policy.session_max_days)
    while clock.now + timedelta(days=13) < login + cap:
        clock.advance(days=13)
        assert user.get("/api/v1/me").status_code == 200
    clock.now = login + cap
    assert user.get("/api/v1/me").status_code == 401


def test_the_login_cookie_lasts_as_long_as_the_cap_so_the_browser_keeps_a_used_login(wiring: Wiring) -> None:
    client = TestClient(create_app(wiring), follow_redirects=False)
    body = {"csrf_token": csrf(client.get("/signup").text), "display_name": "Ana", "email": "ana@example.org",
            "password": PASSWORD, "family_name": "Silva", "date_of_birth": "1994-03-03"}  # fmt: skip
    cookie = client.post("/signup", data=body).headers["set-cookie"]
    assert f"Max-Age={wiring.catalogue.policy.session_max_days * 86400}" in cookie
