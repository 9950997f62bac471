""" "Forgot your password?" (issue 16 point 2): with SMTP a reset link by e-mail through the outbox (a real SMTP
server, aiosmtpd), the same neutral answer whether the address has an account, throttled per address; without SMTP
the page says whom to ask and sends nothing. On both databases."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient

from bumpwell.bootstrap import Wiring
from bumpwell.services.outbox import LINK_SENT
from bumpwell.services.records import AuditRecord, NoticeRecord, ResetLinkRecord
from bumpwell.web.app import create_app
from tests.api.conftest import Clock, sign_up
from tests.api.test_outbox import Inbox, free_port, mailing, send
from tests.api.test_pages import csrf

ANA = "ana.person@example.org"
NEW_PASSWORD = "a brand new long password"


@pytest.fixture
def inbox_port() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def ask(client: TestClient, email: str) -> str:
    """Ask for a link on the page; returns the answer without its per-form token."""
    token = csrf(client.get("/forgot-password").text)
    answer = client.post("/forgot-password", data={"csrf_token": token, "email": email})
    assert answer.status_code == 200
    return re.sub(r'name="csrf_token" value="[^"]+"', "", answer.text)


def body_of(inbox: Inbox, index: int = -1) -> str:
    payload = inbox.messages[index].get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()


def link_token(body: str) -> str:
    found = re.search(r"/reset-password\?token=([A-Za-z0-9_-]+)", body)
    assert found, body
    return found.group(1)


def reset(client: TestClient, token: str) -> int:
    form = csrf(client.get(f"/reset-password?token={token}").text)
    body = {"csrf_token": form, "token": token, "password": NEW_PASSWORD}
    return int(client.post("/reset-password", data=body).status_code)


def test_the_login_page_offers_forgot_your_password(wiring: Wiring) -> None:
    page = TestClient(create_app(wiring)).get("/login").text
    assert 'href="/forgot-password"' in page


def test_with_smtp_the_link_comes_by_e_mail_with_only_its_expiry_works_once_and_ends_every_login(
    wiring: Wiring, inbox_port: tuple[Inbox, int]
) -> None:
    inbox, wired, ana = inbox_port[0], mailing(wiring, inbox_port[1]), sign_up(wiring)
    client = TestClient(create_app(wired), follow_redirects=False)
    assert "If an account has this address, we have sent it a link" in ask(client, ANA)
    assert send(wired).sent == 1
    (message,) = inbox.messages
    body = body_of(inbox)
    assert message["To"] == ANA
    assert "within 24 hours (it works once)" in body
    assert "Ana" not in body
    assert "pain" not in body.lower()
    token = link_token(body)
    assert reset(client, token) == 303
    assert ana.get("/api/v1/me").status_code == 401  # every login of the account ended
    assert reset(client, token) == 422  # single use
    with wired.stores() as store:
        (sent,) = store.find(NoticeRecord, {"kind": "reset_link"})
        trail = [a.detail for a in store.find(AuditRecord, {"subject_id": ana.id})]
    assert sent.text == LINK_SENT  # the secret is not kept once e-mailed
    assert any("asked for and e-mailed" in line for line in trail)
    assert any(line.startswith("password reset with a reset link") for line in trail)


def test_an_unknown_address_gets_the_same_answer_and_nothing_is_made_or_sent(
    wiring: Wiring, inbox_port: tuple[Inbox, int]
) -> None:
    wired = mailing(wiring, inbox_port[1])
    sign_up(wiring)
    client = TestClient(create_app(wired), follow_redirects=False)
    known, unknown = ask(client, ANA), ask(client, "nobody@example.org")
    assert known == unknown
    with wired.stores() as store:
        assert len(store.find(ResetLinkRecord, {})) == 1
        assert len(store.find(NoticeRecord, {"kind": "reset_link"})) == 1
    send(wired)
    assert [m["To"] for m in inbox_port[0].messages] == [ANA]


def test_a_new_link_ends_the_older_one(wiring: Wiring, inbox_port: tuple[Inbox, int]) -> None:
    inbox, wired = inbox_port[0], mailing(wiring, inbox_port[1])
    sign_up(wiring)
    client = TestClient(create_app(wired), follow_redirects=False)
    ask(client, ANA)
    ask(client, ANA)
    send(wired)
    first, second = link_token(body_of(inbox, 0)), link_token(body_of(inbox, 1))
    assert reset(client, first) == 422
    assert reset(client, second) == 303


def test_more_than_three_asks_for_one_address_in_the_window_send_nothing_more_and_answer_the_same(
    wiring: Wiring, inbox_port: tuple[Inbox, int], clock: Clock
) -> None:
    wired, limit = mailing(wiring, inbox_port[1]), wiring.catalogue.policy.reset_requests
    sign_up(wiring)
    client = TestClient(create_app(wired), follow_redirects=False)
    answers = {ask(client, ANA.upper()) for _ in range(limit + 2)}
    assert len(answers) == 1
    send(wired)
    assert len(inbox_port[0].messages) == limit
    clock.advance(minutes=wiring.catalogue.policy.login_window_min + 1)
    ask(client, ANA)
    send(wired)
    assert len(inbox_port[0].messages) == limit + 1


def test_without_smtp_the_page_says_whom_to_ask_and_sends_nothing(wiring: Wiring) -> None:
    sign_up(wiring)
    client = TestClient(create_app(wiring), follow_redirects=False)
    page = client.get("/forgot-password").text
    assert "does not send e-mail" in page
    assert "administrator" in page
    assert "your clinic" in page
    assert 'name="email"' not in page
    answer = client.post("/forgot-password", data={"csrf_token": client.cookies.get("bw_pre"), "email": ANA})
    assert answer.status_code == 200
    assert "does not send e-mail" in answer.text
    with wiring.stores() as store:
        assert store.find(ResetLinkRecord, {}) == []
        assert store.find(NoticeRecord, {"kind": "reset_link"}) == []
