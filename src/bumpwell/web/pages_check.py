"""The check before a session: warning signs first, then who is there when the plan says someone must be.

A red flag ends on the stop page, always before anything else. A session that needs supervision starts once a
supervisor confirms on their own phone (the person waits), types their own PIN on the person's phone, or the person
explicitly chooses to start alone; the session records which.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bumpwell.domain.check_gate import stops
from bumpwell.domain.checklist import StageList
from bumpwell.errors import BumpwellError, Conflict, InvalidRequest, NotFound, TooManyAttempts
from bumpwell.services import checkins, follow_up, people, presence, sessions, stages
from bumpwell.services.common import Call
from bumpwell.services.ports import Store
from bumpwell.services.presence import Choice
from bumpwell.services.records import CheckInRecord, PresenceRequestRecord, UserRecord
from bumpwell.web import forms, pages_birth
from bumpwell.web.deps import Caller, StoreDep, WiringDep, in_own_unit
from bumpwell.web.pages_session import latest
from bumpwell.web.pages_start import FormDep, errors_of
from bumpwell.web.views import TRIAGE_WORDS, check_csrf, redirect, render, require_person

router = APIRouter(include_in_schema=False)


def _session_of_today(unit: StoreDep, wiring: WiringDep, caller: Caller, index: int) -> dict[str, Any]:
    _last, plan = latest(unit, caller.user.id)
    todays = [s for s in plan.plan["sessions"] if s["day"] == wiring.today().isoformat()] if plan else []
    if not 0 <= index < len(todays):
        raise NotFound("session planned today")
    session: dict[str, Any] = todays[index]
    return session


@router.get("/check", response_class=HTMLResponse)
def check_page(request: Request, unit: StoreDep, wiring: WiringDep, index: int = 0) -> Response:
    caller = require_person(request, unit, wiring)
    asked = pages_birth.question(unit, wiring, caller)
    if asked is not None and asked.question == "birth_needed":
        return redirect("/birth")  # the due date no longer fits: ask about the birth before anything else
    if follow_up.open_finding(unit, wiring.catalogue.policy, caller.user.id) is not None:
        return redirect(f"/check/signs?index={index}")  # the signs page asks about the follow-up first
    try:
        planned = _session_of_today(unit, wiring, caller, index)
    except NotFound:
        return redirect("/check/signs")  # no session today: "check again" is the warning-sign check alone
    team = presence.supervisors(unit, caller.user.id)
    named = presence.named_today(unit, caller.user.id, wiring.today())  # she need not name them for each session
    return render(
        request, wiring, "check.html", caller, index=index, supervision=planned["supervision"], team=team, asked=asked,
        named_today=named,
    )  # fmt: skip


def _check_in(
    unit: StoreDep, wiring: WiringDep, caller: Caller, observations: dict[str, Any],
    answer: dict[str, Any] | None = None,
) -> CheckInRecord:  # fmt: skip
    return checkins.check_before_session(
        unit, caller.call, wiring.catalogue, caller.user.id, observations, wiring.today(), mail=wiring.mail,
        answer=answer,
    )  # fmt: skip


def _stop_page(request: Request, unit: Store, wiring: WiringDep, caller: Caller, record: CheckInRecord) -> Response:
    return render(
        request, wiring, "stop.html", caller, triage=record.triage, heading=TRIAGE_WORDS[record.triage],
        actions=record.response["actions"], unit_phone=people.unit_phone(unit, caller.user.id),
    )  # fmt: skip


def _start(wiring: WiringDep, caller: Caller, index: int, choice: Choice) -> str | BumpwellError:
    """Start the session through the one service (in a thread: a PIN is checked there); its id, or the refusal."""

    def work(own: Store) -> str:
        call = Call(caller.user, wiring.clock())
        start = sessions.Start(wiring.today(), index, None, choice)
        record, _items = sessions.start_session(own, call, wiring.hasher, wiring.catalogue.policy, call.user.id, start)
        return record.id

    try:
        return in_own_unit(wiring, work)
    except BumpwellError as exc:
        return exc


def _refused(exc: BumpwellError, index: int) -> Response:
    """Where a refused start leads: an old check to the check again, a changed plan to today's plan."""
    if isinstance(exc, Conflict) and exc.field == "check_in":
        return redirect(f"/check?index={index}")  # the check before a session comes first
    if isinstance(exc, Conflict | InvalidRequest):
        return redirect("/today")  # the new check-in changed today's plan: show it
    raise exc


WHO = frozenset({"ask", "pin", "alone", "named"})


