"""E-mail notices through a real SMTP server (aiosmtpd): sent once, kept and retried when the server is down,
never sent to someone who has left the team, and never holding health details beyond the notice's line."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
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


def send(wired: Wiring) -> outbox.Run:
    """One run of the outbox, as the server does it."""
    assert wired.mailer is not None
    return outbox.deliver(wired.stores, wired.mailer, wired.clock, "https://bumpwell.example")


def more_notices(wiring: Wiring, ana: User, sam: User, count: int) -> None:
    """Extra pending notices from Ana's to Sam, as if she had reported several warning signs."""
    with wiring.stores() as store:
        for n in range(count):
            store.add(NoticeRecord(id=f"00000000-0000-4000-8000-{n:012d}", person_id=ana.id, recipient_id=sam.id,
                                   flag_id=None, kind="red_flag", text=f"Ana: warning sign {n}",
                                   created_at=wiring.clock(), email_status="pending",
                                   next_attempt_at=wiring.clock()))  # fmt: skip
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
    run = send(wired)
    assert (run.sent, run.failed) == (1, 0)
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "sam.supervisor@example.org"
    assert message["Subject"] == "bumpwell: Ana reported a warning sign"
    body = message.get_payload(decode=True).decode()
    assert "https://bumpwell.example/notices" in body
    assert "DIARY-SECRET" not in body
    again = send(wired)
    assert again.sent == 0, "a sent notice is not sent twice"
    assert notices(wiring)[0].email_status == "sent"


def ask_presence(ana: User, wiring: Wiring) -> None:
    """Ana asks her supervisors to be with her for today's last session, through the API."""
    today = wiring.today().isoformat()
    plan = ana.get(f"/api/v1/people/{ana.id}/plan").json()["plan"]
    index = sum(1 for s in plan["sessions"] if s["day"] == today) - 1
    assert ana.post(f"/api/v1/people/{ana.id}/presence-requests", {"day": today, "index": index}).status_code == 201


def test_a_presence_request_e_mails_her_supervisor_when_smtp_is_set(wiring: Wiring, smtp: Any) -> None:
    inbox, port = smtp
    wired = mailing(wiring, port)
    ana, _sam = with_supervisor(wired)
    ask_presence(ana, wired)
    assert [(n.kind, n.email_status) for n in notices(wiring)] == [("presence", "pending")]
    assert send(wired).sent == 1
    assert inbox.messages[0]["Subject"] == "bumpwell: Ana asks you to be with her for a session"
    assert inbox.messages[0]["To"] == "sam.supervisor@example.org"


def test_a_presence_request_without_smtp_is_a_notice_in_the_app_only(wiring: Wiring) -> None:
    ana, _sam = with_supervisor(wiring)
    ask_presence(ana, wiring)
    assert [(n.kind, n.email_status) for n in notices(wiring)] == [("presence", "none")]


def test_a_clinicians_message_is_e_mailed_to_her_own_address_when_smtp_is_set(wiring: Wiring, smtp: Any) -> None:
    inbox, port = smtp
    wired = mailing(wiring, port)
    ana, cleo = sign_up(wired, "person", "Ana"), sign_up(wired, "clinician", "Cleo")
    onboard(ana)
    invited = ana.post(f"/api/v1/people/{ana.id}/care-team/invitations", {"role": "clinician"}).json()
    cleo.post("/api/v1/care-team/join", {"code": invited["code"]})
    ana.post(f"/api/v1/people/{ana.id}/care-team/{invited['id']}/accept")
    made = cleo.post(f"/api/v1/people/{ana.id}/messages", {"text": "Please ring the clinic about Thursday."})
    assert (made.status_code, made.json()["email_status"]) == (201, "pending")
    assert send(wired).sent == 1
    message = inbox.messages[0]
    assert (message["To"], message["Subject"]) == ("ana.person@example.org", "bumpwell: a message from your care team")
    assert "Cleo wrote: Please ring the clinic about Thursday." in message.get_payload(decode=True).decode()


