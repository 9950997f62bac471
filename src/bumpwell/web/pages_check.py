"""The check before a session: warning signs first, then who is there when the plan says someone must be.

A red flag ends on the stop page, always before anything else. A session that needs supervision starts once a
supervisor confirms on their own phone (the person waits), types their own PIN on the person's phone, or the person
explicitly chooses to start alone; the session records which.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bumpwell.errors import Conflict, InvalidRequest, NotFound, TooManyAttempts
from bumpwell.services import checkins, presence, sessions
from bumpwell.services.ports import Store
from bumpwell.services.presence import Supervision
from bumpwell.services.records import CheckInRecord, PresenceRequestRecord, UserRecord
from bumpwell.web import forms
from bumpwell.web.deps import Caller, StoreDep, WiringDep, in_thread
from bumpwell.web.pages_session import latest
from bumpwell.web.pages_start import FormDep
from bumpwell.web.views import TRIAGE_WORDS, check_csrf, redirect, render, require_person

router = APIRouter(include_in_schema=False)
STOPPING = frozenset({"emergency", "urgent_same_day", "contact_within_24h"})
CHECK_FRESH = timedelta(hours=1)  # DESIGN: a check counts for the session started soon after it, not for the day


def _session_of_today(unit: StoreDep, wiring: WiringDep, caller: Caller, index: int) -> dict[str, Any]:
    _last, plan = latest(unit, caller.user.id)
    todays = [s for s in plan.plan["sessions"] if s["day"] == wiring.today().isoformat()] if plan else []
    if not 0 <= index < len(todays):
        raise NotFound("session planned today")
    session: dict[str, Any] = todays[index]
    return session


@router.get("/check", response_class=HTMLResponse)
async def check_page(request: Request, unit: StoreDep, wiring: WiringDep, index: int = 0) -> Response:
    caller = require_person(request, unit, wiring)
    try:
        planned = _session_of_today(unit, wiring, caller, index)
    except NotFound:
        return redirect("/check/signs")  # no session today: "check again" is the warning-sign check alone
    team = presence.supervisors(unit, caller.user.id)
    return render(request, wiring, "check.html", caller, index=index, supervision=planned["supervision"], team=team)


def _check_in(unit: StoreDep, wiring: WiringDep, caller: Caller, observations: dict[str, Any]) -> CheckInRecord:
    last, _plan = latest(unit, caller.user.id)
    answers: dict[str, Any] = {"observations": observations}
    if last is not None and "pain" in last.request:
        answers["pain"] = last.request["pain"]
    record, _ = checkins.check_in(
        unit, caller.call, wiring.catalogue, caller.user.id, answers, wiring.today(), mail=wiring.mail
    )
    return record


def _stop_page(request: Request, wiring: WiringDep, caller: Caller, record: CheckInRecord) -> Response:
    return render(
        request,
        wiring,
        "stop.html",
        caller,
        triage=record.triage,
        heading=TRIAGE_WORDS[record.triage],
        actions=record.response["actions"],
    )


def _start(unit: Store, wiring: WiringDep, caller: Caller, index: int, supervision: Supervision | None) -> str:
    """Start the session; its starting pain is today's check-in pain, so M10 can compare against it."""
    last, _plan = latest(unit, caller.user.id)
    pain = last.request.get("pain", {}).get("nrs_now") if last is not None else None
    before = pain if isinstance(pain, int) else None
    day = wiring.today()
    record, _items = sessions.start_session(unit, caller.call, caller.user.id, day, index, before, supervision)
    return record.id


WHO = frozenset({"ask", "pin", "alone"})


def _index(form: dict[str, Any]) -> int:
    raw = str(form.get("index", "0"))
    return int(raw) if raw.isdigit() and len(raw) < 3 else 0


