"""E-mail notices through a real SMTP server (aiosmtpd): sent once, kept and retried when the server is down,
never sent to someone who has left the team, and never holding health details beyond the notice's line."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from typer.testing import CliRunner

from bumpwell.adapters.mail import SmtpMailer
from bumpwell.bootstrap import Wiring
from bumpwell.cli.main import app
from bumpwell.services import outbox
from bumpwell.services.records import NoticeRecord
from tests.api.conftest import Clock, User, onboard, sign_up

BLEEDING = {"observations": {"vaginal_bleeding": "heavy"}}


class Inbox:
    """Collects what the SMTP server receives."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def mailing(wiring: Wiring, port: int) -> Wiring:
    """The wiring with e-mail on, through the test's SMTP server (no TLS on localhost)."""
    settings = replace(wiring.settings, smtp_host="127.0.0.1", smtp_port=port, smtp_security="none",
                       smtp_from="bumpwell <bumpwell@clinic.example>")  # fmt: skip
    mailer = SmtpMailer("127.0.0.1", port, "none", settings.smtp_from)
    return replace(wiring, settings=settings, mailer=mailer)


def with_supervisor(wiring: Wiring) -> tuple[User, User]:
    ana, sam = sign_up(wiring, "person", "Ana"), sign_up(wiring, "supervisor", "Sam")
    onboard(ana)
    invited = ana.post(f"/api/v1/people/{ana.id}/care-team/invitations", {"role": "supervisor"}).json()
    sam.post("/api/v1/care-team/join", {"code": invited["code"]})
    ana.post(f"/api/v1/people/{ana.id}/care-team/{invited['id']}/accept")
    return ana, sam


def red_flag(wiring: Wiring, ana: User) -> None:
    """A check-in with heavy bleeding, through the services with mail on (as the server does with SMTP set)."""
    from bumpwell.services import checkins
    from bumpwell.services.common import Call
    from bumpwell.services.records import UserRecord

    with wiring.stores() as store:
        user = store.get(UserRecord, ana.id)
        assert user is not None
        checkins.check_in(store, Call(user, wiring.clock()), wiring.catalogue, ana.id, BLEEDING, wiring.today(),
                          mail=True)  # fmt: skip
        store.commit()


def notices(wiring: Wiring) -> list[NoticeRecord]:
    with wiring.stores() as store:
        return store.find(NoticeRecord, {}, order_by="created_at")


def test_a_red_flag_e_mail_reaches_the_supervisor_once_and_holds_no_diary(wiring: Wiring, smtp: Any) -> None:
    inbox, port = smtp
    ana, _sam = with_supervisor(wiring)
    ana.post(f"/api/v1/people/{ana.id}/diary", {"day": "2027-01-10", "pain": 3, "note": "DIARY-SECRET"})
    red_flag(wiring, ana)
    assert [n.email_status for n in notices(wiring)] == ["pending"]
    wired = mailing(wiring, port)
    run = outbox.deliver(wired.stores, wired.mailer, wired.clock, "https://bumpwell.example")  # type: ignore[arg-type]
    assert (run.sent, run.failed) == (1, 0)
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "sam.supervisor@example.org"
    assert message["Subject"] == "bumpwell: Ana reported a warning sign"
    body = message.get_payload(decode=True).decode()
    assert "https://bumpwell.example/notices" in body
    assert "DIARY-SECRET" not in body
    again = outbox.deliver(wired.stores, wired.mailer, wired.clock, "https://bumpwell.example")  # type: ignore[arg-type]
    assert again.sent == 0, "a sent notice is not sent twice"
    assert notices(wiring)[0].email_status == "sent"


