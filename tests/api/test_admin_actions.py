"""Nobody resets or changes a password unseen: what ends with it, the audit entry she reads, her notice and e-mail."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from bumpwell.bootstrap import Wiring, settings_from_environment, wire
from bumpwell.cli.main import app as cli
from bumpwell.domain.access import Role
from bumpwell.services import outbox
from bumpwell.services.accounts import create_user
from bumpwell.services.credentials import issue_reset_link, reset_password
from bumpwell.services.records import AuditRecord, NoticeRecord, UserRecord
from bumpwell.web.app import create_app
from tests.api.conftest import PASSWORD, Clock, User, sign_up

NEW = "a brand new password"
EMAIL = "ana.person@example.org"


@dataclass
class Outgoing:
    """A hand-written mailer: what would have gone out."""

    sent: list[tuple[str, str, str]] = field(default_factory=list)

    def send(self, to: str, subject: str, body: str) -> None:
        self.sent.append((to, subject, body))


def admin_of(wiring: Wiring) -> User:
    with wiring.stores() as store:
        root = create_user(store, wiring.hasher, wiring.clock(), "root@example.org", PASSWORD, "Root", Role.admin)
        store.commit()
    client = TestClient(create_app(wiring))
    me = client.post("/api/v1/auth/login", json={"email": "root@example.org", "password": PASSWORD}).json()
    return User(client, root.id, me["csrf_token"], "admin", {"X-CSRF-Token": me["csrf_token"]})


def link_secret(admin: User, person_id: str) -> str:
    response = admin.post(f"/api/v1/admin/users/{person_id}/reset-link")
    assert response.status_code == 201, response.text
    return str(response.json()["url"].split("token=", 1)[1])


def token_of(person: User) -> str:
    return str(person.post("/api/v1/me/tokens", {"name": "my script"}).json()["token"])


def reset(wiring: Wiring, secret: str, password: str = NEW) -> int:
    body = {"token": secret, "password": password}
    return int(TestClient(create_app(wiring)).post("/api/v1/auth/password-reset", json=body).status_code)


def test_a_reset_ends_every_session_and_api_token_of_the_account(wiring: Wiring, person: User) -> None:
    token, admin = token_of(person), admin_of(wiring)
    script = TestClient(create_app(wiring))
    bearer = {"Authorization": f"Bearer {token}"}
    assert script.get("/api/v1/me", headers=bearer).status_code == 200
    assert reset(wiring, link_secret(admin, person.id)) == 204
    assert person.client.get("/api/v1/me").status_code == 401
    assert script.get("/api/v1/me", headers=bearer).status_code == 401, "her token survived the reset"
    assert [t["revoked_at"] is not None for t in login(wiring, EMAIL, NEW).get("/api/v1/me/tokens").json()] == [True]


def login(wiring: Wiring, email: str, password: str) -> TestClient:
    client = TestClient(create_app(wiring))
    assert client.post("/api/v1/auth/login", json={"email": email, "password": password}).status_code == 200
    return client


def test_a_new_link_ends_the_older_one_and_using_a_link_ends_every_other(wiring: Wiring, person: User) -> None:
    admin = admin_of(wiring)
    first, second = link_secret(admin, person.id), link_secret(admin, person.id)
    assert reset(wiring, first) == 422, "an older link still worked after a new one was issued"
    assert reset(wiring, second) == 204
    assert reset(wiring, second, "yet another password") == 422
    with wiring.stores() as store:  # a link issued from the command line while one was open
        _user, cli_secret = issue_reset_link(store, wiring.rules, None, EMAIL, wiring.clock())
        store.commit()
    third = link_secret(admin, person.id)
    assert reset(wiring, cli_secret) == 422
    with wiring.stores() as store:
        reset_password(store, wiring.hasher, third, "the third new password", wiring.clock())
        store.commit()
    assert reset(wiring, third) == 422


def test_her_audit_trail_shows_the_link_and_the_reset_by_an_administrator(
    wiring: Wiring, person: User, clock: Clock
) -> None:
    admin = admin_of(wiring)
    secret = link_secret(admin, person.id)
    clock.advance(minutes=5)
    assert reset(wiring, secret) == 204
    ana = login(wiring, EMAIL, NEW)
    trail = ana.get(f"/api/v1/people/{person.id}/audit").json()["items"]
    entries = [(e["actor_role"], e["actor_id"], e["area"], e["detail"]) for e in trail[:2]]
    assert entries[1] == ("admin", admin.id, "account", "an administrator issued a password reset link")
    assert entries[0][:3] == ("admin", None, "account")
    assert entries[0][3].startswith("password reset with a reset link; every login, API token")


def test_she_gets_a_notice_in_the_app_and_sees_it_on_her_pages(wiring: Wiring, person: User, clock: Clock) -> None:
    secret = link_secret(admin_of(wiring), person.id)
    clock.advance(minutes=5)
    assert reset(wiring, secret) == 204
    ana = login(wiring, EMAIL, NEW)
    notices = ana.get("/api/v1/me/notices").json()["items"]
    assert [n["kind"] for n in notices] == ["account", "account"]
    assert notices[0]["text"].startswith("Your password was reset on Mon 11 Jan 2027, ")
    assert "Every login and every API token of your account was ended" in notices[0]["text"]
    assert notices[1]["text"].startswith("An administrator issued a link to reset your password on Mon 11 Jan 2027")
    menu = re.search(r'<nav aria-label="Main">(.*?)</nav>', ana.get("/exercises").text, re.S)
    assert menu
    assert 'href="/notices">Notices <span class="count">2' in menu.group(1)
    page = ana.get("/notices").text
    assert "Your account" in page
    assert "Your password was reset on Mon 11 Jan 2027" in page


def test_a_member_reads_notices_about_her_own_account_beside_her_team_notices(wiring: Wiring) -> None:
    sam, admin = sign_up(wiring, "supervisor", "Sam"), admin_of(wiring)
    assert reset(wiring, link_secret(admin, sam.id)) == 204
    again = login(wiring, "sam.supervisor@example.org", NEW)
    assert [n["kind"] for n in again.get("/api/v1/me/notices").json()["items"]] == ["account", "account"]
    assert "Your password was reset" in again.get("/notices").text


def test_a_password_change_ends_other_logins_and_every_token_but_keeps_this_login(wiring: Wiring, person: User) -> None:
    token, other = token_of(person), login(wiring, EMAIL, PASSWORD)
    body = {"current_password": PASSWORD, "new_password": NEW}
    assert person.post("/api/v1/me/password", body).status_code == 204
    assert person.get("/api/v1/me").status_code == 200, "the login that changed it stays"
    assert other.get("/api/v1/me").status_code == 401
    script = TestClient(create_app(wiring))
    assert script.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    notice = person.get("/api/v1/me/notices").json()["items"][0]
    assert notice["text"].startswith("Your password was changed on Mon 11 Jan 2027")
    trail = person.get(f"/api/v1/people/{person.id}/audit").json()["items"]
    assert trail[0]["actor_id"] == person.id
    assert trail[0]["detail"] == "password changed; every other login, every API token and every reset link ended"


def test_with_smtp_she_also_gets_an_email_to_her_own_address(wiring: Wiring, person: User) -> None:
    mail = Outgoing()
    mailing = replace(wiring, mailer=mail)
    admin = admin_of(mailing)
    assert reset(mailing, link_secret(admin, person.id)) == 204
    run = outbox.deliver(mailing.stores, mail, mailing.clock, "https://bw.example")
    assert run.sent == 2
    assert {to for to, _s, _b in mail.sent} == {EMAIL}
    _to, subject, body = mail.sent[-1]
    assert subject == "bumpwell: your account's password"
    assert "Your password was reset on" in body or "An administrator issued a link" in body
    assert "https://bw.example/notices" in body


def test_without_smtp_nothing_waits_to_be_emailed(wiring: Wiring, person: User) -> None:
    assert reset(wiring, link_secret(admin_of(wiring), person.id)) == 204
    with wiring.stores() as store:
        assert {n.email_status for n in store.find(NoticeRecord, {"recipient_id": person.id})} == {"none"}


def test_a_reset_link_from_the_command_line_is_on_her_trail_too(tmp_path: Path) -> None:
    db = tmp_path / "db.sqlite3"
    env = {"BUMPWELL_DATABASE_URL": f"sqlite:///{db}", "BUMPWELL_ARGON2_MEMORY_KIB": "64"}
    runner = CliRunner()
    runner.invoke(cli, ["db", "upgrade"], env=env)
    create = ["user", "create", EMAIL, "--role", "person", "--password-stdin"]
    assert runner.invoke(cli, create, input=f"{PASSWORD}\n", env=env).exit_code == 0
    assert runner.invoke(cli, ["user", "reset-link", EMAIL], env=env).exit_code == 0
    wired = wire(settings_from_environment(env))
    with wired.stores() as store:
        ana = store.find(UserRecord, {"email": EMAIL})[0]
        [entry] = store.find(AuditRecord, {"subject_id": ana.id})
        [notice] = store.find(NoticeRecord, {"recipient_id": ana.id})
    wired.engine.dispose()
    assert entry.actor_role == "admin"
    assert entry.detail == "an administrator issued a password reset link (on the server's command line)"
    assert notice.text.startswith("An administrator issued a link to reset your password")


def test_a_reset_on_the_page_ends_her_tokens_and_tells_her(wiring: Wiring, person: User) -> None:
    token = token_of(person)
    secret = link_secret(admin_of(wiring), person.id)
    client = TestClient(create_app(wiring))
    page = client.get(f"/reset-password?token={secret}").text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    done = client.post("/reset-password", data={"csrf_token": found.group(1), "token": secret, "password": NEW})
    assert done.status_code == 200
    assert "Your password is changed" in done.text
    script = TestClient(create_app(wiring))
    assert script.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    notices = login(wiring, EMAIL, NEW).get("/api/v1/me/notices").json()["items"]
    assert any(n["text"].startswith("Your password was reset on") for n in notices)
