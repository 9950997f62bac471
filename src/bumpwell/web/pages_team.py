"""The care team's pages: the person's team, joining with a code, the supervisor's page, notices and the PIN."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bumpwell.domain.access import Role
from bumpwell.domain.catalogue import Catalogue
from bumpwell.errors import BumpwellError, Conflict, Forbidden, InvalidRequest, NotFound
from bumpwell.services import careteam, flags, presence
from bumpwell.services.common import Call
from bumpwell.services.ports import Store
from bumpwell.services.records import PlanRecord, RedFlagRecord, UserRecord
from bumpwell.web.deps import Caller, StoreDep, WiringDep, in_thread
from bumpwell.web.pages_start import FormDep
from bumpwell.web.views import check_csrf, redirect, render, require_person, require_role

router = APIRouter(include_in_schema=False)
ROLE_WORDS = {"supervisor": "Supervisor", "clinician": "Clinician"}
STATUS_WORDS = {
    "invited": "Code not used yet",
    "pending": "Waiting for you to accept",
    "active": "On your team",
    "removed": "Removed",
}


def _team_page(request: Request, unit: Store, wiring: WiringDep, caller: Caller, **context: Any) -> Response:
    members = careteam.team(unit, caller.call, caller.user.id)
    plan = unit.find(PlanRecord, {"person_id": caller.user.id}, order_by="created_at", descending=True, limit=1)
    unit.commit()
    shown = [(link, user) for link, user in members if link.status != "removed" or context.get("show_removed")]
    return render(
        request, wiring, "team.html", caller, nav="team", members=shown, role_words=ROLE_WORDS,
        status_words=STATUS_WORDS, adjustments=plan[0].adjustments if plan else [], **context,
    )  # fmt: skip


@router.get("/team", response_class=HTMLResponse)
async def team_page(request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """Who is on the person's care team, inviting, accepting and removing; and the clinicians' plan changes."""
    caller = require_person(request, unit, wiring)
    return _team_page(request, unit, wiring, caller)


@router.post("/team/invite", response_class=HTMLResponse)
async def invite(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """A one-time code for a supervisor or a clinician, shown once."""
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    role = str(form.get("role", ""))
    if role not in ROLE_WORDS:
        return _team_page(request, unit, wiring, caller, errors={"role": "Choose supervisor or clinician."})
    link, code = careteam.invite(unit, caller.call, caller.user.id, Role(role), wiring.settings.invitation_days)
    unit.commit()
    return _team_page(
        request, unit, wiring, caller, new_code=code, new_role=role, new_until=link.expires_at,
        public_url=wiring.settings.public_url,
    )  # fmt: skip


@router.post("/team/{link_id}/accept", response_class=HTMLResponse)
async def accept(link_id: str, request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    careteam.accept(unit, caller.call, caller.user.id, link_id)
    unit.commit()
    return redirect("/team")


@router.get("/team/{link_id}/remove", response_class=HTMLResponse)
async def remove_page(link_id: str, request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """Ask before removing someone (works without JavaScript)."""
    caller = require_person(request, unit, wiring)
    found = [(link, user) for link, user in careteam.team(unit, caller.call, caller.user.id) if link.id == link_id]
    if not found:
        raise NotFound("care team member")
    link, user = found[0]
    return render(request, wiring, "team_remove.html", caller, nav="team", link=link, member=user,
                  role_words=ROLE_WORDS)  # fmt: skip


@router.post("/team/{link_id}/remove", response_class=HTMLResponse)
async def remove(link_id: str, request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    careteam.remove(unit, caller.call, caller.user.id, link_id)
    unit.commit()
    return redirect("/team")


@router.get("/join", response_class=HTMLResponse)
async def join_page(request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """A supervisor or clinician enters the code the person gave them."""
    caller = require_role(request, unit, wiring, "supervisor", "clinician")
    people = careteam.my_people(unit, caller.user)
    return render(request, wiring, "join.html", caller, nav="join", people=people)


@router.post("/join", response_class=HTMLResponse)
async def join(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = require_role(request, unit, wiring, "supervisor", "clinician")
    check_csrf(form, caller)
    try:
        link = careteam.join(unit, caller.user, str(form.get("code", "")), caller.call.now)
    except (InvalidRequest, Conflict, Forbidden) as exc:
        message = getattr(exc, "message", None) or getattr(exc, "reason", str(exc))
        people = careteam.my_people(unit, caller.user)
        return render(request, wiring, "join.html", caller, status=422, nav="join", people=people,
                      errors={"code": message}, form={"code": form.get("code", "")})  # fmt: skip
    unit.commit()
    person = unit.get(UserRecord, link.person_id)
    people = careteam.my_people(unit, caller.user)
    return render(request, wiring, "join.html", caller, nav="join", people=people,
                  joined=person.display_name if person else "")  # fmt: skip


def _upcoming(plan: PlanRecord | None, today: date, catalogue: Catalogue) -> list[dict[str, Any]]:
    """The next sessions, each with the cues every exercise shares said once and each exercise's own cues."""
    if plan is None:
        return []
    out = []
    for session in [s for s in plan.plan.get("sessions", []) if s["day"] >= today.isoformat()][:4]:
        cues = [catalogue.exercises[i["exercise"]].spotting for i in session["items"]]
        shared = [cue for cue in cues[0] if all(cue in other for other in cues)] if len(cues) > 1 else []
        items = [
            {"exercise": catalogue.exercises[i["exercise"]], "cues": [c for c in own if c not in shared]}
            for i, own in zip(session["items"], cues, strict=True)
        ]
        out.append(session | {"shared": shared, "watch": items})
    return out


