"""The secret calendar address: 256 random bits in the URL, only a hash stored, replaced or revoked at will."""

from __future__ import annotations

from bumpwell.domain.access import Area, Verb
from bumpwell.errors import NotFound
from bumpwell.services.common import Call, authorize, digest, new_secret
from bumpwell.services.ports import Store
from bumpwell.services.records import CalendarFeedRecord


def new_feed(store: Store, call: Call, person_id: str) -> str:
    """A new secret for the person's feed (the old address stops working); shown once."""
    authorize(store, call, Verb.write, Area.account, person_id, "calendar feed address")
    plain, token_hash = new_secret()
    old = store.get(CalendarFeedRecord, person_id)
    if old is not None:
        store.remove(old)
    store.add(CalendarFeedRecord(person_id, token_hash, call.now))
    return plain


def revoke_feed(store: Store, call: Call, person_id: str) -> None:
    """Turn the feed off: its address answers 404 from now on."""
    authorize(store, call, Verb.write, Area.account, person_id, "calendar feed revoked")
    old = store.get(CalendarFeedRecord, person_id)
    if old is None:
        raise NotFound("calendar feed")
    store.remove(old)


def feed_owner(store: Store, secret: str) -> str:
    """Whose feed this secret opens; ``NotFound`` for an unknown or revoked one."""
    found = store.find(CalendarFeedRecord, {"token_hash": digest(secret)}, limit=1)
    if not found:
        raise NotFound("calendar feed")
    return found[0].person_id
