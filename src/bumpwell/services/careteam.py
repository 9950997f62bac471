"""The care team: a person invites a supervisor or clinician with a one-time code, accepts them, removes them.

Nothing is shared until the person accepts someone who redeemed the code; removal takes effect at once.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from bumpwell.domain.access import NOTE_AREAS, Area, Role, Verb
from bumpwell.errors import Conflict, Forbidden, InvalidRequest, NotFound
from bumpwell.services.common import Call, authorize, digest, new_id
from bumpwell.services.flags import reads_clinical
from bumpwell.services.ports import Store
from bumpwell.services.records import CareLinkRecord, NoteRecord, UserRecord

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
CODE_LENGTH = 12  # 60 bits, used once, valid for days: guessing is hopeless
MEMBER_ROLES = (Role.supervisor, Role.clinician)


def _code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def invite(store: Store, call: Call, person_id: str, role: Role, days: int) -> tuple[CareLinkRecord, str]:
    """A new invitation; the code is shown once, to be passed on by the person."""
    authorize(store, call, Verb.write, Area.care_team, person_id, f"invited a {role.value}")
    if role not in MEMBER_ROLES:
        raise InvalidRequest("role", "must be supervisor or clinician")
    code = _code()
    link = CareLinkRecord(
        new_id(),
        person_id,
        None,
        role.value,
        "invited",
        digest(_normalise(code)),
        call.now,
        call.now + timedelta(days=days),
    )
    store.add(link)
    return link, code


def join(store: Store, user: UserRecord, code: str, now: datetime) -> CareLinkRecord:
    """A supervisor or clinician redeems a code; the person must then accept before anything is shared."""
    found = store.find(CareLinkRecord, {"code_hash": digest(_normalise(code))}, limit=1)
    if not found or found[0].status != "invited" or found[0].expires_at <= now:
        raise InvalidRequest("code", "this invitation code is unknown, used or expired; ask for a new one")
    link = found[0]
    if user.role != link.role:
        raise Forbidden(f"this code invites a {link.role}; log in with a {link.role} account to use it")
    if store.find(CareLinkRecord, {"person_id": link.person_id, "member_id": user.id, "status": "active"}, limit=1):
        raise Conflict("code", "you are already on this person's care team")
    link.member_id, link.status, link.joined_at, link.code_hash = user.id, "pending", now, None
    store.save(link)
    return link


def _link(store: Store, person_id: str, link_id: str) -> CareLinkRecord:
    link = store.get(CareLinkRecord, link_id)
    if link is None or link.person_id != person_id:
        raise NotFound("care team member")
    return link


def accept(store: Store, call: Call, person_id: str, link_id: str) -> CareLinkRecord:
    """The person accepts someone who redeemed their code: from now on that member sees their part."""
    authorize(store, call, Verb.write, Area.care_team, person_id, "accepted a care team member")
    link = _link(store, person_id, link_id)
    if link.status != "pending":
        raise Conflict("status", f"only a member who used the code can be accepted; this one is {link.status}")
    link.status, link.accepted_at = "active", call.now
    store.save(link)
    return link


def remove(store: Store, call: Call, person_id: str, link_id: str) -> CareLinkRecord:
    """The person removes a member (or withdraws an invitation); a member may also leave. Takes effect at once."""
    found = store.get(CareLinkRecord, link_id)
    if found is None or found.member_id != call.user.id:  # not the member leaving: the person's right, checked first
        authorize(store, call, Verb.write, Area.care_team, person_id, "removed a care team member")
    link = _link(store, person_id, link_id)
    if link.status == "removed":
        return link
    link.status, link.removed_at, link.code_hash = "removed", call.now, None
    store.save(link)
    return link


def team(store: Store, call: Call, person_id: str) -> list[tuple[CareLinkRecord, UserRecord | None]]:
    """Everyone invited to, waiting on or sitting on the person's care team."""
    authorize(store, call, Verb.read, Area.care_team, person_id)
    links = store.find(CareLinkRecord, {"person_id": person_id}, order_by="created_at")
    return [(link, store.get(UserRecord, link.member_id) if link.member_id else None) for link in links]


def my_people(store: Store, user: UserRecord) -> list[tuple[CareLinkRecord, UserRecord]]:
    """For a supervisor or clinician: the people whose care team they are on (pending or active)."""
    out = []
    for status in ("active", "pending"):
        for link in store.find(CareLinkRecord, {"member_id": user.id, "status": status}, order_by="created_at"):
            person = store.get(UserRecord, link.person_id)
            if person is not None:
                out.append((link, person))
    return out


def add_note(store: Store, call: Call, person_id: str, text: str, visibility: str) -> NoteRecord:
    """A clinician's note on the person: ``to_her`` (she reads it) or ``clinical`` (her clinicians only)."""
    area = NOTE_AREAS.get(visibility)
    authorize(store, call, Verb.write, area or Area.notes, person_id, "note")
    if area is None:
        message = "choose who reads it: she does, or her care team's clinicians only (clinical)"
        raise InvalidRequest("visibility", message)
    cleaned = text.strip()
    if not 1 <= len(cleaned) <= 4000:
        raise InvalidRequest("text", "must be 1 to 4000 characters long")
    note = NoteRecord(new_id(), person_id, call.user.id, call.user.display_name, cleaned, call.now, visibility)
    store.add(note)
    return note


def notes(store: Store, call: Call, person_id: str, limit: int, offset: int) -> tuple[list[NoteRecord], int]:
    """Notes on the person the caller may read, newest first: clinical ones for her clinicians only."""
    authorize(store, call, Verb.read, Area.notes, person_id)
    where: dict[str, object] = {"person_id": person_id}
    if not reads_clinical(store, call, person_id):
        where["visibility"] = "to_her"
    found = store.find(NoteRecord, where, order_by="created_at", descending=True, limit=limit, offset=offset)
    return found, store.count(NoteRecord, where)
