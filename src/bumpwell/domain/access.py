"""Who may do what to whose health data: the one policy every route and service asks (issue: accounts).

A person sees and changes only their own record. Someone the person invited, and whom the person then accepted,
sees part of it: a supervisor the schedule, the sessions and red-flag notices, never the diary; a clinician
everything, and may write notes, clearances and plan adjustments. Clinical notes (a red flag's closing note, a
note written as clinical) are for her care team's clinicians only: neither a supervisor nor the person herself reads
them. An admin runs the installation and sees no health data at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """Account roles."""

    person = "person"
    supervisor = "supervisor"
    clinician = "clinician"
    admin = "admin"


class Area(StrEnum):
    """Parts of a person's record, as access is decided."""

    profile = "profile"  # pregnancy, birth, preferences
    identity = "identity"  # family name, date of birth, hospital number, phone (her given name is on every page)
    screening = "screening"  # contraindication answers
    clearance = "clearance"  # a clinician's clearance and limits on a condition
    check_ins = "check_ins"  # assessment requests and the engine's answers
    schedule = "schedule"  # plans and sessions
    sessions = "sessions"  # starting, logging and ending sessions
    diary = "diary"
    progress = "progress"
    notes = "notes"
    clinical_notes = "clinical_notes"  # what clinicians write for each other (a red flag's closing note): never hers
    adjustments = "adjustments"  # a clinician's changes to the plans (take out, change a dose)
    acknowledgements = "acknowledgements"  # a clinician's "handled" on a board line, with a note and until when
    red_flags = "red_flags"
    care_team = "care_team"
    audit = "audit"
    account = "account"  # export and deletion


class Verb(StrEnum):
    """Reading or changing."""

    read = "read"
    write = "write"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is asking."""

    user_id: str
    role: Role


# Who reads a clinician's note, as the area of her record it falls in: one to her is hers to read, a clinical one is
# her care team's clinicians' only (issue 17 point 5).
NOTE_AREAS: dict[str, Area] = {"to_her": Area.notes, "clinical": Area.clinical_notes}

_OWN: dict[Verb, frozenset[Area]] = {
    Verb.read: frozenset(Area) - {Area.clinical_notes},
    Verb.write: frozenset(Area)
    - {Area.clearance, Area.notes, Area.clinical_notes, Area.adjustments, Area.acknowledgements, Area.audit},
}
_LINKED: dict[Role, dict[Verb, frozenset[Area]]] = {
    Role.supervisor: {
        Verb.read: frozenset({Area.schedule, Area.red_flags}),
        Verb.write: frozenset(),
    },
    Role.clinician: {
        # the audit trail too (issue 17 point 10): her clinician answers for who opened her record
        Verb.read: frozenset(Area) - {Area.care_team, Area.account},
        Verb.write: frozenset(
            {Area.clearance, Area.notes, Area.clinical_notes, Area.adjustments, Area.acknowledgements}
        ),
    },
}


def may(actor: Actor, verb: Verb, area: Area, owner_id: str, linked_as: Role | None) -> bool:
    """Whether ``actor`` may ``verb`` the ``area`` of the record of person ``owner_id``.

    ``linked_as`` is the role in which the actor sits on that person's care team, counting only links the person
    has accepted and not removed; ``None`` when there is no such link.
    """
    if actor.role is Role.person and actor.user_id == owner_id:
        return area in _OWN[verb]
    if linked_as is None or linked_as is not actor.role:
        return False
    return area in _LINKED.get(linked_as, {}).get(verb, frozenset())
