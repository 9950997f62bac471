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
MAX_BACKOFF_MIN = 60
ERROR_CHARS = 300


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
    if notice.kind == "red_flag":
        subject = f"bumpwell: {person.display_name} reported a warning sign"
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


def _still_on_team(store: Store, notice: NoticeRecord) -> bool:
    return bool(
        store.find(
            CareLinkRecord,
            {"person_id": notice.person_id, "member_id": notice.recipient_id, "status": "active"},
            limit=1,
        )
    )


def deliver(
    stores: Callable[[], AbstractContextManager[Store]], mailer: Mailer, now: Callable[[], datetime],
    public_url: str, limit: int = 50,
) -> Run:  # fmt: skip
    """Send the notices that are due; returns how many went, failed (kept for later) or were not for sending."""
    with stores() as store:
        claimed = store.claim_due_notices(now(), now() + LEASE, limit)
    sent = failed = skipped = 0
    for notice in claimed:
        with stores() as store:
            current = store.get(NoticeRecord, notice.id)
            recipient = store.get(UserRecord, notice.recipient_id)
            person = store.get(UserRecord, notice.person_id)
            if current is None or recipient is None or person is None:
                continue  # deleted with its account meanwhile
            if not _still_on_team(store, current):
                current.email_status, current.last_error = "none", "recipient left the care team; not sent"
                store.save(current)
                store.commit()
                skipped += 1
                continue
            subject, body = compose(current, person, public_url)
            try:
                mailer.send(recipient.email, subject, body)
            except Exception as exc:  # any failure of the server or the network: keep it and try later
                current.attempts += 1
                current.last_error = f"{type(exc).__name__}: {exc}"[:ERROR_CHARS]
                current.next_attempt_at = now() + backoff(current.attempts)
                failed += 1
            else:
                current.attempts += 1
                current.email_status, current.sent_at, current.last_error = "sent", now(), None
                sent += 1
            store.save(current)
            store.commit()
    return Run(sent, failed, skipped)


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