@router.get("/supervise", response_class=HTMLResponse)
async def supervise(request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """For a supervisor: who asks for them now, each person's next sessions with what to watch, and notices."""
    caller = require_role(request, unit, wiring, "supervisor")
    now, today = caller.call.now, wiring.today()
    asking = presence.pending_for(unit, caller.user, now)
    names = {}
    people = []
    for link, person in careteam.my_people(unit, caller.user):
        names[person.id] = person.display_name
        if link.status != "active":
            people.append({"person": person, "link": link, "sessions": [], "flags": []})
            continue
        call = Call(caller.user, now)
        plan = unit.find(PlanRecord, {"person_id": person.id}, order_by="created_at", descending=True, limit=1)
        found, _total = flags.list_flags(unit, call, person.id, True, 3, 0)
        people.append({"person": person, "link": link,
                       "sessions": _upcoming(plan[0] if plan else None, today, wiring.catalogue),
                       "flags": found})  # fmt: skip
    unit.commit()
    return render(
        request, wiring, "supervise.html", caller, nav="supervise", asking=asking, names=names, people=people,
        exercises=wiring.catalogue.exercises, has_pin=caller.user.pin_hash is not None,
        confirmed=request.query_params.get("confirmed", ""),
    )  # fmt: skip


@router.post("/supervise/confirm/{request_id}", response_class=HTMLResponse)
async def confirm(request_id: str, request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """The supervisor taps "I'm here": the person's session can start."""
    caller = require_role(request, unit, wiring, "supervisor")
    check_csrf(form, caller)
    try:
        asked = presence.confirm(unit, caller.user, request_id, caller.call.now)
    except Conflict:
        return redirect("/supervise")
    unit.commit()
    return redirect(f"/supervise?confirmed={asked.id}")


@router.get("/notices", response_class=HTMLResponse)
async def notices_page(request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """A member's notices, newest first; the unread ones stand out until marked as read."""
    caller = require_role(request, unit, wiring, "supervisor", "clinician")
    found, total = flags.my_notices(unit, caller.user, 100, 0)
    names = {}
    flag_of = {}
    for notice in found:
        if notice.person_id not in names:
            person = unit.get(UserRecord, notice.person_id)
            names[notice.person_id] = person.display_name if person else ""
        if notice.flag_id:
            flag_of[notice.id] = unit.get(RedFlagRecord, notice.flag_id)
    return render(request, wiring, "notices.html", caller, nav="notices", notices=found, total=total, names=names,
                  flag_of=flag_of)  # fmt: skip


@router.post("/notices/read", response_class=HTMLResponse)
async def notices_read(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = require_role(request, unit, wiring, "supervisor", "clinician")
    check_csrf(form, caller)
    found, _total = flags.my_notices(unit, caller.user, 1000, 0)
    for notice in found:
        if notice.read_at is None:
            flags.mark_read(unit, caller.user, notice.id, caller.call.now)
    unit.commit()
    return redirect("/notices")


@router.get("/settings", response_class=HTMLResponse)
async def settings_page(request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """A supervisor's presence PIN."""
    caller = require_role(request, unit, wiring, "supervisor")
    return render(request, wiring, "settings.html", caller, nav="settings", has_pin=caller.user.pin_hash is not None)


@router.post("/settings", response_class=HTMLResponse)
async def settings(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = require_role(request, unit, wiring, "supervisor")
    check_csrf(form, caller)
    pin, again = str(form.get("pin", "")), str(form.get("pin_again", ""))
    user = caller.user
    has_pin = user.pin_hash is not None
    if pin != again:
        return render(request, wiring, "settings.html", caller, status=422, nav="settings", has_pin=has_pin,
                      errors={"pin_again": "The two PINs are not the same. Please type it again."})  # fmt: skip
    unit.rollback()

    def work(own: Store) -> None:
        presence.set_pin(own, wiring.hasher, user, pin)

    try:
        await in_thread(wiring, work)
    except BumpwellError as exc:
        message = getattr(exc, "message", str(exc))
        return render(request, wiring, "settings.html", caller, status=422, nav="settings", has_pin=has_pin,
                      errors={"pin": f"The PIN {message}."})  # fmt: skip
    return render(request, wiring, "settings.html", caller, nav="settings", has_pin=True, saved=True)
