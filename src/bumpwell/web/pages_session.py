"""The person's daily pages: today, the pre-session check, the guided player, the diary, progress and the library."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bumpwell.domain.catalogue import Dose
from bumpwell.domain.session_flow import build_steps
from bumpwell.domain.session_state import Effort, StopReason
from bumpwell.errors import Conflict, InvalidRequest, NotFound, TooManyAttempts
from bumpwell.services import checkins, diary, presence, sessions
from bumpwell.services.ports import Store
from bumpwell.services.presence import Supervision
from bumpwell.services.records import CheckInRecord, DiaryRecord, PlanRecord, PresenceRequestRecord
from bumpwell.web import forms
from bumpwell.web.deps import Caller, StoreDep, WiringDep, in_thread
from bumpwell.web.pages_start import FormDep, errors_of
from bumpwell.web.views import check_csrf, redirect, render, require_person

router = APIRouter(include_in_schema=False)
STOPPING = frozenset({"emergency", "urgent_same_day", "contact_within_24h"})


def _latest(unit: StoreDep, person_id: str) -> tuple[CheckInRecord | None, PlanRecord | None]:
    found = unit.find(CheckInRecord, {"person_id": person_id}, order_by="created_at", descending=True, limit=1)
    if not found:
        return None, None
    plan = unit.find(PlanRecord, {"check_in_id": found[0].id}, limit=1)
    return found[0], plan[0] if plan else None


def _todays_pain(unit: StoreDep, person_id: str, today: date) -> int | None:
    found = unit.find(DiaryRecord, {"person_id": person_id, "day": today}, limit=1)
    return found[0].pain if found else None


@router.get("/today", response_class=HTMLResponse)
async def today(request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """Today's session(s), the week, and the one-tap pain entry."""
    caller = require_person(request, unit, wiring)
    last, plan = _latest(unit, caller.user.id)
    day = wiring.today()
    todays = [s for s in plan.plan["sessions"] if s["day"] == day.isoformat()] if plan else []
    return render(
        request,
        wiring,
        "today.html",
        caller,
        nav="today",
        last=last,
        plan=plan,
        sessions=todays,
        today=day.isoformat(),
        todays_pain=_todays_pain(unit, caller.user.id, day),
    )


def _session_of_today(unit: StoreDep, wiring: WiringDep, caller: Caller, index: int) -> dict[str, Any]:
    _last, plan = _latest(unit, caller.user.id)
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
    last, _plan = _latest(unit, caller.user.id)
    answers: dict[str, Any] = {"observations": observations}
    if last is not None and "pain" in last.request:
        answers["pain"] = last.request["pain"]
    record, _ = checkins.check_in(
        unit, caller.call, wiring.catalogue, caller.user.id, answers, wiring.today(), mail=wiring.mail
    )
    return record


def _stop_page(request: Request, wiring: WiringDep, caller: Caller, record: CheckInRecord) -> Response:
    from bumpwell.web.views import TRIAGE_WORDS

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
    last, _plan = _latest(unit, caller.user.id)
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
    team = presence.supervisors(unit, caller.user.id)
    return render(request, wiring, "check_wait.html", caller, asked=asked, team=team, now=caller.call.now)


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
    except (Conflict, InvalidRequest) as exc:
        team = presence.supervisors(unit, caller.user.id)
        return render(
            request, wiring, "check_wait.html", caller, status=409, asked=asked, team=team, now=caller.call.now,
            errors={"form": exc.message},
        )  # fmt: skip
    return _start_and_play(unit, wiring, caller, asked.session_index, supervision, request_id)


@router.get("/check/pin", response_class=HTMLResponse)
async def pin_page(request: Request, unit: StoreDep, wiring: WiringDep, index: int = 0) -> Response:
    caller = require_person(request, unit, wiring)
    team = presence.supervisors(unit, caller.user.id)
    return render(request, wiring, "check_pin.html", caller, index=index, team=team)


