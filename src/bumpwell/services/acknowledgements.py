"""Handled is handled (issue 17 §3): a clinician acknowledges an escalation or a missed-sessions line with a note
and until which day; the line leaves the board's need blocks until that day, or until something new comes (an
escalation it did not cover, more sessions missed). Red flags are never acknowledged this way: they are closed,
with a note of what was done (services.flags). Every acknowledgement is audited.
"""

from __future__ import annotations

from datetime import date, timedelta

from bumpwell.domain.access import Area, Verb
from bumpwell.domain.care_board import Need, Row, row
from bumpwell.domain.catalogue import Catalogue
from bumpwell.errors import Conflict, InvalidRequest, NotFound
from bumpwell.services.common import Call, authorize, new_id
from bumpwell.services.ports import Store
from bumpwell.services.records import AcknowledgementRecord

KINDS = {"escalation": Need.escalation, "missed": Need.missed}
NOTE_MAX = 2000


def _names(catalogue: Catalogue) -> dict[str, str]:
    return {code: rule.name for code, rule in catalogue.rules.items() if code.startswith(("CI-", "E"))}


def board_line(store: Store, call: Call, catalogue: Catalogue, person_id: str, today: date) -> Row:
    """Her line on the calling clinician's board, as the board shows it today."""
    authorize(store, call, Verb.read, Area.acknowledgements, person_id)
    found = store.board_facts(call.user.id, today, person_id)
    if not found:
        raise NotFound("person")
    return row(found[0], today, _names(catalogue), catalogue.policy.board_missed_min)


def _check(note: str, until: date, today: date, longest: int) -> str:
    cleaned = note.strip()
    if not 1 <= len(cleaned) <= NOTE_MAX:
        raise InvalidRequest("note", f"must say what was done or decided, 1 to {NOTE_MAX} characters")
    if not today < until <= today + timedelta(days=longest):
        last = today + timedelta(days=longest)
        raise InvalidRequest("until", f"must be a day after today and at most {longest} days on ({last} at the latest)")
    return cleaned


def acknowledge(
    store: Store, call: Call, catalogue: Catalogue, person_id: str, kind: str, note: str, until: date, today: date
) -> AcknowledgementRecord:
    """Acknowledge her escalation or missed-sessions line until ``until``; 409 when her line is not of that kind."""
    if kind not in KINDS:
        raise InvalidRequest("kind", "must be escalation or missed")
    authorize(store, call, Verb.write, Area.acknowledgements, person_id, kind)
    cleaned = _check(note, until, today, catalogue.policy.acknowledge_max_days)
    line = board_line(store, call, catalogue, person_id, today)
    if line.need is not KINDS[kind]:
        what = "escalation" if kind == "escalation" else "missed sessions"
        raise Conflict("kind", f"her board line shows no {what} to acknowledge now")
    record = AcknowledgementRecord(
        new_id(), person_id, kind, " ".join(line.facts.escalations) if kind == "escalation" else "", line.missed,
        call.user.id, call.user.display_name, cleaned, call.now, until,
    )  # fmt: skip
    store.add(record)
    return record


def list_acknowledgements(
    store: Store, call: Call, person_id: str, limit: int, offset: int
) -> tuple[list[AcknowledgementRecord], int]:
    """Her acknowledgements, newest first."""
    authorize(store, call, Verb.read, Area.acknowledgements, person_id)
    where = {"person_id": person_id}
    found = store.find(AcknowledgementRecord, where, order_by="created_at", descending=True, limit=limit, offset=offset)
    return found, store.count(AcknowledgementRecord, where)