def test_when_the_server_is_down_the_notice_stays_pending_and_goes_later(wiring: Wiring, clock: Clock) -> None:
    ana, _sam = with_supervisor(wiring)
    red_flag(wiring, ana)
    port = free_port()  # nothing listens here yet
    wired = mailing(wiring, port)
    down = outbox.deliver(wired.stores, wired.mailer, wired.clock, "https://bumpwell.example")  # type: ignore[arg-type]
    assert (down.sent, down.failed) == (0, 1)
    kept = notices(wiring)[0]
    assert kept.email_status == "pending"
    assert kept.attempts == 1
    assert kept.last_error
    assert kept.next_attempt_at is not None
    assert kept.next_attempt_at > clock.now
    early = outbox.deliver(wired.stores, wired.mailer, wired.clock, "https://bumpwell.example")  # type: ignore[arg-type]
    assert (early.sent, early.failed) == (0, 0), "not retried before its time"
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        clock.advance(minutes=2)
        later = outbox.deliver(wired.stores, wired.mailer, wired.clock, "https://bumpwell.example")  # type: ignore[arg-type]
    finally:
        controller.stop()
    assert later.sent == 1
    assert len(inbox.messages) == 1
    assert notices(wiring)[0].attempts == 2


def test_two_workers_never_claim_the_same_notice(wiring: Wiring, clock: Clock) -> None:
    ana, _sam = with_supervisor(wiring)
    red_flag(wiring, ana)
    with wiring.stores() as one, wiring.stores() as two:
        first = one.claim_due_notices(clock.now, clock.now + outbox.LEASE, 10)
        second = two.claim_due_notices(clock.now, clock.now + outbox.LEASE, 10)
    assert len(first) == 1
    assert second == []


def test_a_member_who_left_the_team_gets_no_e_mail(wiring: Wiring, smtp: Any) -> None:
    inbox, port = smtp
    ana, _sam = with_supervisor(wiring)
    red_flag(wiring, ana)
    link = ana.get(f"/api/v1/people/{ana.id}/care-team").json()[0]["id"]
    ana.delete(f"/api/v1/people/{ana.id}/care-team/{link}")
    wired = mailing(wiring, port)
    run = outbox.deliver(wired.stores, wired.mailer, wired.clock, "https://bumpwell.example")  # type: ignore[arg-type]
    assert (run.sent, run.skipped) == (0, 1)
    assert inbox.messages == []
    assert notices(wiring)[0].email_status == "none"


def test_the_backoff_doubles_up_to_an_hour() -> None:
    assert [outbox.backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4, 7, 8, 20)] == [1, 2, 4, 8, 60, 60, 60]


def test_bumpwell_notices_sends_and_reports(wiring: Wiring, smtp: Any, clock: Clock) -> None:
    clock.now = datetime.now(UTC)  # the command reads the real clock
    inbox, port = smtp
    ana, _sam = with_supervisor(wiring)
    red_flag(wiring, ana)
    env = {"BUMPWELL_DATABASE_URL": wiring.settings.database_url, "BUMPWELL_SMTP_HOST": "127.0.0.1",
           "BUMPWELL_SMTP_PORT": str(port), "BUMPWELL_SMTP_SECURITY": "none"}  # fmt: skip
    listed = CliRunner().invoke(app, ["notices", "list"], env=env)
    assert listed.exit_code == 0, listed.output
    assert "pending: 1" in listed.output
    sent = CliRunner().invoke(app, ["notices", "send"], env=env)
    assert sent.exit_code == 0, sent.output
    assert "sent 1" in sent.output
    assert len(inbox.messages) == 1
    off = CliRunner().invoke(app, ["notices", "send"], env={"BUMPWELL_DATABASE_URL": wiring.settings.database_url})
    assert off.exit_code == 2
    assert "BUMPWELL_SMTP_HOST" in off.output


def test_the_server_sends_due_notices_in_the_background(wiring: Wiring, smtp: Any) -> None:
    import time

    from fastapi.testclient import TestClient

    from bumpwell.web.app import create_app

    inbox, port = smtp
    ana, _sam = with_supervisor(wiring)
    red_flag(wiring, ana)
    with TestClient(create_app(mailing(wiring, port))):  # the lifespan starts the outbox task
        deadline = time.monotonic() + 10
        while not inbox.messages and time.monotonic() < deadline:
            time.sleep(0.05)
    assert len(inbox.messages) == 1