def test_when_the_server_is_down_the_notice_stays_pending_and_goes_later(wiring: Wiring, clock: Clock) -> None:
    ana, _sam = with_supervisor(wiring)
    red_flag(wiring, ana)
    port = free_port()  # nothing listens here yet
    wired = mailing(wiring, port)
    down = send(wired)
    assert (down.sent, down.failed) == (0, 1)
    kept = notices(wiring)[0]
    assert kept.email_status == "pending"
    assert kept.attempts == 1
    assert kept.last_error
    assert kept.next_attempt_at is not None
    assert kept.next_attempt_at > clock.now
    early = send(wired)
    assert (early.sent, early.failed) == (0, 0), "not retried before its time"
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        clock.advance(minutes=2)
        later = send(wired)
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


def test_claims_racing_in_two_threads_share_out_the_notices_without_overlap(wiring: Wiring, clock: Clock) -> None:
    ana, sam = with_supervisor(wiring)
    more_notices(wiring, ana, sam, 12)
    for _ in range(3):  # the race goes differently each time; a fresh lease time makes every notice due again
        clock.advance(minutes=10)
        start = threading.Barrier(2)

        def claim(start: threading.Barrier) -> list[str]:
            with wiring.stores() as store:
                start.wait()
                return [n.id for n in store.claim_due_notices(clock.now, clock.now + outbox.LEASE, 20)]

        with ThreadPoolExecutor(2) as pool:
            one, two = pool.submit(claim, start), pool.submit(claim, start)
            first, second = one.result(timeout=30), two.result(timeout=30)
        assert not set(first) & set(second)
        assert len(first) + len(second) == 12


def test_a_run_stops_sending_before_its_claim_runs_out_and_hands_the_rest_back(wiring: Wiring, clock: Clock) -> None:
    ana, sam = with_supervisor(wiring)
    more_notices(wiring, ana, sam, 3)
    sent: list[str] = []

    class SlowMailer:
        def send(self, to: str, subject: str, body: str) -> None:
            sent.append(body)
            clock.advance(minutes=2)  # a very slow server

    run = outbox.deliver(wiring.stores, SlowMailer(), wiring.clock, "https://bumpwell.example")
    assert (run.sent, run.failed) == (2, 0)
    left = [n for n in notices(wiring) if n.email_status == "pending"]
    assert len(left) == 1
    assert left[0].attempts == 0
    assert left[0].next_attempt_at == clock.now, "handed back to be taken at once, not after the lease"
    again = outbox.deliver(wiring.stores, SlowMailer(), wiring.clock, "https://bumpwell.example")
    assert again.sent == 1
    assert len(sent) == 3


def test_a_notice_another_worker_has_taken_meanwhile_is_left_to_it(wiring: Wiring, clock: Clock) -> None:
    ana, sam = with_supervisor(wiring)
    more_notices(wiring, ana, sam, 2)
    sent: list[str] = []

    class Mailer:
        def send(self, to: str, subject: str, body: str) -> None:
            sent.append(body)
            with wiring.stores() as store:  # meanwhile another worker holds the second notice
                other = next(n for n in store.find(NoticeRecord, {}) if n.text not in body)
                other.next_attempt_at = clock.now + outbox.LEASE + outbox.LEASE
                store.save(other)
                store.commit()

    run = outbox.deliver(wiring.stores, Mailer(), wiring.clock, "https://bumpwell.example")
    assert run.sent == 1
    assert len(sent) == 1
    assert [n.email_status for n in notices(wiring)].count("pending") == 1


def test_a_member_who_left_the_team_gets_no_e_mail(wiring: Wiring, smtp: Any) -> None:
    inbox, port = smtp
    ana, _sam = with_supervisor(wiring)
    red_flag(wiring, ana)
    link = ana.get(f"/api/v1/people/{ana.id}/care-team").json()[0]["id"]
    ana.delete(f"/api/v1/people/{ana.id}/care-team/{link}")
    wired = mailing(wiring, port)
    run = send(wired)
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
    detailed = CliRunner().invoke(app, ["notices", "list", "--pending"], env=env)
    assert detailed.exit_code == 0, detailed.output
    assert "to sam.supervisor@example.org  tries 0" in detailed.output
    assert "bleeding" not in detailed.output.lower(), "the admin's list shows no health details"
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
