"""The e-mail outbox of notices: a pending notice is sent, or kept and retried later; it is never dropped.

A run claims the notices that are due (so two server workers never send the same one), sends each, and commits
after each one, so that a crash loses nothing. A failure keeps the notice pending with the error and a later retry
time (1, 2, 4 ... minutes, at most an hour). The e-mail carries only the notice's one line and a link to the app:
no diary text, no check-in answers. A notice for someone who has left the person's care team is not sent at all.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

from bumpwell.services.ports import Mailer, Store
from bumpwell.services.records import CareLinkRecord, NoticeRecord, UserRecord

LEASE = timedelta(minutes=5)  # a claimed notice is left alone this long by other workers
SEND_MARGIN = timedelta(minutes=2)  # stop sending this long before the lease ends: one slow send fits in it
MAX_BACKOFF_MIN = 60
ERROR_CHARS = 300
RESET_KIND = "reset_link"  # services.credentials: the e-mail carries the link, which is wiped once it went
LINK_SENT = "A link to choose a new password was e-mailed to your address."
LEFT_TEAM = "recipient left the care team; not sent"


@dataclass(frozen=True, slots=True)
class Run:
    """What one run of the outbox did."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0


def backoff(attempts: int) -> timedelta:
    """How long to wait before the next try after ``attempts`` failures: 1, 2, 4 ... minutes, at most an hour."""
    return timedelta(minutes=min(MAX_BACKOFF_MIN, 2 ** max(0, attempts - 1)))


def compose(notice: NoticeRecord, person: UserRecord, public_url: str) -> tuple[str, str]:
    """Subject and body of the e-mail for ``notice``."""
    if notice.kind == "account":
        return _compose_account(notice, public_url)
    if notice.kind == RESET_KIND:
        return "bumpwell: a link to choose a new password", f"{notice.text}\n"
    if notice.kind == "message":
        return _compose_message(notice, public_url)
    if notice.kind == "red_flag":
        subject = f"bumpwell: {person.display_name} reported a warning sign"
    elif notice.kind == "presence":
        subject = f"bumpwell: {person.display_name} asks you to be with her for a session"
    else:
        subject = f"bumpwell: a message about {person.display_name}"
    when = notice.created_at.strftime("%d %b %Y, %H:%M UTC").lstrip("0")
    body = (
        f"{notice.text}.\n\n"
        f"When: {when}\n\n"
        f"Open bumpwell to see it and what to do: {public_url}/notices\n\n"
        "If she needs help now, call the emergency number or her maternity unit.\n\n"
        "This e-mail holds no health details beyond the line above; everything else stays in bumpwell.\n"
    )
    return subject, body


def _compose_message(notice: NoticeRecord, public_url: str) -> tuple[str, str]:
    """A clinician's short message to her: to her own address, about her, so its words may travel."""
    body = (
        f"{notice.text}\n\n"
        f"Open bumpwell to read it and reply to your care team as you usually do: {public_url}/notices\n\n"
        "This e-mail was sent to the address of your bumpwell account.\n"
    )
    return "bumpwell: a message from your care team", body


def _compose_account(notice: NoticeRecord, public_url: str) -> tuple[str, str]:
    """A notice about the owner's own account (a password reset or change): to her, about her."""
    body = (
        f"{notice.text}\n\n"
        f"Open bumpwell to see it: {public_url}/notices\n\n"
        "This e-mail was sent to the address of your bumpwell account.\n"
    )
    return "bumpwell: your account's password", body


def _still_on_team(store: Store, notice: NoticeRecord) -> bool:
    if notice.recipient_id == notice.person_id:
        return True  # a notice to her about her own account
    return bool(
        store.find(
            CareLinkRecord,
            {"person_id": notice.person_id, "member_id": notice.recipient_id, "status": "active"},
            limit=1,
        )
    )


