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
from bumpwell.errors import Conflict, InvalidRequest, NotFound
from bumpwell.services import checkins, diary, sessions
from bumpwell.services.ports import Store
from bumpwell.services.presence import Supervision
from bumpwell.services.records import CheckInRecord, DiaryRecord, PlanRecord
from bumpwell.web import forms
from bumpwell.web.deps import Caller, StoreDep, WiringDep
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
    return render(request, wiring, "check.html", caller, index=index, supervision=planned["supervision"])


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


@router.post("/check", response_class=HTMLResponse)
async def check(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """The quick check re-runs the engine; a red flag stops everything and shows whom to call."""
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    index = int(str(form.get("index", "0"))) if str(form.get("index", "0")).isdigit() else 0
    if form.get("warning") == "yes":
        return redirect(f"/check/signs?index={index}")
    planned = _session_of_today(unit, wiring, caller, index)
    if planned["supervision"] == "required" and form.get("someone") == "no":
        return render(request, wiring, "alone.html", caller)
    record = _check_in(unit, wiring, caller, {})
    if record.exercise == "no" or record.triage in STOPPING:
        unit.commit()
        return _stop_page(request, wiring, caller, record)
    try:
        session_id = _start(unit, wiring, caller, index, None)
    except (Conflict, InvalidRequest):
        unit.commit()
        return redirect("/today")  # the new check-in changed today's plan: show it
    unit.commit()
    return redirect(f"/session/{session_id}")


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
