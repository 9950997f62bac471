"""JSON API: a person's identifiers (given and family name, date of birth, hospital number, phone)."""

from __future__ import annotations

from fastapi import APIRouter

from bumpwell.domain.identity import Identity, identifiers
from bumpwell.services import identity
from bumpwell.web import schemas as s
from bumpwell.web.api_people import PersonId
from bumpwell.web.deps import CallerDep, StoreDep, WiringDep
from bumpwell.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1/people/{person_id}", responses=PROBLEM_RESPONSES)


def identity_public(found: Identity) -> s.IdentityPublic:
    """The response body for a person's identifiers."""
    return s.IdentityPublic(
        given_name=found.given_name, family_name=found.family_name, date_of_birth=found.date_of_birth,
        hospital_number=found.hospital_number, phone=found.phone, complete=found.complete,
        identifiers=identifiers(found),
    )  # fmt: skip


@router.get("/identity", tags=["person"])
def get_identity(person_id: PersonId, who: CallerDep, unit: StoreDep) -> s.IdentityPublic:
    """Her names, date of birth, hospital number and phone: for her and her care team's clinicians."""
    found = identity.get_identity(unit, who.call, person_id)
    unit.commit()
    return identity_public(found)


@router.put("/identity", tags=["person"])
def put_identity(
    person_id: PersonId, body: s.IdentityUpdate, who: CallerDep, unit: StoreDep, wiring: WiringDep
) -> s.IdentityPublic:
    """Complete or correct her identifiers (only she may); every field is checked, with a 422 naming it."""
    data = identity.IdentityInput(**body.model_dump())
    found = identity.update_identity(unit, who.call, wiring.catalogue.policy, person_id, data, wiring.today())
    unit.commit()
    return identity_public(found)
