"""Her account page (``/settings`` for the person): her stage, her calendar at her own time, and its feed.

Every action goes through a service: ``people.set_calendar_time`` and ``calendar_feeds``; the feed's address is
shown once, when it is made or replaced.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from zoneinfo import available_timezones

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bumpwell.errors import InvalidRequest, NotFound
from bumpwell.services import calendar_feeds, people
from bumpwell.services.records import CalendarFeedRecord, PersonRecord
from bumpwell.web.deps import Caller, StoreDep, WiringDep
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
    unit.rollback()
    stored = {"time_zone": person.time_zone, "session_time": person.session_time} if person else {}
    form = extra.pop("form", None) or stored
    return render(
        request, wiring, "my_account.html", caller, status=status, nav="settings", person=person,
        has_feed=has_feed, zones=zones(), form=form, **extra,
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
