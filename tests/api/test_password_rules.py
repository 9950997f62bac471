"""Every way of setting a password refuses a common one, one made of her e-mail or name, and ten spaces."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from bumpwell.bootstrap import Wiring
from bumpwell.cli.main import app as cli
from bumpwell.domain.access import Role
from bumpwell.services.accounts import create_user
from bumpwell.services.credentials import issue_reset_link
from bumpwell.services.passwords import COMMON, LENGTH, PERSONAL
from bumpwell.web.app import create_app
from tests.api.conftest import PASSWORD, User

WEAK = [("password123", COMMON), ("ana.person 2027", PERSONAL), (" " * 10, LENGTH)]


def refused(response: object, field: str) -> str:
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field]
    return str(errors[0]["message"])


@pytest.mark.parametrize(("password", "why"), WEAK)
def test_sign_up_refuses_a_weak_password_and_says_why(wiring: Wiring, password: str, why: str) -> None:
    client = TestClient(create_app(wiring))
    body = {"email": "ana.person@example.org", "password": password, "display_name": "Ana"}
    assert refused(client.post("/api/v1/auth/signup", json=body), "password") == why


@pytest.mark.parametrize(("password", "why"), WEAK)
def test_a_password_change_refuses_a_weak_new_password(person: User, password: str, why: str) -> None:
    body = {"current_password": PASSWORD, "new_password": password}
    assert refused(person.post("/api/v1/me/password", body), "new_password") == why


def _reset_secret(wiring: Wiring, email: str) -> str:
    with wiring.stores() as store:
        _user, secret = issue_reset_link(store, wiring.rules, None, email, wiring.clock())
        store.commit()
    return secret


@pytest.mark.parametrize(("password", "why"), WEAK)
def test_a_reset_refuses_a_weak_password_and_the_link_still_works(
    wiring: Wiring, person: User, password: str, why: str
) -> None:
    secret = _reset_secret(wiring, "ana.person@example.org")
    client = TestClient(create_app(wiring))
    weak = client.post("/api/v1/auth/password-reset", json={"token": secret, "password": password})
    assert refused(weak, "password") == why
    good = client.post("/api/v1/auth/password-reset", json={"token": secret, "password": "a brand new password"})
    assert good.status_code == 204


@pytest.mark.parametrize(("password", "why"), WEAK)
def test_an_admin_creating_an_account_gets_the_same_rules(wiring: Wiring, password: str, why: str) -> None:
    with wiring.stores() as store:
        create_user(store, wiring.hasher, wiring.clock(), "root@example.org", PASSWORD, "Root", Role.admin)
        store.commit()
    admin = TestClient(create_app(wiring))
    me = admin.post("/api/v1/auth/login", json={"email": "root@example.org", "password": PASSWORD}).json()
    body = {"email": "ana.person@example.org", "password": password, "display_name": "Ana", "role": "person"}
    made = admin.post("/api/v1/admin/users", json=body, headers={"X-CSRF-Token": me["csrf_token"]})
    assert refused(made, "password") == why


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)


def test_the_sign_up_page_says_why_a_password_is_refused(wiring: Wiring) -> None:
    client = TestClient(create_app(wiring))
    token = _csrf(client.get("/signup").text)
    body = {"csrf_token": token, "display_name": "Ana", "email": "ana@example.org", "password": "Password2027!"}
    page = client.post("/signup", data=body)
    assert page.status_code == 422
    assert f"Password: {COMMON}" in page.text


def test_the_reset_page_says_why_a_password_is_refused(wiring: Wiring, person: User) -> None:
    secret = _reset_secret(wiring, "ana.person@example.org")
    client = TestClient(create_app(wiring))
    token = _csrf(client.get(f"/reset-password?token={secret}").text)
    page = client.post("/reset-password", data={"csrf_token": token, "token": secret, "password": "AnaPerson2027"})
    assert page.status_code == 422
    assert f"Password: {PERSONAL}" in page.text


def test_user_create_on_the_command_line_refuses_a_common_password(tmp_path: Path) -> None:
    env = {"BUMPWELL_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "BUMPWELL_ARGON2_MEMORY_KIB": "64"}
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "upgrade"], env=env).exit_code == 0
    args = ["user", "create", "root@example.org", "--role", "admin", "--password-stdin"]
    result = runner.invoke(cli, args, input="qwertyuiop\n", env=env)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: password: {COMMON}"
    assert runner.invoke(cli, args, input="Root.Example 2027\n", env=env).exit_code == 2, "made of the e-mail"
    assert runner.invoke(cli, args, input=f"{PASSWORD}\n", env=env).exit_code == 0
