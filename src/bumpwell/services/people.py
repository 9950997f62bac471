"""A person's standing facts: pregnancy or birth, activity, preferences, screening answers and clearances."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from bumpwell.domain import identity
from bumpwell.domain.access import Area, Verb
from bumpwell.domain.catalogue import Catalogue
from bumpwell.domain.request import LIMIT_MINUTES
from bumpwell.domain.screening import clearable
from bumpwell.domain.stage import GESTATION_WEEKS, due_dates_accepted, gestation_on, postpartum_on
from bumpwell.errors import Conflict, InvalidRequest, NotFound
from bumpwell.services.common import Call, authorize, new_id
from bumpwell.services.ports import Store
from bumpwell.services.records import ConditionRecord, PersonRecord

# The one definition of the profile's bounds and defaults: the API's schema, the pages' forms and put_profile read
# these (the API had defaulted to 30 minutes a day, the pages to 20).
BOUNDS = {"plurality": (1, 3), "days_per_week": (1, 7), "minutes_per_day": (10, 120)}
ACTIVITIES = ("inactive", "active", "vigorous")
DELIVERIES = ("vaginal", "instrumental", "caesarean")
DEFAULTS: dict[str, Any] = {
    "plurality": 1, "activity_history": "inactive", "days_per_week": 3, "minutes_per_day": 30,
    "pool_access": False, "supervisor_available": False, "perineal_tear": False,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ProfileInput:
    """What a person tells about themselves (validated in :func:`put_profile`)."""

    status: str
    due_date: date | None
    birth_date: date | None
    delivery: str | None
    perineal_tear: bool
    plurality: int
    activity_history: str
    days_per_week: int
    minutes_per_day: int
    pool_access: bool
    supervisor_available: bool


def get_profile(store: Store, call: Call, person_id: str) -> PersonRecord:
    """The person's profile; ``NotFound`` before onboarding."""
    authorize(store, call, Verb.read, Area.profile, person_id)
    record = store.get(PersonRecord, person_id)
    if record is None:
        raise NotFound("profile")
    return record


def _check_choices(data: ProfileInput) -> None:
    """Every bounded number within :data:`BOUNDS` and every choice one of its kind, named by field."""
    for field, (low, high) in BOUNDS.items():
        value = getattr(data, field)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidRequest(field, f"must be a whole number from {low} to {high}")
    if data.activity_history not in ACTIVITIES:
        raise InvalidRequest("activity_history", f"must be one of {', '.join(ACTIVITIES)}")
    if data.delivery is not None and data.delivery not in DELIVERIES:
        raise InvalidRequest("delivery", f"must be one of {', '.join(DELIVERIES)}")
    if data.status not in ("pregnant", "postpartum"):
        raise InvalidRequest("status", "must be pregnant or postpartum")


def _check_dates(data: ProfileInput, today: date, catalogue: Catalogue) -> None:
    if data.status == "pregnant":
        if data.due_date is None:
            raise InvalidRequest("due_date", "is needed while pregnant")
        if data.birth_date is not None:
            raise InvalidRequest("birth_date", "only after the birth (status postpartum)")
        weeks, days = gestation_on(data.due_date, today)
        if not GESTATION_WEEKS[0] <= weeks <= GESTATION_WEEKS[1]:
            earliest, latest = due_dates_accepted(today)
            raise InvalidRequest(
                "due_date", f"gives {weeks}+{days} weeks today; must fall between {earliest} and {latest}"
            )
        return
    if data.birth_date is None:
        raise InvalidRequest("birth_date", "is needed after the birth")
    if data.delivery is None:
        raise InvalidRequest("delivery", "is needed after the birth: vaginal, instrumental or caesarean")
    weeks, _ = postpartum_on(data.birth_date, today)
    limit = catalogue.policy.postpartum_max_weeks
    if data.birth_date > today or weeks > limit:
        raise InvalidRequest("birth_date", f"must be today or within the last {limit} weeks")


def put_profile(
    store: Store, call: Call, catalogue: Catalogue, person_id: str, data: ProfileInput, today: date
) -> PersonRecord:
    """Create or replace the profile."""
    authorize(store, call, Verb.write, Area.profile, person_id, "profile")
    _check_choices(data)
    _check_dates(data, today, catalogue)
    record = PersonRecord(
        user_id=person_id,
        status=data.status,
        due_date=data.due_date if data.status == "pregnant" else None,
        birth_date=data.birth_date if data.status == "postpartum" else None,
        delivery=data.delivery if data.status == "postpartum" else None,
        perineal_tear=data.perineal_tear if data.status == "postpartum" else False,
        plurality=data.plurality,
        activity_history=data.activity_history,
        days_per_week=data.days_per_week,
        minutes_per_day=data.minutes_per_day,
        pool_access=data.pool_access,
        supervisor_available=data.supervisor_available,
        updated_at=call.now,
    )
    before = store.get(PersonRecord, person_id)
    if before is not None:
        record.time_zone, record.session_time = before.time_zone, before.session_time  # set on their own
    if before is None:
        store.add(record)
    else:
        record.unit_phone = before.unit_phone  # kept: it is set on its own (set_unit_phone)
        store.save(record)
    return record


def get_screening(store: Store, call: Call, person_id: str) -> list[ConditionRecord]:
    """The contraindications that apply, each with its clearance when a clinician gave one."""
    authorize(store, call, Verb.read, Area.screening, person_id)
    return store.find(ConditionRecord, {"person_id": person_id}, order_by="code")


