"""The clinician's pages: the board of linked people ordered by need, and one person's page with its forms.

Every read and change goes through the services, so the access policy and the audit trail apply: a clinician not on
the person's team gets the same "not found" page as for an unknown id.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from bumpwell.domain.care_board import Need
from bumpwell.domain.screening import clearable
from bumpwell.domain.stage import gestation_on, postpartum_on
from bumpwell.errors import Conflict, InvalidRequest, NotFound
from bumpwell.exporters.charts import describe, progress_chart
from bumpwell.exporters.report import report_pdf
from bumpwell.services import adjustments, board, careteam, checkins, diary, flags, people, reports, sessions
from bumpwell.services.records import UserRecord
from bumpwell.web.deps import Caller, StoreDep, WiringDep
from bumpwell.web.pages_library import SVG_CSP
from bumpwell.web.pages_start import FormDep
from bumpwell.web.views import check_csrf, redirect, render, require_role

router = APIRouter(include_in_schema=False)
PAGE = 50
NEED_WORDS = {
    Need.red_flag: "Red flag",
    Need.escalation: "Escalation",
    Need.clearance: "Clearance",
    Need.missed: "Missed sessions",
    Need.on_track: "On track",
}
SUPERVISION_WORDS = {
    "alone": "She chose to start alone",
    "not_confirmed": "Nobody confirmed",
    "not_needed": "Safe alone",
}
METHOD_WORDS = {"pin": "PIN on her phone", "own_phone": "on their own phone"}
DOSE_FIELDS = (("sets", "Sets"), ("reps", "Repetitions"), ("hold_s", "Hold (seconds)"), ("minutes", "Minutes"))


@router.get("/clinic", response_class=HTMLResponse)
async def clinic(request: Request, unit: StoreDep, wiring: WiringDep, page: int = 1) -> Response:
    """The board: linked people, most pressing first, fifty to a page."""
    caller = require_role(request, unit, wiring, "clinician")
    page = max(1, min(page, 10_000))
    found = board.board(unit, caller.call, wiring.catalogue, wiring.today(), PAGE, (page - 1) * PAGE)
    waiting = [(link, person) for link, person in careteam.my_people(unit, caller.user) if link.status == "pending"]
    unit.commit()
    return render(
        request, wiring, "clinic.html", caller, nav="clinic", rows=found.rows, counts=found.counts, total=found.total,
        page=page, pages=max(1, -(-found.total // PAGE)), need_words=NEED_WORDS, waiting=waiting,
    )  # fmt: skip


def _stage(profile: Any, today: date) -> str:
    if profile.status == "pregnant" and profile.due_date is not None:
        weeks, days = gestation_on(profile.due_date, today)
        return f"{weeks}+{days} weeks pregnant (due {profile.due_date.isoformat()})"
    weeks, days = postpartum_on(profile.birth_date or today, today)
    return f"{weeks}+{days} weeks after the birth ({profile.delivery or 'birth'})"


def _person_page(
    request: Request, unit: StoreDep, wiring: WiringDep, caller: Caller, person_id: str, status: int = 200,
    **context: Any,
) -> Response:  # fmt: skip
    call, today = caller.call, wiring.today()
    person = unit.get(UserRecord, person_id)
    profile = people.get_profile(unit, call, person_id)  # the access check: not on her team, not found
    assert person is not None  # a profile belongs to an account
    history, _n = checkins.list_check_ins(unit, call, person_id, 8, 0)
    try:
        plan = checkins.current_plan(unit, call, person_id)
    except NotFound:
        plan = None
    flag_list, _f = flags.list_flags(unit, call, person_id, False, 20, 0)
    session_list, session_total = sessions.list_sessions(unit, call, person_id, 20, 0)
    conditions = people.get_screening(unit, call, person_id)
    changes, _a = adjustments.list_adjustments(unit, call, person_id, 20, 0)
    notes, _t = careteam.notes(unit, call, person_id, 20, 0)
    weeks = diary.progress_summary(unit, call, person_id, today, 8)["weeks"]
    unit.commit()
    names = {code: rule.name for code, rule in wiring.catalogue.rules.items()}
    planned = sorted(
        {i["exercise"] for s in (plan.plan.get("sessions", []) if plan else []) for i in s["items"]},
        key=lambda e: wiring.catalogue.exercises[e].name,
    )
    completed = sum(1 for s in session_list if s.status == "completed")
    alone = sum(1 for s in session_list if s.supervision_status == "alone")
    version = hashlib.sha256(json.dumps(weeks, default=str).encode()).hexdigest()[:8]
    return render(
        request, wiring, "clinic_person.html", caller, status=status, nav="clinic", person=person, profile=profile,
        stage=_stage(profile, today), history=history, latest=history[0] if history else None, plan=plan,
        flags=flag_list, sessions=session_list, session_total=session_total, completed=completed, alone=alone,
        conditions=conditions, clearable=clearable, names=names, changes=changes, notes=notes, weeks=weeks,
        chart_alt=describe(weeks), chart_version=version, planned=planned,
        exercises=sorted(wiring.catalogue.exercises.values(), key=lambda e: e.name),
        supervision_words=SUPERVISION_WORDS, method_words=METHOD_WORDS, dose_fields=DOSE_FIELDS, today=today,
        **context,
    )  # fmt: skip


@router.get("/clinic/people/{person_id}", response_class=HTMLResponse)
async def person_page(person_id: str, request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """One person: stage, pattern, red flags, pain, adherence, sessions, check-ins, plan, clearances, notes."""
    caller = require_role(request, unit, wiring, "clinician")
    return _person_page(request, unit, wiring, caller, person_id, saved=request.query_params.get("saved", ""))


@router.get("/clinic/people/{person_id}/chart.svg")
async def person_chart(person_id: str, request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = require_role(request, unit, wiring, "clinician")
    weeks = diary.progress_summary(unit, caller.call, person_id, wiring.today(), 8)["weeks"]
    unit.commit()
    headers = {"Content-Security-Policy": SVG_CSP, "Cache-Control": "private, no-store"}
    return Response(progress_chart(weeks), media_type="image/svg+xml", headers=headers)


@router.get("/clinic/people/{person_id}/report.pdf")
async def person_report(person_id: str, request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = require_role(request, unit, wiring, "clinician")
    story = reports.person_story(unit, caller.call, wiring.catalogue, person_id, wiring.today())
    unit.commit()
    pdf = await run_in_threadpool(report_pdf, story)
    name = f"bumpwell-report-{wiring.today().isoformat()}.pdf"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(pdf, media_type="application/pdf", headers=headers)


def _failed(
    request: Request, unit: StoreDep, wiring: WiringDep, caller: Caller, person_id: str, form_name: str,
    exc: InvalidRequest | Conflict, form: dict[str, Any],
) -> Response:  # fmt: skip
    unit.rollback()
    errors = {f"{form_name}-{exc.field}": exc.message}
    return _person_page(request, unit, wiring, caller, person_id, status=422, errors=errors, form=form,
                        failed=form_name)  # fmt: skip


def _whole(value: object, field: str) -> int | None:
    raw = str(value or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 4:
        raise InvalidRequest(field, "must be a whole number")
    return int(raw)


@router.post("/clinic/people/{person_id}/flags/{flag_id}/close", response_class=HTMLResponse)
async def close_flag(
    person_id: str, flag_id: str, request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep
) -> Response:
    caller = require_role(request, unit, wiring, "clinician")
    check_csrf(form, caller)
    try:
        flags.close_flag(unit, caller.call, person_id, flag_id, str(form.get("note", "")))
    except (InvalidRequest, Conflict) as exc:
        return _failed(request, unit, wiring, caller, person_id, f"flag-{flag_id}", exc, form)
    unit.commit()
    return redirect(f"/clinic/people/{person_id}?saved=flag")


@router.post("/clinic/people/{person_id}/clearance/{code}", response_class=HTMLResponse)
async def clear(
    person_id: str, code: str, request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep
) -> Response:
    """Record a clearance with limits; the engine follows it from her next check-in."""
    caller = require_role(request, unit, wiring, "clinician")
    check_csrf(form, caller)
    try:
        minutes = _whole(form.get("max_minutes"), "max_minutes")
        if minutes is not None and not 5 <= minutes <= 120:
            raise InvalidRequest("max_minutes", "must be from 5 to 120 minutes, or empty for no limit")
        raw_until = str(form.get("until", "")).strip()
        try:
            until = date.fromisoformat(raw_until) if raw_until else None
        except ValueError:
            raise InvalidRequest("until", "must be a date (YYYY-MM-DD), or empty") from None
        allowed = form.get("allowed")
        chosen = [str(a) for a in (allowed if isinstance(allowed, list) else [allowed] if allowed else [])]
        data = people.ClearanceInput(chosen or None, minutes, until)
        people.clear_condition(unit, caller.call, wiring.catalogue, person_id, code, data, wiring.today())
    except (InvalidRequest, Conflict) as exc:
        return _failed(request, unit, wiring, caller, person_id, f"clear-{code}", exc, form)
    unit.commit()
    return redirect(f"/clinic/people/{person_id}?saved=clearance")


@router.post("/clinic/people/{person_id}/clearance/{code}/withdraw", response_class=HTMLResponse)
async def withdraw(
    person_id: str, code: str, request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep
) -> Response:
    caller = require_role(request, unit, wiring, "clinician")
    check_csrf(form, caller)
    people.withdraw_clearance(unit, caller.call, person_id, code)
    unit.commit()
    return redirect(f"/clinic/people/{person_id}?saved=withdrawn")


@router.post("/clinic/people/{person_id}/adjustments", response_class=HTMLResponse)
async def adjust(person_id: str, request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """Take an exercise out, or change its dose, with the reason the person will read."""
    caller = require_role(request, unit, wiring, "clinician")
    check_csrf(form, caller)
    action = str(form.get("action", ""))
    try:
        dose = None
        if action == "dose":
            values = {key: _whole(form.get(key), f"dose.{key}") for key, _label in DOSE_FIELDS}
            dose = {key: value for key, value in values.items() if value is not None}
        adjustments.add(
            unit, caller.call, wiring.catalogue, person_id, str(form.get("exercise", "")), action, dose,
            str(form.get("reason", "")),
        )  # fmt: skip
    except (InvalidRequest, Conflict) as exc:
        return _failed(request, unit, wiring, caller, person_id, "adjust", exc, form)
    unit.commit()
    return redirect(f"/clinic/people/{person_id}?saved=adjustment")


@router.post("/clinic/people/{person_id}/adjustments/{adjustment_id}/end", response_class=HTMLResponse)
async def end_adjustment(
    person_id: str, adjustment_id: str, request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep
) -> Response:
    caller = require_role(request, unit, wiring, "clinician")
    check_csrf(form, caller)
    adjustments.end(unit, caller.call, wiring.catalogue, person_id, adjustment_id)
    unit.commit()
    return redirect(f"/clinic/people/{person_id}?saved=ended")


@router.post("/clinic/people/{person_id}/notes", response_class=HTMLResponse)
async def note(person_id: str, request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = require_role(request, unit, wiring, "clinician")
    check_csrf(form, caller)
    try:
        careteam.add_note(unit, caller.call, person_id, str(form.get("text", "")))
    except InvalidRequest as exc:
        return _failed(request, unit, wiring, caller, person_id, "note", exc, form)
    unit.commit()
    return redirect(f"/clinic/people/{person_id}?saved=note")
