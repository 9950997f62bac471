"""JSON API: a clinician's acknowledgements of a person's board line (an escalation, missed sessions)."""

from __future__ import annotations

from fastapi import APIRouter, status

from bumpwell.services import acknowledgements
from bumpwell.services.records import AcknowledgementRecord
from bumpwell.web import schemas as s
from bumpwell.web.api_people import PersonId
from bumpwell.web.deps import CallerDep, PagingDep, StoreDep, WiringDep
from bumpwell.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1/people/{person_id}", responses=PROBLEM_RESPONSES)


def _public(record: AcknowledgementRecord) -> s.AcknowledgementPublic:
    return s.AcknowledgementPublic(
        id=record.id, kind=record.kind, codes=record.codes.split(), missed=record.missed, by_name=record.by_name,
        note=record.note, created_at=record.created_at, until=record.until,
    )  # fmt: skip


@router.get("/acknowledgements", tags=["clinician"])
def list_acknowledgements(
    person_id: PersonId, who: CallerDep, unit: StoreDep, paging: PagingDep
) -> s.Page[s.AcknowledgementPublic]:
    """Which of her board lines her clinicians marked as handled, why and until when, newest first."""
    found, total = acknowledgements.list_acknowledgements(unit, who.call, person_id, paging.limit, paging.offset)
    unit.commit()
    return paging.page([_public(r) for r in found], total)


@router.post("/acknowledgements", tags=["clinician"], status_code=status.HTTP_201_CREATED)
def acknowledge(
    person_id: PersonId, body: s.AcknowledgementCreate, who: CallerDep, unit: StoreDep, wiring: WiringDep
) -> s.AcknowledgementPublic:
    """Mark her escalation or missed-sessions line as handled until a day; 409 when her line is not of that kind."""
    record = acknowledgements.acknowledge(
        unit, who.call, wiring.catalogue, person_id, body.kind, body.note, body.until, wiring.today()
    )
    unit.commit()
    return _public(record)
