"""Her stage over time: the checklist she is asked, the birth question from 37+0, and recording the birth.

Every surface asks these functions, so the check pages, Today and the API agree on when to ask "has your baby
arrived?" and what to ask before a session after it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from bumpwell.domain.catalogue import Catalogue
from bumpwell.domain.checklist import StageList
from bumpwell.domain.stage import GESTATION_WEEKS, gestation_on, postpartum_on
from bumpwell.errors import Conflict
from bumpwell.services import people
from bumpwell.services.common import Call
from bumpwell.services.ports import Store
from bumpwell.services.records import PersonRecord

Question = Literal["none", "birth", "birth_needed"]


@dataclass(frozen=True, slots=True)
class StageToday:
    """Where she is today and what the app must ask: ``birth`` from 37+0, ``birth_needed`` past 42+6."""

    status: str
    weeks: int
    days: int
    question: Question


def stage_today(person: PersonRecord, catalogue: Catalogue, today: date) -> StageToday:
    """Her weeks of pregnancy (or since the birth) today, and whether the birth question is due."""
    if person.status == "postpartum" and person.birth_date is not None:
        weeks, days = postpartum_on(person.birth_date, today)
        return StageToday("postpartum", weeks, days, "none")
    assert person.due_date is not None  # put_profile requires it while pregnant
    weeks, days = gestation_on(person.due_date, today)
    if weeks > GESTATION_WEEKS[1]:
        return StageToday("pregnant", weeks, days, "birth_needed")
    term = weeks * 7 + days >= catalogue.policy.term_from_days
    return StageToday("pregnant", weeks, days, "birth" if term else "none")


def checklist(store: Store, call: Call, catalogue: Catalogue, person_id: str, today: date) -> StageList:
    """The warning-sign checklist for her stage today (pregnancy's until a profile says otherwise)."""
    found = store.get(PersonRecord, person_id)
    if found is None or found.status != "postpartum" or found.birth_date is None:
        return catalogue.checklist.for_stage("pregnant")
    person = people.get_profile(store, call, person_id)
    assert person.birth_date is not None
    return catalogue.checklist.for_stage("postpartum", postpartum_on(person.birth_date, today)[0])


@dataclass(frozen=True, slots=True)
class Birth:
    """What she tells about the birth."""

    birth_date: date | None
    delivery: str | None
    perineal_tear: bool


def record_birth(
    store: Store, call: Call, catalogue: Catalogue, person_id: str, birth: Birth, today: date
) -> PersonRecord:
    """Her baby has arrived: from now on her stage is postpartum everywhere (checked as any profile change)."""
    person = people.get_profile(store, call, person_id)
    if person.status == "postpartum":
        recorded = f"the birth is already recorded ({person.birth_date}); change it on your account page"
        raise Conflict("birth_date", recorded)
    data = replace(
        people.input_of(person), status="postpartum", due_date=None,
        birth_date=birth.birth_date, delivery=birth.delivery, perineal_tear=birth.perineal_tear,
    )  # fmt: skip
    return people.put_profile(store, call, catalogue, person_id, data, today)
