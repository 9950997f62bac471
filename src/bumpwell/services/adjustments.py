"""A clinician adjusts a person's plans: takes an exercise out or changes its dose, with a reason (issue: care team).

The change is audited, applies at once to the current plan and to every plan made while it stands, and the person
sees who changed what and why. Ending it restores the engine's plan.
"""

from __future__ import annotations

from typing import Any

from bumpwell.domain.access import Area, Verb
from bumpwell.domain.adjustments import problem
from bumpwell.domain.catalogue import Catalogue
from bumpwell.errors import Conflict, InvalidRequest, NotFound
from bumpwell.services.checkins import adjust_plan
from bumpwell.services.common import Call, authorize, new_id
from bumpwell.services.ports import Store
from bumpwell.services.records import CheckInRecord, PlanAdjustmentRecord, PlanRecord


def _refresh_current(store: Store, catalogue: Catalogue, person_id: str) -> None:
    found = store.find(PlanRecord, {"person_id": person_id}, order_by="created_at", descending=True, limit=1)
    if not found:
        return
    check = store.get(CheckInRecord, found[0].check_in_id)
    if check is not None:
        adjust_plan(store, catalogue, found[0], check)
        store.save(found[0])


def add(
    store: Store, call: Call, catalogue: Catalogue, person_id: str,
    exercise: str, action: str, dose: dict[str, Any] | None, reason: str,
) -> PlanAdjustmentRecord:  # fmt: skip
    """Record an adjustment and apply it to the current plan."""
    authorize(store, call, Verb.write, Area.adjustments, person_id, f"plan adjusted: {action} {exercise}")
    found = problem(exercise, action, dose, catalogue)
    if found is not None:
        raise InvalidRequest(*found)
    cleaned = reason.strip()
    if not 3 <= len(cleaned) <= 500:
        raise InvalidRequest("reason", "say why in 3 to 500 characters; the person reads it")
    for other in store.find(PlanAdjustmentRecord, {"person_id": person_id, "exercise": exercise, "ended_at": None}):
        if other.action == "exclude" or action == "exclude":
            raise Conflict("exercise", f"{exercise} already has a standing change; end it first")
    record = PlanAdjustmentRecord(
        new_id(), person_id, call.user.id, call.user.display_name, exercise, action,
        dict(dose) if dose else None, cleaned, call.now,
    )  # fmt: skip
    store.add(record)
    _refresh_current(store, catalogue, person_id)
    return record


def end(store: Store, call: Call, catalogue: Catalogue, person_id: str, adjustment_id: str) -> PlanAdjustmentRecord:
    """End a standing adjustment: the engine's plan applies again from now."""
    authorize(store, call, Verb.write, Area.adjustments, person_id, "plan adjustment ended")
    record = store.get(PlanAdjustmentRecord, adjustment_id)
    if record is None or record.person_id != person_id:
        raise NotFound("plan adjustment")
    if record.ended_at is not None:
        return record
    record.ended_at, record.ended_by_name = call.now, call.user.display_name
    store.save(record)
    _refresh_current(store, catalogue, person_id)
    return record


def list_adjustments(
    store: Store, call: Call, person_id: str, limit: int, offset: int
) -> tuple[list[PlanAdjustmentRecord], int]:
    """Every adjustment, standing or ended, newest first."""
    authorize(store, call, Verb.read, Area.adjustments, person_id)
    where = {"person_id": person_id}
    found = store.find(PlanAdjustmentRecord, where, order_by="created_at", descending=True, limit=limit, offset=offset)
    return found, store.count(PlanAdjustmentRecord, where)
