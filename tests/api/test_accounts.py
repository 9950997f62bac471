"""Accounts over the API: cookies, CSRF, throttling, API tokens, reset links."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import text

from bumpwell.bootstrap import Wiring
from bumpwell.domain.access import Role
from bumpwell.services.accounts import create_user
from bumpwell.web.app import create_app
from tests.api.conftest import PASSWORD, Clock, User, sign_up

WHO = {"family_name": "Silva", "date_of_birth": "1994-03-03"}  # a person says who she is at sign-up


def test_sign_up_sets_an_httponly_samesite_lax_session_cookie(wiring: Wiring) -> None:
    client = TestClient(create_app(wiring))
    body = {"email": "Ana@Example.org", "password": PASSWORD, "display_name": "Ana", **WHO}
    response = client.post("/api/v1/auth/signup", json=body)
    assert response.status_code == 201
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" not in cookie
    assert response.json()["email"] == "ana@example.org"
    assert response.json()["role"] == "person"


def test_the_cookie_is_secure_when_served_over_https(wiring: Wiring) -> None:
    client = TestClient(create_app(wiring), base_url="https://bumpwell.example")
    body = {"email": "ana@example.org", "password": PASSWORD, "display_name": "Ana", **WHO}
    assert "secure" in client.post("/api/v1/auth/signup", json=body).headers["set-cookie"].lower()


def test_passwords_are_stored_as_argon2id_hashes(wiring: Wiring, person: User) -> None:
    with wiring.engine.connect() as connection:
        stored = connection.execute(text("SELECT password_hash FROM users")).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_a_change_made_with_the_cookie_needs_the_csrf_token(person: User) -> None:
    url = f"/api/v1/people/{person.id}/diary"
    body = {"day": "2027-01-11", "pain": 3}
    refused = person.client.post(url, json=body)
    assert refused.status_code == 403
    assert "X-CSRF-Token" in refused.json()["detail"]
    wrong = person.client.post(url, json=body, headers={"X-CSRF-Token": "nope"})
    assert wrong.status_code == 403
    assert person.post(url, body).status_code == 201


def test_reads_with_the_cookie_need_no_csrf_token_and_me_returns_it(person: User) -> None:
    me = person.client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["csrf_token"] == person.csrf


def test_an_api_token_works_without_csrf_and_stops_at_once_when_revoked(wiring: Wiring, person: User) -> None:
    created = person.post("/api/v1/me/tokens", {"name": "my script"})
    assert created.status_code == 201
    token = created.json()["token"]
    assert token.startswith("bw_")
    script = TestClient(create_app(wiring))
    auth = {"Authorization": f"Bearer {token}"}
    assert (
        script.post(
            f"/api/v1/people/{person.id}/diary", json={"day": "2027-01-11", "pain": 2}, headers=auth
        ).status_code
        == 201
    )
    listed = person.get("/api/v1/me/tokens").json()
    assert [t["name"] for t in listed] == ["my script"]
    assert "token" not in listed[0]
    assert person.delete(f"/api/v1/me/tokens/{created.json()['id']}").status_code == 200
    refused = script.get("/api/v1/me", headers=auth)
    assert refused.status_code == 401
    assert refused.headers["www-authenticate"].startswith("Bearer")


def test_logins_are_throttled_after_five_failures_and_open_again_after_the_window(wiring: Wiring, clock: Clock) -> None:
    sign_up(wiring, "person", "Ana")
    client = TestClient(create_app(wiring))
    login = {"email": "ana.person@example.org", "password": "wrong password!"}
    assert [client.post("/api/v1/auth/login", json=login).status_code for _ in range(5)] == [401] * 5
    right = {**login, "password": PASSWORD}
    throttled = client.post("/api/v1/auth/login", json=right)
    assert throttled.status_code == 429
    assert int(throttled.headers["retry-after"]) > 0
    clock.advance(minutes=16)
    assert client.post("/api/v1/auth/login", json=right).status_code == 200


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(wiring: Wiring) -> None:
    sign_up(wiring, "person", "Ana")
    client = TestClient(create_app(wiring))
    wrong = client.post("/api/v1/auth/login", json={"email": "ana.person@example.org", "password": "x" * 12})
    unknown = client.post("/api/v1/auth/login", json={"email": "nobody@example.org", "password": "x" * 12})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]


def test_an_address_can_be_used_only_once(wiring: Wiring) -> None:
    sign_up(wiring, "person", "Ana")
    client = TestClient(create_app(wiring))
    body = {"email": "ANA.person@example.org", "password": PASSWORD, "display_name": "Other", **WHO}
    response = client.post("/api/v1/auth/signup", json=body)
    assert response.status_code == 409
    assert response.json()["errors"] == [{"field": "email", "message": "is already used by another account"}]


def test_admin_accounts_cannot_be_made_by_sign_up(wiring: Wiring) -> None:
    client = TestClient(create_app(wiring))
    body = {"email": "eve@example.org", "password": PASSWORD, "display_name": "Eve", "role": "admin"}
    response = client.post("/api/v1/auth/signup", json=body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "role"


def test_logout_ends_the_session(person: User) -> None:
    assert person.post("/api/v1/auth/logout").status_code == 204
    assert person.client.get("/api/v1/me").status_code == 401


def test_an_admin_reset_link_sets_a_new_password_once_and_ends_old_sessions(wiring: Wiring, person: User) -> None:
    with wiring.stores() as store:
        create_user(store, wiring.hasher, wiring.clock(), "root@example.org", PASSWORD, "Root", Role.admin)
        store.commit()
    admin = TestClient(create_app(wiring))
    me = admin.post("/api/v1/auth/login", json={"email": "root@example.org", "password": PASSWORD}).json()
    link = admin.post(f"/api/v1/admin/users/{person.id}/reset-link", headers={"X-CSRF-Token": me["csrf_token"]})
    assert link.status_code == 201
    secret = link.json()["url"].split("token=", 1)[1]
    anyone = TestClient(create_app(wiring))
    body = {"token": secret, "password": "a brand new password"}
    assert anyone.post("/api/v1/auth/password-reset", json=body).status_code == 204
    assert person.client.get("/api/v1/me").status_code == 401
    again = anyone.post("/api/v1/auth/password-reset", json=body)
    assert again.status_code == 422
    assert again.json()["errors"][0]["field"] == "token"
    login = {"email": "ana.person@example.org", "password": "a brand new password"}
    assert anyone.post("/api/v1/auth/login", json=login).status_code == 200


def test_only_an_admin_lists_accounts(wiring: Wiring, person: User) -> None:
    refused = person.get("/api/v1/admin/users")
    assert refused.status_code == 403


def test_bad_input_names_the_field_in_a_problem_document(person: User) -> None:
    response = person.post(f"/api/v1/people/{person.id}/diary", {"day": "2027-01-11", "pain": 11})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["errors"][0]["field"] == "pain"
    assert problem["detail"].startswith("pain:")
    assert problem["instance"] == f"/api/v1/people/{person.id}/diary"


def test_true_is_not_a_number_and_a_string_is_not_a_date(person: User) -> None:
    url = f"/api/v1/people/{person.id}/diary"
    assert person.post(url, {"day": "2027-01-11", "pain": True}).json()["errors"][0]["field"] == "pain"
    assert person.post(url, {"day": 20270111, "pain": 2}).json()["errors"][0]["field"] == "day"
    assert person.post(url, {"day": "2027-02-30", "pain": 2}).json()["errors"][0]["field"] == "day"
    assert person.post(url, {"day": "2027-01-11", "pain": 2.0}).status_code == 201


def test_malformed_json_is_a_422_about_the_body(person: User) -> None:
    response = person.client.post(
        f"/api/v1/people/{person.id}/diary",
        content=b"{not json",
        headers={**person.headers, "content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"


def test_lists_refuse_a_limit_above_two_hundred(person: User) -> None:
    response = person.get(f"/api/v1/people/{person.id}/diary?limit=500")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "limit"


def test_responses_carry_the_security_headers(person: User) -> None:
    headers = person.get("/api/v1/me").headers
    assert headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-content-type-options"] == "nosniff"


def test_changing_the_password_keeps_this_session_and_ends_the_others(wiring: Wiring, person: User) -> None:
    other = TestClient(create_app(wiring))
    assert (
        other.post("/api/v1/auth/login", json={"email": "ana.person@example.org", "password": PASSWORD}).status_code
        == 200
    )
    wrong = person.post("/api/v1/me/password", {"current_password": "not my password", "new_password": "x" * 12})
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "current_password"
    changed = person.post("/api/v1/me/password", {"current_password": PASSWORD, "new_password": "a new long password"})
    assert changed.status_code == 204
    assert person.get("/api/v1/me").status_code == 200
    assert other.get("/api/v1/me").status_code == 401
    login = {"email": "ana.person@example.org", "password": "a new long password"}
    assert TestClient(create_app(wiring)).post("/api/v1/auth/login", json=login).status_code == 200
