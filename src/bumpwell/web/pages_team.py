"""The care team's pages: the person's team (invite, accept, remove, the clinicians' plan changes) and joining."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bumpwell.domain.access import Role
from bumpwell.errors import Conflict, Forbidden, InvalidRequest, NotFound
from bumpwell.services import careteam
from bumpwell.services.ports import Store
from bumpwell.services.records import PlanRecord, UserRecord
from bumpwell.web.deps import Caller, StoreDep, WiringDep
from bumpwell.web.pages_start import SIGNUP_CHOICES, FormDep
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
def team_page(request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """Who is on the person's care team, inviting, accepting and removing; and the clinicians' plan changes."""
    caller = require_person(request, unit, wiring)
    return _team_page(request, unit, wiring, caller)


@router.post("/team/invite", response_class=HTMLResponse)
def invite(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
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
        public_url=wiring.settings.public_url.rstrip("/"), signup_words=dict(SIGNUP_CHOICES),
    )  # fmt: skip


@router.post("/team/{link_id}/accept", response_class=HTMLResponse)
def accept(link_id: str, request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    careteam.accept(unit, caller.call, caller.user.id, link_id)
    unit.commit()
    return redirect("/team")


@router.get("/team/{link_id}/remove", response_class=HTMLResponse)
def remove_page(link_id: str, request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """Ask before removing someone (works without JavaScript)."""
    caller = require_person(request, unit, wiring)
    found = [(link, user) for link, user in careteam.team(unit, caller.call, caller.user.id) if link.id == link_id]
    if not found:
        raise NotFound("care team member")
    link, user = found[0]
    return render(request, wiring, "team_remove.html", caller, nav="team", link=link, member=user,
                  role_words=ROLE_WORDS)  # fmt: skip


@router.post("/team/{link_id}/remove", response_class=HTMLResponse)
def remove(link_id: str, request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    careteam.remove(unit, caller.call, caller.user.id, link_id)
    unit.commit()
    return redirect("/team")


@router.get("/join", response_class=HTMLResponse)
def join_page(request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """A supervisor or clinician enters the code the person gave them."""
    caller = require_role(request, unit, wiring, "supervisor", "clinician")
    people = careteam.my_people(unit, caller.user)
    unit.commit()
    return render(request, wiring, "join.html", caller, nav="settings", people=people)


@router.post("/join", response_class=HTMLResponse)
def join(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = require_role(request, unit, wiring, "supervisor", "clinician")
    check_csrf(form, caller)
    try:
        link = careteam.join(unit, caller.user, str(form.get("code", "")), caller.call.now)
    except (InvalidRequest, Conflict, Forbidden) as exc:
        message = getattr(exc, "message", None) or getattr(exc, "reason", str(exc))
        people = careteam.my_people(unit, caller.user)
        errors, typed = {"code": _sentence(str(message))}, {"code": str(form.get("code", ""))[:20]}
        return render(request, wiring, "join.html", caller, status=422, nav="settings", people=people,
                      errors=errors, form=typed)  # fmt: skip
    unit.commit()
    person = unit.get(UserRecord, link.person_id)
    people = careteam.my_people(unit, caller.user)
    return render(request, wiring, "join.html", caller, nav="settings", people=people,
                  joined=person.display_name if person else "")  # fmt: skip


def _sentence(message: str) -> str:
    """A service's message (a phrase) as a sentence on the page."""
    text = message.strip().rstrip(".")
    return f"{text[:1].upper()}{text[1:]}." if text else "That did not work. Please try again."
