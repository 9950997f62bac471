"""A person's identifiers: given and family name, date of birth, hospital number and phone (issue 17 §1).

They are asked at sign-up and kept on her account; accounts made before them are asked to complete them. The
checks are :mod:`bumpwell.domain.identity`; the ages accepted are policy. Her care team's clinicians read them;
supervisors do not (they see her given name, as before).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bumpwell.domain.access import Area, Verb
from bumpwell.domain.catalogue import Policy
from bumpwell.domain.identity import (
    Identity,
    check_date_of_birth,
    clean_hospital_number,
    clean_name,
    clean_phone,
)
from bumpwell.errors import InvalidRequest, NotFound
from bumpwell.services.common import Call, authorize
from bumpwell.services.ports import Store
from bumpwell.services.records import UserRecord


@dataclass(frozen=True, slots=True)
class IdentityInput:
    """What she types; checked by :func:`check_identity`. Empty optional fields are ``None`` or ``""``."""

    given_name: str
    family_name: str | None
    date_of_birth: date | None
    hospital_number: str | None = None
    phone: str | None = None


def check_identity(data: IdentityInput, today: date, policy: Policy) -> Identity:
    """The identifiers cleaned and checked, or ``InvalidRequest`` naming the first field that is wrong."""
    given = clean_name(data.given_name, "given_name")
    if not (data.family_name or "").strip():
        raise InvalidRequest("family_name", "is needed, so that her clinicians can tell her apart from others")
    family = clean_name(data.family_name or "", "family_name")
    if data.date_of_birth is None:
        raise InvalidRequest("date_of_birth", "is needed (YYYY-MM-DD), so that her clinicians can tell her apart")
    born = check_date_of_birth(data.date_of_birth, today, policy.identity_min_age_years, policy.identity_max_age_years)
    return Identity(given, family, born, clean_hospital_number(data.hospital_number), clean_phone(data.phone))


def identity_of(user: UserRecord) -> Identity:
    """The identifiers stored on an account (the account's name is her given name)."""
    return Identity(user.display_name, user.family_name, user.date_of_birth, user.hospital_number, user.phone)


def apply_identity(user: UserRecord, identity: Identity) -> None:
    """Write checked identifiers onto an account record (the caller saves it)."""
    user.display_name, user.family_name, user.date_of_birth = (
        identity.given_name,
        identity.family_name,
        (identity.date_of_birth),
    )
    user.hospital_number, user.phone = identity.hospital_number, identity.phone


def get_identity(store: Store, call: Call, person_id: str) -> Identity:
    """Her identifiers, for herself and her care team's clinicians (audited)."""
    authorize(store, call, Verb.read, Area.identity, person_id)
    user = store.get(UserRecord, person_id)
    if user is None or user.role != "person":
        raise NotFound("person")
    return identity_of(user)


def update_identity(
    store: Store, call: Call, policy: Policy, person_id: str, data: IdentityInput, today: date
) -> Identity:
    """Complete or correct her identifiers; only she may (audited)."""
    authorize(store, call, Verb.write, Area.identity, person_id, "identity")
    user = store.get(UserRecord, person_id)
    if user is None or user.role != "person":
        raise NotFound("person")
    identity = check_identity(data, today, policy)
    apply_identity(user, identity)
    store.save(user)
    return identity
