"""JSON API for care team members about their own work: notices, presence confirmations, the PIN, the board."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status

from bumpwell.domain.access import Role
from bumpwell.domain.care_board import Need
from bumpwell.domain.caseload import Sort, Stage
from bumpwell.domain.identity import identifiers
from bumpwell.errors import Forbidden
from bumpwell.services import board, flags, presence
from bumpwell.services.common import Call
from bumpwell.services.ports import Store
from bumpwell.web import schemas as s
from bumpwell.web.api_people import ItemId
from bumpwell.web.deps import CallerDep, PagingDep, StoreDep, WiringDep, in_own_unit
from bumpwell.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1/me", responses=PROBLEM_RESPONSES)
NeedName = Literal["red_flag", "escalation", "clearance", "missed", "handled", "on_track"]
StageName = Literal[
    "trimester_1", "trimester_2", "trimester_3", "postpartum_early", "postpartum_6_12", "postpartum_later"
]
SortName = Literal["need", "name", "born"]
SEARCH_HELP = (
    "the start of her given or family name (any case; two words: given then family), the start of her hospital "
    "number (spaces and - ignored), or her date of birth (YYYY-MM-DD or DD/MM/YYYY)"
)
STAGE_HELP = (
    "a trimester (from 14+0 and 28+0 weeks, content/policy.yaml), or after the birth: before the 6-week check, "
    "6 to 12 weeks, 12 weeks or more"
)


@router.get("/notices", tags=["care team"])
def notices(who: CallerDep, unit: StoreDep, paging: PagingDep) -> s.Page[s.NoticePublic]:
    """Notices for a supervisor or clinician (red flags, presence requests), newest first."""
    found, total = flags.my_notices(unit, who.user, paging.limit, paging.offset)
    return paging.page([s.NoticePublic.model_validate(n) for n in found], total)


@router.post("/notices/{notice_id}/read", tags=["care team"])
def read_notice(notice_id: ItemId, who: CallerDep, unit: StoreDep) -> s.NoticePublic:
    """Mark a notice as seen."""
    notice = flags.mark_read(unit, who.user, notice_id, who.call.now)
    unit.commit()
    return s.NoticePublic.model_validate(notice)


@router.get("/presence-requests", tags=["care team"])
def presence_requests(who: CallerDep, unit: StoreDep) -> list[s.PresencePublic]:
    """For a supervisor: the people asking, right now, that you confirm you are with them."""
    return [s.PresencePublic.model_validate(r) for r in presence.pending_for(unit, who.user, who.call.now)]


@router.post("/presence-requests/{request_id}/confirm", tags=["care team"])
def confirm_presence(request_id: ItemId, who: CallerDep, unit: StoreDep) -> s.PresencePublic:
    """A supervisor confirms, on their own phone, that they are with the person; her session can then start."""
    record = presence.confirm(unit, who.user, request_id, who.call.now)
    unit.commit()
    return s.PresencePublic.model_validate(record)


@router.put("/pin", tags=["care team"], status_code=status.HTTP_204_NO_CONTENT)
def set_pin(body: s.PinUpdate, who: CallerDep, wiring: WiringDep) -> Response:
    """A supervisor sets the PIN they type on the person's phone to confirm they are there."""
    user = who.user

    def work(own: Store) -> None:
        presence.set_pin(own, wiring.hasher, user, body.pin)

    in_own_unit(wiring, work)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/board", tags=["clinician"])
def clinician_board(
    who: CallerDep, unit: StoreDep, wiring: WiringDep, paging: PagingDep,
    q: Annotated[str, Query(max_length=80, description=SEARCH_HELP)] = "",
    need: Annotated[NeedName | None, Query(description="only people at this level of need")] = None,
    stage: Annotated[StageName | None, Query(description=STAGE_HELP)] = None,
    sort: Annotated[SortName, Query(description="need (most pressing first), name (family name) or born")] = "need",
) -> s.BoardPublic:  # fmt: skip
    """For a clinician: linked people ordered by need (red flags, escalations, clearances, missed sessions), found
    by name, hospital number or date of birth, narrowed to a level of need or a stage, or sorted otherwise."""
    if who.user.role != Role.clinician:
        raise Forbidden("the board is for clinicians")
    query = board.BoardQuery(q, Need[need] if need else None, Stage(stage) if stage else None, Sort(sort))
    found = board.board(
        unit, Call(who.user, who.call.now), wiring.catalogue, wiring.today(), paging.limit, paging.offset, query
    )
    unit.commit()
    items = [
        s.BoardRowPublic(
            person_id=r.facts.person_id,
            name=r.facts.name,
            family_name=r.facts.family_name,
            date_of_birth=r.facts.date_of_birth,
            hospital_number=r.facts.hospital_number,
            identifiers=identifiers(r.facts.identity),
            need=r.need.name,
            reason=r.reason,
            open_flags=r.facts.open_flags,
            latest_flag_at=r.facts.latest_flag_at,
            escalations=list(r.facts.escalations),
            uncleared=list(r.facts.uncleared),
            sessions_done_7d=r.facts.done_7d,
            sessions_missed_7d=r.missed,
            pain_7d=r.facts.pain_7d,
            pain_prev_7d=r.facts.pain_prev_7d,
        )
        for r in found.rows
    ]
    counts = {need.name: n for need, n in found.counts.items()}
    return s.BoardPublic(
        counts=counts, items=items, total=found.total, everyone=found.everyone, limit=paging.limit,
        offset=paging.offset,
    )  # fmt: skip
