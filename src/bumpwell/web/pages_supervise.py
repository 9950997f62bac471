"""The care team members' own pages: the supervisor's people, the notices, and the account with the presence PIN.

A supervisor sees each person's coming sessions with what to watch for, the requests to confirm that they are
there, and warning-sign notices; never the diary. A clinician's board lives in ``pages_clinic``; the notices and
the account page are shared by both roles.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from bumpwell.domain.catalogue import Catalogue
from bumpwell.domain.identity import identifiers
from bumpwell.errors import BumpwellError, Conflict
from bumpwell.services import careteam, checkins, flags, people, presence
from bumpwell.services.identity import identity_of
from bumpwell.services.ports import Store
from bumpwell.services.records import PersonRecord, PlanRecord, RedFlagRecord, UserRecord
from bumpwell.web import pages_account
from bumpwell.web.deps import Caller, StoreDep, WiringDep, in_own_unit
from bumpwell.web.pages_start import FormDep
from bumpwell.web.views import check_csrf, redirect, render, require_role

router = APIRouter(include_in_schema=False)
SESSIONS_SHOWN = 4  # the next few sessions: enough to plan the week, short enough to read on a phone
FLAGS_SHOWN = 3
SHARED_SHOWN = 3  # cues every exercise shares, shown at once; the rest one tap away (two phone screens in all)
NOTICES_PAGE = 50


def _upcoming(plan: PlanRecord | None, today: date, catalogue: Catalogue) -> list[dict[str, Any]]:
    """The next sessions, each with the cues every exercise shares said once and each exercise's own cues."""
    if plan is None:
        return []
    out = []
    coming = [s for s in plan.plan.get("sessions", []) if s["day"] >= today.isoformat()][:SESSIONS_SHOWN]
    for session in coming:
        cues = [catalogue.exercises[i["exercise"]].spotting for i in session["items"]]
        shared = [cue for cue in cues[0] if all(cue in other for other in cues)] if len(cues) > 1 else []
        items = [
            {"exercise": catalogue.exercises[i["exercise"]], "cues": [c for c in own if c not in shared]}
            for i, own in zip(session["items"], cues, strict=True)
        ]
        out.append(session | {"shared": shared, "watch": items, "today": session["day"] == today.isoformat()})
    return out


def _person_entry(unit: Store, caller: Caller, link: Any, person: UserRecord, wiring: WiringDep) -> dict[str, Any]:
    """What a supervisor sees of one person: nothing before she accepts; then the sessions and open warnings."""
    if link.status != "active":
        return {"person": person, "link": link, "sessions": [], "flags": [], "unit_phone": None, "at": None}
    plan = checkins.latest_plan(unit, caller.call, person.id)  # read and audited as GET .../plan reads it
    found, _total = flags.list_flags(unit, caller.call, person.id, True, FLAGS_SHOWN, 0)
    sessions = _upcoming(plan, wiring.today(), wiring.catalogue)
    # her own unit's number on the warning card, else the installation's (people.unit_phone: daily-loop's field)
    unit_phone = people.unit_phone(unit, person.id) if found else None
    profile = unit.get(PersonRecord, person.id)  # her calendar's time of day: part of her schedule, which he reads
    at = profile.session_time if profile is not None else None
    return {"person": person, "link": link, "sessions": sessions, "flags": found, "unit_phone": unit_phone, "at": at}


