"""The person's daily pages: today, the guided player, the after-session questions and the diary.

The check before a session lives in ``pages_check``."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bumpwell.domain.catalogue import Dose
from bumpwell.domain.session_flow import build_steps
from bumpwell.domain.session_state import Effort, StopReason
from bumpwell.errors import Conflict, InvalidRequest
from bumpwell.services import diary, sessions
from bumpwell.services.ports import Store
from bumpwell.services.records import CheckInRecord, DiaryRecord, PlanRecord
from bumpwell.web import forms, pages_birth
from bumpwell.web.deps import StoreDep, WiringDep
from bumpwell.web.pages_start import FormDep, errors_of
from bumpwell.web.player_guide import player_guide, player_words
from bumpwell.web.views import check_csrf, redirect, render, require_person

router = APIRouter(include_in_schema=False)


def latest(unit: Store, person_id: str) -> tuple[CheckInRecord | None, PlanRecord | None]:
    """The person's latest check-in and the plan made from it."""
    found = unit.find(CheckInRecord, {"person_id": person_id}, order_by="created_at", descending=True, limit=1)
    if not found:
        return None, None
    plan = unit.find(PlanRecord, {"check_in_id": found[0].id}, limit=1)
    return found[0], plan[0] if plan else None


def _todays_pain(unit: StoreDep, person_id: str, today: date) -> int | None:
    found = unit.find(DiaryRecord, {"person_id": person_id, "day": today}, limit=1)
    return found[0].pain if found else None


@router.get("/today", response_class=HTMLResponse)
def today(request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """Today's session(s), the week, and the one-tap pain entry."""
    caller = require_person(request, unit, wiring)
    last, plan = latest(unit, caller.user.id)
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
        asked=pages_birth.question(unit, wiring, caller),
    )


@router.get("/session/{session_id}", response_class=HTMLResponse)
def player(session_id: str, request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """The guided player: the steps as JSON for player.js, the list of exercises for everyone."""
    caller = require_person(request, unit, wiring)
    record, items = sessions.get_session(unit, caller.call, caller.user.id, session_id)
    if record.status != "started":
        return redirect("/today")
    doses = [(i.exercise, Dose(**i.dose)) for i in items]
    steps = build_steps(doses, wiring.catalogue)
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
        guide_json=_json(player_guide(wiring.catalogue, doses)),
        exercise_count=len(items),
        player_words=player_words(wiring.catalogue),
        first_exercise=first,
        first_name=names.get(first, ""),
    )


def _json(value: Any) -> str:
    """JSON safe inside a <script type="application/json"> block."""
    return json.dumps(value).replace("<", "\\u003c")


@router.get("/session/{session_id}/after", response_class=HTMLResponse)
def after_page(session_id: str, request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = require_person(request, unit, wiring)
    record, _items = sessions.get_session(unit, caller.call, caller.user.id, session_id)
    if record.status != "started":
        return redirect("/today")
    return render(request, wiring, "after.html", caller, session=record)


def _after_errors(form: dict[str, Any]) -> dict[str, str]:
    """What the after page still needs chosen, each named: neither the pain nor the effort is assumed."""
    errors = {}
    if str(form.get("pain_after", "")) not in {str(n) for n in range(11)}:
        errors["pain_after"] = "Pain now: choose a number from 0 (none) to 10."
    if str(form.get("effort", "")) not in Effort.__members__:
        errors["effort"] = "The talk test: choose the answer that fits how the session felt."
    return errors


@router.post("/session/{session_id}/after", response_class=HTMLResponse)
def after(session_id: str, request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """Pain now, effort and anything unusual; rising pain makes those exercises easier next time (M10)."""
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    record, _items = sessions.get_session(unit, caller.call, caller.user.id, session_id)
    errors = _after_errors(form)
    if errors:
        return render(request, wiring, "after.html", caller, session=record, errors=errors, form=form, status=422)
    try:
        _s, _i, easier = sessions.complete_session(
            unit, caller.call, wiring.catalogue, caller.user.id, session_id, int(form["pain_after"]),
            str(form["effort"]), str(form.get("unusual", ""))[:2000],
        )  # fmt: skip
    except InvalidRequest as exc:
        return render(
            request, wiring, "after.html", caller, session=record, errors=errors_of(exc), form=form, status=422
        )
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
def stop(session_id: str, request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
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
def diary_entry(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """One tap: the day's pain."""
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    day = forms._day(form.get("day"), "day") or wiring.today()
    pain = forms._whole(form.get("pain", ""), "pain", 0, 10)
    # a refusal (a day out of range, say) is a page naming the field, never a silent return to the diary
    diary.write_entry(unit, caller.call, caller.user.id, day, pain, str(form.get("note", ""))[:2000], wiring.today())
    unit.commit()
    referer = "/today" if form.get("from") == "today" else "/diary"
    return redirect(referer)


@router.get("/diary", response_class=HTMLResponse)
def diary_page(request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
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
