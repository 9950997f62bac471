"""What every use case shares: ids, secrets, the access check and the audit trail."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from bumpwell.domain.access import Actor, Area, Role, Verb, may
from bumpwell.errors import Forbidden, NotFound
from bumpwell.services.ports import Store
from bumpwell.services.records import AuditRecord, CareLinkRecord, UserRecord


def new_id() -> str:
    """A random identifier (UUID 4)."""
    return str(uuid.uuid4())


def new_secret(prefix: str = "") -> tuple[str, str]:
    """A secret with 256 random bits, and the hash under which it is stored."""
    plain = prefix + secrets.token_urlsafe(32)
    return plain, digest(plain)


def digest(secret: str) -> str:
    """SHA-256 of a secret; only this is stored, so a database leak gives no working token."""
    return hashlib.sha256(secret.encode()).hexdigest()


def actor_of(user: UserRecord) -> Actor:
    """The access-policy view of an account."""
    return Actor(user.id, Role(user.role))


@dataclass(frozen=True, slots=True)
class Call:
    """Who is calling and when: every service that touches health data takes one."""

    user: UserRecord
    now: datetime

    @property
    def actor(self) -> Actor:
        """The caller as the access policy sees them."""
        return actor_of(self.user)


def linked_as(store: Store, member_id: str, person_id: str) -> Role | None:
    """The role in which ``member_id`` sits on the person's care team, once the person has accepted."""
    links = store.find(CareLinkRecord, {"person_id": person_id, "member_id": member_id, "status": "active"}, limit=1)
    return Role(links[0].role) if links else None


def authorize(store: Store, call: Call, verb: Verb, area: Area, person_id: str, detail: str = "") -> None:
    """Allow the call or raise; record in the audit log every change, and every read by someone else.

    Someone with no link to the person gets ``NotFound``, so that ids cannot be probed; someone on the care team
    who may not see this part gets ``Forbidden`` with the reason.
    """
    actor = call.actor
    own = actor.role is Role.person and actor.user_id == person_id
    role = None if own else linked_as(store, actor.user_id, person_id)
    if not may(actor, verb, area, person_id, role):
        if own or role is not None:
            raise Forbidden(f"a {actor.role.value} may not {verb.value} the {area.value.replace('_', ' ')} here")
        raise NotFound("person")
    if verb is Verb.write or not own:
        store.add(AuditRecord(call.now, actor.user_id, actor.role.value, person_id, verb.value, area.value, detail))
