"""Her account page (``/settings`` for the person): her stage, her calendar at her own time, and its feed.

Every action goes through a service: ``people.set_calendar_time``, ``calendar_feeds``, ``mydata.audit_trail`` (who
has read or changed her record, in plain words) and ``mydata.delete_account`` (her password and the typed phrase);
the feed's address is shown once, when it is made or replaced. Her data downloads are the API's exports, which
take the login cookie.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from zoneinfo import available_timezones

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bumpwell.errors import InvalidRequest, NotFound
from bumpwell.services import calendar_feeds, mydata, people
from bumpwell.services.ports import Store
from bumpwell.services.records import AuditRecord, CalendarFeedRecord, PersonRecord, UserRecord
from bumpwell.web.deps import Caller, StoreDep, WiringDep, end_of_session, in_own_unit
from bumpwell.web.pages_start import FormDep, errors_of
from bumpwell.web.views import check_csrf, redirect, render, require_person

router = APIRouter(include_in_schema=False)


@cache
def zones() -> tuple[str, ...]:
    """The time zones she may choose, as IANA names (the browser offers them as she types)."""
    return tuple(sorted({"UTC", *available_timezones()}))


def person_page(
    request: Request, unit: StoreDep, wiring: WiringDep, caller: Caller, status: int = 200, **extra: Any
) -> Response:
    """Her account page: stage, calendar time and the calendar feed."""
    person = unit.get(PersonRecord, caller.user.id)
    has_feed = unit.get(CalendarFeedRecord, caller.user.id) is not None
    trail, _total = mydata.audit_trail(unit, caller.call, caller.user.id, AUDIT_SHOWN, 0)
    seen = _in_words(unit, trail, caller.user.id)
    unit.rollback()
    stored = {"time_zone": person.time_zone, "session_time": person.session_time} if person else {}
    form = extra.pop("form", None) or stored
    return render(
        request, wiring, "my_account.html", caller, status=status, nav="settings", person=person,
        has_feed=has_feed, zones=zones(), form=form, trail=seen, tables=sorted(mydata.EXPORT_TABLES),
        delete_phrase=mydata.DELETE_PHRASE, **extra,
    )  # fmt: skip


@router.post("/settings/calendar-time", response_class=HTMLResponse)
def calendar_time(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """Her time zone and the time she would like to exercise: her calendar's events are then at that time."""
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    zone, at = str(form.get("time_zone", "")).strip(), str(form.get("session_time", "")).strip()
    try:
        people.set_calendar_time(unit, caller.call, caller.user.id, zone, at)
    except (InvalidRequest, NotFound) as exc:
        unit.rollback()
        errors = errors_of(exc) if isinstance(exc, InvalidRequest) else {"time_zone": "Make your plan first."}
        return person_page(request, unit, wiring, caller, 422, form=form, errors=errors)
    unit.commit()
    return person_page(request, unit, wiring, caller, saved="time")


@router.post("/settings/calendar-feed", response_class=HTMLResponse)
def calendar_feed(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """Make the feed's secret address, or replace it (the old one stops working), or turn the feed off."""
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    if form.get("answer") == "revoke":
        try:
            calendar_feeds.revoke_feed(unit, caller.call, caller.user.id)
        except NotFound:
            return redirect("/settings")
        unit.commit()
        return person_page(request, unit, wiring, caller, saved="revoked")
    secret = calendar_feeds.new_feed(unit, caller.call, caller.user.id)
    unit.commit()
    url = f"{wiring.settings.public_url}/calendar/{secret}.ics"
    return person_page(request, unit, wiring, caller, feed_url=url)


AUDIT_SHOWN = 20
ROLE_WORDS = {"person": "You", "supervisor": "supervisor", "clinician": "clinician", "admin": "administrator"}
VERB_WORDS = {"read": "looked at", "write": "changed"}


def _in_words(unit: Store, trail: list[AuditRecord], own: str) -> list[tuple[AuditRecord, str]]:
    """Each entry with who did what, in plain words: 'Dr Lee (clinician) looked at your check ins'."""
    out = []
    for entry in trail:
        user = unit.get(UserRecord, entry.actor_id) if entry.actor_id else None
        who = "You" if entry.actor_id == own else f"{user.display_name if user else 'Someone no longer here'}"
        role = "" if entry.actor_id == own else f" ({ROLE_WORDS.get(entry.actor_role, entry.actor_role)})"
        what = entry.area.replace("_", " ")
        out.append((entry, f"{who}{role} {VERB_WORDS.get(entry.verb, entry.verb)} your {what}"))
    return out


@router.post("/settings/delete", response_class=HTMLResponse)
def delete_account(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """Delete her account and everything stored for it, after her password and the typed phrase."""
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    password, confirm = str(form.get("password", "")), str(form.get("confirm", ""))
    unit.rollback()  # the password is checked in a thread with its own unit of work
    user = caller.user
    try:
        in_own_unit(wiring, lambda own: mydata.delete_account(own, wiring.hasher, user, password, confirm))
    except InvalidRequest as exc:
        return person_page(request, unit, wiring, caller, 422, errors=errors_of(exc))
    return end_of_session(redirect("/"))