@router.get("/supervise", response_class=HTMLResponse)
def supervise(request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """For a supervisor: who asks for them now, each person's next sessions with what to watch, and warnings."""
    caller = require_role(request, unit, wiring, "supervisor")
    asking = presence.pending_for(unit, caller.user, caller.call.now)
    people = [_person_entry(unit, caller, link, p, wiring) for link, p in careteam.my_people(unit, caller.user)]
    names = {entry["person"].id: entry["person"].display_name for entry in people}
    unit.commit()
    return render(
        request, wiring, "supervise.html", caller, nav="supervise", asking=asking, names=names, people=people,
        has_pin=caller.user.pin_hash is not None, confirmed=request.query_params.get("confirmed", ""),
        mail=wiring.mail, shared_shown=SHARED_SHOWN,
    )  # fmt: skip


@router.get("/supervise/asking.json", response_class=JSONResponse)
def asking_now(request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """For the open /supervise page (supervise.js asks every few seconds): who asks for this supervisor now."""
    caller = require_role(request, unit, wiring, "supervisor")
    asking = presence.pending_for(unit, caller.user, caller.call.now)
    names = {link.person_id: p.display_name for link, p in careteam.my_people(unit, caller.user)}
    unit.commit()
    items = [{"id": a.id, "name": names.get(a.person_id, ""), "confirmed_by_name": a.confirmed_by_name} for a in asking]
    return JSONResponse({"asking": items})


@router.post("/supervise/confirm/{request_id}", response_class=HTMLResponse)
def confirm(request_id: str, request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """The supervisor taps "I'm here": the person's session can start."""
    caller = require_role(request, unit, wiring, "supervisor")
    check_csrf(form, caller)
    try:
        asked = presence.confirm(unit, caller.user, request_id, caller.call.now)
    except Conflict:
        return redirect("/supervise?confirmed=ended")
    unit.commit()
    return redirect(f"/supervise?confirmed={asked.id}")


def _notice_name(person: UserRecord | None, role: str) -> str:
    """A clinician reads who it is by two identifiers (two people may share a name); a supervisor her name."""
    if person is None:
        return ""
    return identifiers(identity_of(person)) if role == "clinician" else person.display_name


@router.get("/notices", response_class=HTMLResponse)
def notices_page(request: Request, unit: StoreDep, wiring: WiringDep, page: int = 1) -> Response:
    """A member's notices, and everyone's about their own account, newest first, fifty to a page; the unread ones
    stand out until marked as read."""
    caller = require_role(request, unit, wiring, "supervisor", "clinician", "person", "admin")
    page = max(1, page)
    found, total = flags.my_notices(unit, caller.user, NOTICES_PAGE, (page - 1) * NOTICES_PAGE)
    pages = max(1, -(-total // NOTICES_PAGE))
    if page > pages:  # past the end (notices of a team she left are gone): the last page, not an empty one
        page = pages
        found, total = flags.my_notices(unit, caller.user, NOTICES_PAGE, (page - 1) * NOTICES_PAGE)
    names: dict[str, str] = {}
    flag_of: dict[str, RedFlagRecord | None] = {}
    for notice in found:
        if notice.person_id not in names:
            person = unit.get(UserRecord, notice.person_id)
            names[notice.person_id] = _notice_name(person, caller.user.role)
        if notice.flag_id:
            flag_of[notice.id] = unit.get(RedFlagRecord, notice.flag_id)
    # a presence notice is made with its request (same person, same moment); only a request still open gets a link
    still_open = {(r.person_id, r.created_at) for r in presence.pending_for(unit, caller.user, caller.call.now)}
    unit.commit()
    return render(request, wiring, "notices.html", caller, nav="notices", notices=found, total=total, names=names,
                  flag_of=flag_of, page=page, pages=pages, first=(page - 1) * NOTICES_PAGE + 1,
                  still_open=still_open, request_minutes=wiring.catalogue.policy.presence_request_min)  # fmt: skip


@router.post("/notices/read", response_class=HTMLResponse)
def notices_read(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """Mark every notice as read (the menu's count goes back to none)."""
    caller = require_role(request, unit, wiring, "supervisor", "clinician", "person", "admin")
    check_csrf(form, caller)
    flags.mark_all_read(unit, caller.user, caller.call.now)
    unit.commit()
    return redirect("/notices")


def _account(request: Request, wiring: WiringDep, caller: Caller, status: int = 200, **context: Any) -> Response:
    return render(request, wiring, "settings.html", caller, status=status, nav="settings",
                  has_pin=caller.user.pin_hash is not None, **context)  # fmt: skip


@router.get("/settings", response_class=HTMLResponse)
def settings_page(request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """An account page: the person's own (``pages_account``), or a member's: who they are, joining another care
    team, and (for a supervisor) the presence PIN."""
    caller = require_role(request, unit, wiring, "supervisor", "clinician", "person")
    if caller.user.role == "person":
        return pages_account.person_page(request, unit, wiring, caller)
    unit.commit()
    return _account(request, wiring, caller)


@router.post("/settings", response_class=HTMLResponse)
def settings(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """Set or change the supervisor's PIN: 6 to 8 digits, typed twice."""
    caller = require_role(request, unit, wiring, "supervisor")
    check_csrf(form, caller)
    pin, again = str(form.get("pin", "")).strip(), str(form.get("pin_again", "")).strip()
    user = caller.user
    unit.rollback()  # the PIN is hashed in a thread with its own unit of work
    if not presence.PIN.match(pin):
        return _account(request, wiring, caller, 422, errors={"pin": "Choose a PIN of 6 to 8 digits (numbers only)."})
    if pin != again:
        errors = {"pin_again": "The two PINs are not the same. Please type it again."}
        return _account(request, wiring, caller, 422, errors=errors)

    def work(own: Store) -> None:
        presence.set_pin(own, wiring.hasher, user, pin)

    try:
        in_own_unit(wiring, work)
    except BumpwellError as exc:
        message = getattr(exc, "message", str(exc))
        return _account(request, wiring, caller, 422, errors={"pin": f"The PIN {message}."})
    return render(request, wiring, "settings.html", caller, nav="settings", has_pin=True, saved=True)