def _send_one(store: Store, notice_id: str, lease_until: datetime, mailer: Mailer, now: Callable[[], datetime],
              public_url: str) -> str:  # fmt: skip
    """Send one claimed notice and record the outcome: ``sent``, ``failed``, ``skipped`` or ``gone``."""
    current = store.get(NoticeRecord, notice_id)
    if current is None or current.email_status != "pending" or current.next_attempt_at != lease_until:
        return "gone"  # deleted with its account, or no longer ours: leave it alone
    recipient = store.get(UserRecord, current.recipient_id)
    person = store.get(UserRecord, current.person_id)
    if recipient is None or person is None:
        return "gone"
    if not _still_on_team(store, current):
        # She took their access away: telling them about her now would be a leak. Kept in the app, not e-mailed.
        current.email_status, current.last_error = "none", LEFT_TEAM
        store.save(current)
        return "skipped"
    subject, body = compose(current, person, public_url)
    current.attempts += 1
    try:
        mailer.send(recipient.email, subject, body)
    except Exception as exc:  # any failure of the server or the network: keep it and try later
        current.last_error = f"{type(exc).__name__}: {exc}"[:ERROR_CHARS]
        current.next_attempt_at = now() + backoff(current.attempts)
        outcome = "failed"
    else:
        current.email_status, current.sent_at, current.last_error = "sent", now(), None
        if current.kind == RESET_KIND:
            current.text = LINK_SENT  # the secret lives on in her mailbox only
        outcome = "sent"
    store.save(current)
    return outcome


def _release(store: Store, notice_id: str, lease_until: datetime, now: datetime) -> None:
    """Hand back a claimed notice this run had no time for, so the next run takes it at once."""
    current = store.get(NoticeRecord, notice_id)
    if current is not None and current.email_status == "pending" and current.next_attempt_at == lease_until:
        current.next_attempt_at = now
        store.save(current)


def deliver(
    stores: Callable[[], AbstractContextManager[Store]], mailer: Mailer, now: Callable[[], datetime],
    public_url: str, limit: int = 50,
) -> Run:  # fmt: skip
    """Send the notices that are due; returns how many went, failed (kept for later) or were not for sending.

    Sending stops well before the claim's lease ends, so that no other worker can take a notice this run is still
    sending; the ones left over are handed back for the next run.
    """
    start = now()
    lease_until = start + LEASE
    with stores() as store:
        claimed = [notice.id for notice in store.claim_due_notices(start, lease_until, limit)]
    counts = {"sent": 0, "failed": 0, "skipped": 0, "gone": 0}
    for notice_id in claimed:
        with stores() as store:
            if now() >= lease_until - SEND_MARGIN:
                _release(store, notice_id, lease_until, now())
            else:
                counts[_send_one(store, notice_id, lease_until, mailer, now, public_url)] += 1
            store.commit()  # one notice at a time: a crash loses nothing
    return Run(counts["sent"], counts["failed"], counts["skipped"])


@dataclass(frozen=True, slots=True)
class Outbox:
    """How the outbox stands, for the administrator."""

    pending: int
    sent: int
    oldest_pending: datetime | None
    last_error: str | None


def status(store: Store) -> Outbox:
    """Counts and the oldest pending notice with its last error."""
    pending = store.find(NoticeRecord, {"email_status": "pending"}, order_by="created_at")
    sent = store.count(NoticeRecord, {"email_status": "sent"})
    errors = [n.last_error for n in pending if n.last_error]
    return Outbox(len(pending), sent, pending[0].created_at if pending else None, errors[-1] if errors else None)


@dataclass(frozen=True, slots=True)
class PendingMail:
    """One e-mail still to send, as the administrator sees it (no health details: not the notice's text)."""

    created_at: datetime
    recipient: str
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None


def pending(store: Store, limit: int = 50) -> list[PendingMail]:
    """The oldest ``limit`` e-mails still to send, with where they go and why they have not gone yet."""
    found = store.find(NoticeRecord, {"email_status": "pending"}, order_by="created_at", limit=limit)
    rows = []
    for notice in found:
        recipient = store.get(UserRecord, notice.recipient_id)
        address = recipient.email if recipient is not None else "(account deleted)"
        rows.append(PendingMail(notice.created_at, address, notice.attempts, notice.next_attempt_at, notice.last_error))
    return rows
