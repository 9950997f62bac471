"""A short message from her clinician to her (issue 17 point 6): a notice she reads on /notices, and an e-mail to
her own address when the installation has an SMTP server. One line at a time, no thread: she answers her care team
the way she usually does (the phone number on her page, or her next appointment)."""

from __future__ import annotations

from bumpwell.domain.access import Area, Verb
from bumpwell.errors import InvalidRequest
from bumpwell.services.common import Call, authorize, new_id
from bumpwell.services.ports import Store
from bumpwell.services.records import NoticeRecord

MESSAGE_CHARS = 500  # a short message that fits an e-mail's first lines and a phone's notice, not a letter


def send_message(store: Store, call: Call, person_id: str, text: str, mail: bool) -> NoticeRecord:
    """Her clinician sends her a short message: a notice to her about her, e-mailed when ``mail``; audited."""
    authorize(store, call, Verb.write, Area.notes, person_id, "message to her")
    cleaned = " ".join(text.split())
    if not 1 <= len(cleaned) <= MESSAGE_CHARS:
        raise InvalidRequest("text", f"must be 1 to {MESSAGE_CHARS} characters long")
    notice = NoticeRecord(
        new_id(), person_id, person_id, None, "message", f"{call.user.display_name} wrote: {cleaned}", call.now,
        email_status="pending" if mail else "none", next_attempt_at=call.now if mail else None,
    )  # fmt: skip
    store.add(notice)
    return notice


def sent_to(store: Store, call: Call, person_id: str, limit: int) -> list[NoticeRecord]:
    """The messages her clinicians sent her, newest first (her clinician's page lists them, with read or not)."""
    authorize(store, call, Verb.read, Area.notes, person_id)
    where = {"person_id": person_id, "recipient_id": person_id, "kind": "message"}
    return store.find(NoticeRecord, where, order_by="created_at", descending=True, limit=limit)