def _index(form: dict[str, Any]) -> int:
    raw = str(form.get("index", "0"))
    return int(raw) if raw.isdigit() and len(raw) < 3 else 0


def _check_errors(form: dict[str, Any], required: bool, who: str) -> dict[str, str]:
    """What the check page still needs chosen: nothing is assumed, not even "no warning signs"."""
    errors = {}
    if form.get("warning") != "no":
        errors["warning"] = 'Warning signs: choose "No warning signs" or "Yes, I have one".'
    if required and who not in WHO:
        errors["who"] = "Choose how you will do this session: with your supervisor, or alone."
    if required and who == "named" and not str(form.get("named", "")).strip():
        errors["named"] = "Their name: type the name of who is with you."
    return errors


@router.post("/check", response_class=HTMLResponse)
def check(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """The quick check re-runs the engine; a red flag stops everything and shows whom to call.

    A session that needs supervision then goes on by the way the person chose: a supervisor confirms on their own
    phone, types their PIN here, or the person explicitly chooses to start alone.
    """
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    index = _index(form)
    if _birth_needed(unit, wiring, caller):
        return redirect("/birth")
    if form.get("warning") == "yes":
        return redirect(f"/check/signs?index={index}")
    planned = _session_of_today(unit, wiring, caller, index)
    who = str(form.get("who", ""))
    required = planned["supervision"] == "required"
    errors = _check_errors(form, required, who)
    if errors:
        team = presence.supervisors(unit, caller.user.id)
        return render(
            request, wiring, "check.html", caller, status=422, index=index, supervision=planned["supervision"],
            team=team, errors=errors, form=form,
        )  # fmt: skip
    record = _check_in(unit, wiring, caller, {})
    if stops(record.triage, record.exercise):
        unit.commit()
        return _stop_page(request, unit, wiring, caller, record)
    if required and who == "ask":
        try:
            today = wiring.today()
            policy = wiring.catalogue.policy
            asked = presence.ask(unit, caller.call, policy, caller.user.id, today, index, today, wiring.mail)
        except Conflict:
            unit.commit()
            return redirect(f"/check/alone?index={index}")
        unit.commit()
        return redirect(f"/check/wait/{asked.id}")
    if required and who == "named":
        unit.commit()
        return _start_and_play(wiring, caller, index, Choice(named=str(form.get("named", ""))))
    if required and who == "pin":
        unit.commit()
        return redirect(f"/check/pin?index={index}")
    if required and form.get("understood") != "yes":
        unit.commit()
        return redirect(f"/check/alone?index={index}")  # the explicit choice, on its own page
    unit.commit()  # the check is kept whatever follows; the start has its own unit of work
    return _start_and_play(wiring, caller, index, Choice(alone=required))


def _start_and_play(wiring: WiringDep, caller: Caller, index: int, choice: Choice) -> Response:
    started = _start(wiring, caller, index, choice)
    if isinstance(started, BumpwellError):
        return _refused(started, index)
    return redirect(f"/session/{started}")


@router.get("/check/wait/{request_id}", response_class=HTMLResponse)
def wait_page(request_id: str, request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
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
    return render(
        request, wiring, "check_wait.html", caller, asked=asked, team=team, ended=ended, not_yet=not_yet,
        request_minutes=wiring.catalogue.policy.presence_request_min,
    )  # fmt: skip


@router.post("/check/wait/{request_id}", response_class=HTMLResponse)
def wait_start(request_id: str, request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """Start once a supervisor has confirmed; until then say so and stay."""
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    asked = unit.get(PresenceRequestRecord, request_id)
    if asked is None or asked.person_id != caller.user.id:
        raise NotFound("presence request")
    unit.rollback()
    started = _start(wiring, caller, asked.session_index, Choice(request_id=request_id))
    if isinstance(started, Conflict | InvalidRequest) and started.field == "presence_request_id":
        return _wait(request, unit, wiring, caller, asked, not_yet=True)  # kind words, and the page stays
    if isinstance(started, BumpwellError):
        return _refused(started, asked.session_index)
    return redirect(f"/session/{started}")


@router.get("/check/pin", response_class=HTMLResponse)
def pin_page(request: Request, unit: StoreDep, wiring: WiringDep, index: int = 0) -> Response:
    caller = require_person(request, unit, wiring)
    team = presence.supervisors(unit, caller.user.id)
    return render(request, wiring, "check_pin.html", caller, index=index, team=team)


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
        return f"Type {member.display_name}'s PIN: 6 to 8 digits."
    return None


@router.post("/check/pin", response_class=HTMLResponse)
def pin_start(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """The supervisor types their own PIN on the person's phone; a wrong PIN counts towards the limit."""
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    index = _index(form)
    chosen, pin = str(form.get("supervisor_id", "")), str(form.get("pin", "")).strip()
    team = presence.supervisors(unit, caller.user.id)
    name = next((m.display_name for m in team if m.id == chosen), "")
    problem = _pin_problem(team, chosen, pin)
    unit.rollback()  # the start runs in a thread with its own unit of work
    started = _start(wiring, caller, index, Choice(supervisor_id=chosen, pin=pin)) if problem is None else None
    if isinstance(started, InvalidRequest) and started.field == "pin":
        problem = f"That is not {name}'s PIN. Please try again."
    elif isinstance(started, TooManyAttempts):
        wait = max(1, round(started.retry_after_s / 60))
        problem = f"Too many wrong PINs for {name}. Please wait {wait} minutes, or choose another way below."
    elif isinstance(started, BumpwellError):
        return _refused(started, index)
    if problem is not None:
        return render(
            request, wiring, "check_pin.html", caller, status=422, index=index, team=team,
            errors={"pin": problem}, form={"supervisor_id": chosen},
        )  # fmt: skip
    return redirect(f"/session/{started}")


@router.get("/check/alone", response_class=HTMLResponse)
def alone_page(request: Request, unit: StoreDep, wiring: WiringDep, index: int = 0) -> Response:
    caller = require_person(request, unit, wiring)
    team = presence.supervisors(unit, caller.user.id)
    return render(request, wiring, "alone.html", caller, index=index, team=team)


@router.post("/check/alone", response_class=HTMLResponse)
def alone_start(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """The person's explicit choice to start a session that needs supervision alone; recorded with the session."""
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    index = _index(form)
    if form.get("understood") != "yes":
        team = presence.supervisors(unit, caller.user.id)
        errors = {"understood": "Tick the box to confirm that you choose to start alone, or go back and wait."}
        return render(request, wiring, "alone.html", caller, status=422, index=index, team=team, errors=errors)
    unit.rollback()
    return _start_and_play(wiring, caller, index, Choice(alone=True))


def _birth_needed(unit: StoreDep, wiring: WiringDep, caller: Caller) -> bool:
    asked = pages_birth.question(unit, wiring, caller)
    return asked is not None and asked.question == "birth_needed"


def _checklist(unit: StoreDep, wiring: WiringDep, caller: Caller) -> StageList:
    return stages.checklist(unit, caller.call, wiring.catalogue, caller.user.id, wiring.today())


def _signs_page(
    request: Request, unit: StoreDep, wiring: WiringDep, caller: Caller, index: int, **extra: Any
) -> Response:
    """The warning signs, and after an open red flag the follow-up questions (whether she was seen, what she heard)."""
    flag = follow_up.open_finding(unit, wiring.catalogue.policy, caller.user.id)
    since = f"{flag.raised_at.day} {flag.raised_at:%B}" if flag is not None else None
    return render(
        request, wiring, "warnings.html", caller, step=None, action="/check/signs",
        checklist=_checklist(unit, wiring, caller), carry={"index": index},
        asked=pages_birth.question(unit, wiring, caller), follow_up_since=since, **extra,
    )  # fmt: skip


@router.get("/check/signs", response_class=HTMLResponse)
def signs_page(request: Request, unit: StoreDep, wiring: WiringDep, index: int = 0) -> Response:
    """The warning-sign checklist for her stage today; past 42+6 the birth question comes first."""
    caller = require_person(request, unit, wiring)
    if _birth_needed(unit, wiring, caller):
        return redirect("/birth")
    return _signs_page(request, unit, wiring, caller, index)


@router.post("/check/signs", response_class=HTMLResponse)
def signs(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """Today's warning signs through the engine: stop and call, or carry on to today's plan."""
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    if _birth_needed(unit, wiring, caller):
        return redirect("/birth")
    per_hour = wiring.catalogue.policy.contractions_per_hour
    try:
        observations = forms.observations(form, _checklist(unit, wiring, caller), per_hour)
        record = _check_in(unit, wiring, caller, observations, forms.follow_up(form))
    except InvalidRequest as exc:
        unit.rollback()
        errors = errors_of(exc)
        return _signs_page(request, unit, wiring, caller, _index(form), form=form, errors=errors, status=422)
    unit.commit()
    if stops(record.triage, record.exercise):
        return _stop_page(request, unit, wiring, caller, record)
    return redirect(f"/result/{record.id}")