def put_screening(
    store: Store, call: Call, catalogue: Catalogue, person_id: str, codes: list[str]
) -> list[ConditionRecord]:
    """Replace the screening answers: the codes that apply. Clearances of codes still listed are kept."""
    authorize(store, call, Verb.write, Area.screening, person_id, "screening")
    known = {rule for rule in catalogue.rules if rule.startswith("CI-")}
    for index, code in enumerate(codes):
        if code not in known:
            raise InvalidRequest(f"conditions[{index}]", f"unknown condition code {code!r}; codes look like CI-R01")
        if codes.index(code) != index:
            raise InvalidRequest(f"conditions[{index}]", f"{code} is listed twice")
    current = {c.code: c for c in store.find(ConditionRecord, {"person_id": person_id})}
    for code, record in current.items():
        if code not in codes:
            store.remove(record)
    for code in codes:
        if code not in current:
            store.add(ConditionRecord(new_id(), person_id, code, call.now))
    return store.find(ConditionRecord, {"person_id": person_id}, order_by="code")


@dataclass(frozen=True, slots=True)
class ClearanceInput:
    """A clinician's written agreement to exercise despite a relative contraindication, with its limits."""

    allowed: list[str] | None
    max_minutes: int | None
    until: date | None


def clear_condition(
    store: Store, call: Call, catalogue: Catalogue, person_id: str, code: str, data: ClearanceInput, today: date
) -> ConditionRecord:
    """Record a clearance (by whom, when, with which limits) on a condition the person reported."""
    authorize(store, call, Verb.write, Area.clearance, person_id, f"clearance {code}")
    found = store.find(ConditionRecord, {"person_id": person_id, "code": code}, limit=1)
    if not found:
        raise NotFound(f"condition {code} on this person's screening")
    if code.startswith("CI-A") and not clearable(code):
        raise InvalidRequest("code", f"{code} rules out an exercise programme; a clearance cannot lift it")
    for index, exercise in enumerate(data.allowed or []):
        if exercise not in catalogue.exercises:
            raise InvalidRequest(f"allowed[{index}]", f"unknown exercise id {exercise!r}")
    low, high = LIMIT_MINUTES
    if data.max_minutes is not None and not low <= data.max_minutes <= high:
        raise InvalidRequest("max_minutes", f"must be from {low} to {high} minutes, or empty for no limit")
    if data.until is not None and data.until < today:
        raise InvalidRequest("until", "must be today or later")
    record = found[0]
    record.cleared_by, record.cleared_by_name, record.cleared_at = call.user.id, call.user.display_name, call.now
    record.allowed = list(data.allowed) if data.allowed is not None else None
    record.max_minutes, record.until = data.max_minutes, data.until
    store.save(record)
    return record


def withdraw_clearance(store: Store, call: Call, person_id: str, code: str) -> ConditionRecord:
    """Take a clearance back: the condition blocks the programme again."""
    authorize(store, call, Verb.write, Area.clearance, person_id, f"clearance {code} withdrawn")
    found = store.find(ConditionRecord, {"person_id": person_id, "code": code}, limit=1)
    if not found:
        raise NotFound(f"condition {code} on this person's screening")
    record = found[0]
    record.cleared_by = record.cleared_by_name = record.cleared_at = None
    record.allowed = record.max_minutes = record.until = None
    store.save(record)
    return record


def input_of(record: PersonRecord) -> ProfileInput:
    """The stored profile as the input that would store it again (to change one part of it)."""
    return ProfileInput(
        status=record.status,
        due_date=record.due_date,
        birth_date=record.birth_date,
        delivery=record.delivery,
        perineal_tear=record.perineal_tear,
        plurality=record.plurality,
        activity_history=record.activity_history,
        days_per_week=record.days_per_week,
        minutes_per_day=record.minutes_per_day,
        pool_access=record.pool_access,
        supervisor_available=record.supervisor_available,
    )


def unit_phone(store: Store, person_id: str) -> str | None:
    """Her own maternity unit's or midwife's number, for the warning screens; ``None`` when she has not stored one."""
    person = store.get(PersonRecord, person_id)
    return person.unit_phone if person is not None else None


def set_unit_phone(store: Store, call: Call, person_id: str, phone: str | None) -> PersonRecord:
    """Store (or with ``None`` remove) her maternity unit's or midwife's number; a 422 naming ``unit_phone``."""
    authorize(store, call, Verb.write, Area.profile, person_id, "maternity unit number")
    person = store.get(PersonRecord, person_id)
    if person is None:
        raise Conflict("profile", "tell bumpwell your due date (or birth date) first")
    try:
        person.unit_phone = identity.clean_phone(phone)
    except InvalidRequest as exc:
        raise InvalidRequest("unit_phone", exc.message) from None
    person.updated_at = call.now
    store.save(person)
    return person


SESSION_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def set_calendar_time(store: Store, call: Call, person_id: str, time_zone: str, session_time: str) -> PersonRecord:
    """Her time zone (an IANA name such as Europe/London) and the time she would like to exercise (HH:MM)."""
    authorize(store, call, Verb.write, Area.profile, person_id, "calendar time")
    if time_zone != "UTC" and time_zone not in _zones():
        raise InvalidRequest("time_zone", "choose a time zone from the list, such as Europe/London or America/New_York")
    if not SESSION_TIME.match(session_time):
        raise InvalidRequest("session_time", "enter a time as hours and minutes, from 00:00 to 23:59")
    record = store.get(PersonRecord, person_id)
    if record is None:
        raise NotFound("profile")
    record.time_zone, record.session_time = time_zone, session_time
    store.save(record)
    return record


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())