@router.post("/check", response_class=HTMLResponse)
async def check(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """The quick check re-runs the engine; a red flag stops everything and shows whom to call.

    A session that needs supervision then goes on by the way the person chose: a supervisor confirms on their own
    phone, types their PIN here, or the person explicitly chooses to start alone.
    """
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    index = _index(form)
    if form.get("warning") == "yes":
        return redirect(f"/check/signs?index={index}")
    planned = _session_of_today(unit, wiring, caller, index)
    who = str(form.get("who", ""))
    required = planned["supervision"] == "required"
    if required and who not in WHO:
        team = presence.supervisors(unit, caller.user.id)
        errors = {"who": "Choose how you will do this session: with your supervisor, or alone."}
        return render(
            request, wiring, "check.html", caller, status=422, index=index, supervision="required", team=team,
            errors=errors,
        )  # fmt: skip
    record = _check_in(unit, wiring, caller, {})
    if record.exercise == "no" or record.triage in STOPPING:
        unit.commit()
        return _stop_page(request, wiring, caller, record)
    if required and who == "ask":
        try:
            asked = presence.ask(unit, caller.call, caller.user.id, wiring.today(), index)
        except Conflict:
            unit.commit()
            return redirect(f"/check/alone?index={index}")
        unit.commit()
        return redirect(f"/check/wait/{asked.id}")
    if required and who == "pin":
        unit.commit()
        return redirect(f"/check/pin?index={index}")
    if required and form.get("understood") != "yes":
        unit.commit()
        return redirect(f"/check/alone?index={index}")  # the explicit choice, on its own page
    return _start_and_play(unit, wiring, caller, index, presence.ALONE if required else None)


def _start_and_play(
    unit: Store, wiring: WiringDep, caller: Caller, index: int, supervision: Supervision | None, request_id: str = ""
) -> Response:
    try:
        session_id = _start(unit, wiring, caller, index, supervision)
    except (Conflict, InvalidRequest):
        unit.commit()
        return redirect("/today")  # the new check-in changed today's plan: show it
    if request_id:
        presence.mark_used(unit, request_id, session_id)
    unit.commit()
    return redirect(f"/session/{session_id}")


@router.get("/check/wait/{request_id}", response_class=HTMLResponse)
async def wait_page(request_id: str, request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """Waiting for a supervisor to tap "I'm here" on their own phone."""
    caller = require_person(request, unit, wiring)
    asked = unit.get(PresenceRequestRecord, request_id)
    if asked is None or asked.person_id != caller.user.id:
        raise NotFound("presence request")
    return _wait(request, unit, wiring, caller, asked)


def _wait(
    request: Request,
    unit: Store,
    wiring: WiringDep,
    caller: Caller,
    asked: PresenceRequestRecord,
    not_yet: bool = False,
) -> Response:
    """The waiting page: who was asked, whether one of them confirmed, or that the request has ended."""
    team = presence.supervisors(unit, caller.user.id)
    ended = asked.expires_at <= caller.call.now or asked.session_id is not None
    unit.commit()
    return render(request, wiring, "check_wait.html", caller, asked=asked, team=team, ended=ended, not_yet=not_yet)


@router.post("/check/wait/{request_id}", response_class=HTMLResponse)
async def wait_start(request_id: str, request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """Start once a supervisor has confirmed; until then say so and stay."""
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    asked = unit.get(PresenceRequestRecord, request_id)
    if asked is None or asked.person_id != caller.user.id:
        raise NotFound("presence request")
    try:
        supervision = presence.use(
            unit, caller.user.id, request_id, wiring.today(), asked.session_index, caller.call.now
        )
    except (Conflict, InvalidRequest):
        return _wait(request, unit, wiring, caller, asked, not_yet=True)  # kind words, and the page stays
    return _start_and_play(unit, wiring, caller, asked.session_index, supervision, request_id)


@router.get("/check/pin", response_class=HTMLResponse)
async def pin_page(request: Request, unit: StoreDep, wiring: WiringDep, index: int = 0) -> Response:
    caller = require_person(request, unit, wiring)
    team = presence.supervisors(unit, caller.user.id)
    return render(request, wiring, "check_pin.html", caller, index=index, team=team)


def _checked_just_now(unit: Store, caller: Caller) -> bool:
    """Whether the person's latest check found no warning sign, within the last hour (the check before a session)."""
    last, _plan = latest(unit, caller.user.id)
    if last is None or last.exercise == "no" or last.triage in STOPPING:
        return False
    return caller.call.now - last.created_at <= CHECK_FRESH


def _pin_problem(team: list[UserRecord], chosen: str, pin: str) -> str | None:
    """What stops a PIN before it is checked, in words for the page; ``None`` when it can be checked."""
    member = next((m for m in team if m.id == chosen), None)
    if member is None:
        return "Choose who is with you."
    if member.pin_hash is None:
        return (
            f"{member.display_name} has not set a PIN yet. They can set one under Account on their own phone, "
            "or you can choose another way."
        )
    if not presence.PIN.match(pin):
        return f"Type {member.display_name}'s PIN: 4 to 8 digits."
    return None


@router.post("/check/pin", response_class=HTMLResponse)
async def pin_start(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """The supervisor types their own PIN on the person's phone; a wrong PIN counts towards the limit."""
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    index = _index(form)
    if not _checked_just_now(unit, caller):
        return redirect(f"/check?index={index}")  # the check before a session comes first
    person_id, now = caller.user.id, caller.call.now
    chosen, pin = str(form.get("supervisor_id", "")), str(form.get("pin", "")).strip()
    team = presence.supervisors(unit, person_id)
    found: Supervision | str | None = _pin_problem(team, chosen, pin)
    name = next((m.display_name for m in team if m.id == chosen), "")
    unit.rollback()  # the PIN check runs in a thread with its own unit of work

    def work(own: Store) -> Supervision | str:
        try:
            return presence.with_pin(own, wiring.hasher, person_id, chosen, pin, now)
        except InvalidRequest:  # the failed attempt is committed with the unit of work, so that it counts
            return f"That is not {name}'s PIN. Please try again."

    if found is None:
        try:
            found = await in_thread(wiring, work)
        except TooManyAttempts as exc:
            wait = max(1, round(exc.retry_after_s / 60))
            found = f"Too many wrong PINs for {name}. Please wait {wait} minutes, or choose another way below."
    if isinstance(found, str):
        return render(
            request, wiring, "check_pin.html", caller, status=422, index=index, team=team,
            errors={"pin": found}, form={"supervisor_id": chosen},
        )  # fmt: skip
    return _start_and_play(unit, wiring, caller, index, found)


@router.get("/check/alone", response_class=HTMLResponse)
async def alone_page(request: Request, unit: StoreDep, wiring: WiringDep, index: int = 0) -> Response:
    caller = require_person(request, unit, wiring)
    team = presence.supervisors(unit, caller.user.id)
    return render(request, wiring, "alone.html", caller, index=index, team=team)


@router.post("/check/alone", response_class=HTMLResponse)
async def alone_start(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """The person's explicit choice to start a session that needs supervision alone; recorded with the session."""
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    index = _index(form)
    if not _checked_just_now(unit, caller):
        return redirect(f"/check?index={index}")  # the check before a session comes first
    if form.get("understood") != "yes":
        team = presence.supervisors(unit, caller.user.id)
        errors = {"understood": "Tick the box to confirm that you choose to start alone, or go back and wait."}
        return render(request, wiring, "alone.html", caller, status=422, index=index, team=team, errors=errors)
    return _start_and_play(unit, wiring, caller, index, presence.ALONE)


@router.get("/check/signs", response_class=HTMLResponse)
async def signs_page(request: Request, unit: StoreDep, wiring: WiringDep, index: int = 0) -> Response:
    caller = require_person(request, unit, wiring)
    return render(
        request,
        wiring,
        "warnings.html",
        caller,
        step=None,
        action="/check/signs",
        signs=[(k, label) for k, label, _ in forms.SIGNS],
        carry={"index": index},
    )


@router.post("/check/signs", response_class=HTMLResponse)
async def signs(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """Today's warning signs through the engine: stop and call, or carry on to today's plan."""
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    record = _check_in(unit, wiring, caller, forms.observations(form, wiring.catalogue.policy.contractions_per_hour))
    unit.commit()
    if record.exercise == "no" or record.triage in STOPPING:
        return _stop_page(request, wiring, caller, record)
    return redirect(f"/result/{record.id}")