@router.post("/check/pin", response_class=HTMLResponse)
async def pin_start(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """The supervisor types their own PIN on the person's phone; a wrong PIN counts towards the limit."""
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    index = _index(form)
    person_id, now = caller.user.id, caller.call.now
    chosen, pin = str(form.get("supervisor_id", "")), str(form.get("pin", ""))
    unit.rollback()  # the PIN check runs in a thread with its own unit of work

    def work(own: Store) -> Supervision | str:
        try:
            return presence.with_pin(own, wiring.hasher, person_id, chosen, pin, now)
        except InvalidRequest as exc:
            return exc.message  # the failed attempt is committed with the unit of work

    try:
        found = await in_thread(wiring, work)
    except TooManyAttempts as exc:
        found = f"Too many wrong PINs. Please wait {max(1, exc.retry_after_s // 60)} minutes, or choose another way."
    if isinstance(found, str):
        team = presence.supervisors(unit, person_id)
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


@router.get("/session/{session_id}", response_class=HTMLResponse)
async def player(session_id: str, request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """The guided player: the steps as JSON for player.js, the list of exercises for everyone."""
    caller = require_person(request, unit, wiring)
    record, items = sessions.get_session(unit, caller.call, caller.user.id, session_id)
    if record.status != "started":
        return redirect("/today")
    steps = build_steps([(i.exercise, Dose(**i.dose)) for i in items], wiring.catalogue)
    names = {i.exercise: wiring.catalogue.exercises[i.exercise].name for i in items}
    first = items[0].exercise if items else "walking"
    return render(
        request,
        wiring,
        "player.html",
        caller,
        session=record,
        items=items,
        person_id=caller.user.id,
        steps_json=_json([s.as_dict() for s in steps]),
        names_json=_json(names),
        first_exercise=first,
        first_name=names.get(first, ""),
    )


def _json(value: Any) -> str:
    """JSON safe inside a <script type="application/json"> block."""
    return json.dumps(value).replace("<", "\\u003c")


@router.get("/session/{session_id}/after", response_class=HTMLResponse)
async def after_page(session_id: str, request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = require_person(request, unit, wiring)
    record, _items = sessions.get_session(unit, caller.call, caller.user.id, session_id)
    if record.status != "started":
        return redirect("/today")
    return render(request, wiring, "after.html", caller, session=record)


@router.post("/session/{session_id}/after", response_class=HTMLResponse)
async def after(session_id: str, request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """Pain now, effort and anything unusual; rising pain makes those exercises easier next time (M10)."""
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    record, _items = sessions.get_session(unit, caller.call, caller.user.id, session_id)
    try:
        pain_after = forms._whole(form.get("pain_after", ""), "pain_after", 0, 10)
        effort = str(form.get("effort", ""))
        if effort not in Effort.__members__:
            raise InvalidRequest("effort", "choose one answer to the talk test")
        _s, _i, easier = sessions.complete_session(
            unit,
            caller.call,
            wiring.catalogue,
            caller.user.id,
            session_id,
            pain_after,
            effort,
            str(form.get("unusual", ""))[:2000],
        )
    except InvalidRequest as exc:
        return render(request, wiring, "after.html", caller, session=record, errors=errors_of(exc), status=422)
    except Conflict:
        return redirect("/today")
    unit.commit()
    message = (
        "Your pain went up during the session, so bumpwell will make it easier next time."
        if easier
        else "Well done. Your plan carries on as it is."
    )
    return render(request, wiring, "done.html", caller, heading="Saved", message=message, easier=list(easier))


@router.post("/session/{session_id}/stop", response_class=HTMLResponse)
async def stop(session_id: str, request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """Stopped early: a warning sign goes straight to the warning-sign check."""
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    reason = str(form.get("reason", "other"))
    if reason not in StopReason.__members__:
        reason = "other"
    try:
        sessions.stop_session(
            unit, caller.call, caller.user.id, session_id, StopReason(reason), "", None, mail=wiring.mail
        )
        unit.commit()
    except Conflict:
        pass  # stopped already (an offline stop that arrived twice): nothing to add
    if reason == "warning_sign":
        return redirect("/check/signs")
    return render(
        request,
        wiring,
        "done.html",
        caller,
        heading="Session stopped",
        message="That's fine. Rest now. Your plan will be there tomorrow.",
        easier=[],
    )


@router.post("/diary", response_class=HTMLResponse)
async def diary_entry(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """One tap: the day's pain."""
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    try:
        day = date.fromisoformat(str(form.get("day", "")))
        pain = forms._whole(form.get("pain", ""), "pain", 0, 10)
        diary.write_entry(
            unit, caller.call, caller.user.id, day, pain, str(form.get("note", ""))[:2000], wiring.today()
        )
    except (ValueError, InvalidRequest):
        return redirect("/diary")
    unit.commit()
    referer = "/today" if form.get("from") == "today" else "/diary"
    return redirect(referer)


@router.get("/diary", response_class=HTMLResponse)
async def diary_page(request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = require_person(request, unit, wiring)
    entries, _total = diary.list_entries(unit, caller.call, caller.user.id, 60, 0)
    day = wiring.today()
    return render(
        request,
        wiring,
        "diary.html",
        caller,
        nav="diary",
        entries=entries,
        today=day.isoformat(),
        todays_pain=_todays_pain(unit, caller.user.id, day),
    )
