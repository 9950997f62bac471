"""The clinician's pages: the board of linked people ordered by need, and one person's page with its forms.

Every read and change goes through the services, so the access policy and the audit trail apply: a clinician not on
the person's team gets the same "not found" page as for an unknown id, and any other role gets "not yours". The
words for codes live in ``clinic_words``; this module only reads, checks forms and maps errors to their fields.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from bumpwell.domain.care_board import Need
from bumpwell.domain.caseload import SEARCH_MAX, Sort, Stage
from bumpwell.domain.screening import clearable
from bumpwell.errors import Conflict, Forbidden, InvalidRequest, NotFound
from bumpwell.exporters.charts import describe, progress_chart
from bumpwell.exporters.read_model import TRIAGE_LEVEL
from bumpwell.services import (
    acknowledgements,
    adjustments,
    board,
    careteam,
    checkins,
    diary,
    flags,
    identity,
    messages,
    people,
    sessions,
)
from bumpwell.services.records import UserRecord
from bumpwell.web import clinic_words as words
from bumpwell.web import forms
from bumpwell.web.deps import Caller, StoreDep, WiringDep
from bumpwell.web.inputs import form_fields
from bumpwell.web.pages_library import SVG_CSP
from bumpwell.web.views import LoginRequired, check_csrf, page_caller, redirect, render

router = APIRouter(include_in_schema=False)
PAGE = 50  # people on one page of the board
WEEKS = 8  # weeks of the pain chart and its table
ACK_DAYS = 7  # the day a new acknowledgement's form offers: a week on
LISTED = 20  # sessions, check-ins, notes and plan changes shown on a person's page


async def clinic_form(request: Request) -> dict[str, Any]:
    """The posted form; ``allowed`` (ticked exercises) is always a list, every other field its last value."""
    out = form_fields(await request.form(), frozenset({"allowed"}))
    out.setdefault("allowed", [])
    return forms.checked_form(out)


ClinicForm = Annotated[dict[str, Any], Depends(clinic_form)]


def clinician(request: Request, unit: StoreDep, wiring: WiringDep) -> Caller:
    """The logged-in clinician; anyone else logged in is refused, without a word about the person asked for."""
    caller = page_caller(request, unit, wiring)
    if caller is None:
        raise LoginRequired
    if caller.user.role != "clinician":
        raise Forbidden("these pages are for clinicians")
    return caller


def board_query(params: Mapping[str, str]) -> board.BoardQuery:
    """The board's search, filters and order from the address; an unknown value names its field."""
    chosen: dict[str, Any] = {}
    for key, kind in (("need", Need), ("stage", Stage), ("sort", Sort)):
        raw = params.get(key, "")
        if raw:
            allowed = [k.name for k in kind]
            if raw not in allowed:
                raise InvalidRequest(key, f"must be one of: {', '.join(allowed)}")
            chosen[key] = kind[raw]
    return board.BoardQuery(params.get("q", "")[:SEARCH_MAX], **chosen)


@router.get("/clinic", response_class=HTMLResponse)
def clinic(request: Request, unit: StoreDep, wiring: WiringDep, page: int = 1) -> Response:
    """The board: linked people, most pressing first, fifty to a page; a search, level and stage narrow it."""
    caller = clinician(request, unit, wiring)
    try:
        query, error = board_query(request.query_params), None
    except InvalidRequest as exc:
        query, error = board.BoardQuery(), exc
    page = max(1, page)
    found = board.board(unit, caller.call, wiring.catalogue, wiring.today(), PAGE, (page - 1) * PAGE, query)
    pages = max(1, -(-found.total // PAGE))
    if page > pages:  # past the end (the board got shorter): the last page, not an empty one
        page = pages
        found = board.board(unit, caller.call, wiring.catalogue, wiring.today(), PAGE, (page - 1) * PAGE, query)
    waiting = board.waiting(unit, caller.call)
    unit.commit()
    return render(
        request, wiring, "clinic.html", caller, nav="clinic", status=422 if error else 200, rows=found.rows,
        total=found.total, everyone=found.everyone, summary=words.count_line(found.counts), page=page, pages=pages,
        first=(page - 1) * PAGE + 1, waiting=waiting, need_words=words.NEED, query=query,
        link=lambda **change: words.board_link(query, **change), stages=words.STAGES, sorts=words.SORTS,
        errors={error.field: f"{words.FIELD_LABELS.get(error.field, error.field)}: {error.message}"} if error else {},
    )  # fmt: skip


def _person_page(
    request: Request, wiring: WiringDep, unit: StoreDep, caller: Caller, person_id: str, status: int = 200,
    **context: Any,
) -> Response:  # fmt: skip
    call, today, catalogue = caller.call, wiring.today(), wiring.catalogue
    try:
        profile = people.get_profile(unit, call, person_id)  # the access check: not on her team, not found
    except NotFound as exc:
        if exc.what != "profile":
            raise
        profile = None  # on the team, but she has not told us her stage yet
    person = unit.get(UserRecord, person_id)
    if person is None:
        raise NotFound("person")
    who = identity.get_identity(unit, call, person_id)
    history, checks_total = checkins.list_check_ins(unit, call, person_id, LISTED, 0)
    try:
        plan = checkins.current_plan(unit, call, person_id)
    except NotFound:
        plan = None
    open_flags, _n = flags.list_flags(unit, call, person_id, True, 50, 0)
    recent_flags, _m = flags.list_flags(unit, call, person_id, False, LISTED, 0)
    session_list, session_total = sessions.list_sessions(unit, call, person_id, LISTED, 0)
    conditions = people.get_screening(unit, call, person_id)
    changes, _a = adjustments.list_adjustments(unit, call, person_id, LISTED, 0)
    notes, notes_total = careteam.notes(unit, call, person_id, LISTED, 0)
    sent = messages.sent_to(unit, call, person_id, LISTED)
    weeks = diary.progress_summary(unit, call, person_id, today, WEEKS)["weeks"]
    line = acknowledgements.board_line(unit, call, catalogue, person_id, today)
    acks, _k = acknowledgements.list_acknowledgements(unit, call, person_id, 5, 0)
    done = board.adherence(unit, call, person_id, date.fromisoformat(weeks[0]["week_start"]))
    unit.commit()
    names = {code: rule.name for code, rule in catalogue.rules.items()}
    alone = sum(1 for s in session_list if s.supervision_status == "alone")
    return render(
        request, wiring, "clinic_person.html", caller, status=status, nav="clinic", person=person, who=who,
        line=line, acks=acks, need_words=words.NEED, ack_until=today + timedelta(days=ACK_DAYS),
        stage=words.stage(profile, today), pattern=words.pattern(history),
        latest=history[0] if history else None, open_flags=open_flags,
        closed_flags=[f for f in recent_flags if f.closed_at is not None],
        sessions_done=words.sessions_done(done.between(today - timedelta(days=7), today - timedelta(days=1)),
                                          done.between(today - timedelta(days=28), today - timedelta(days=1)),
                                          done.between(today, today)[1]),
        weeks=words.week_rows(weeks, done, today), chart_alt=describe(weeks),
        chart_version=hashlib.sha256(json.dumps(weeks, default=str).encode()).hexdigest()[:8],
        sessions=[words.session_row(s, catalogue.policy) for s in session_list], session_total=session_total,
        alone=alone,
        started_alone=words.started_alone(alone, len(session_list)),
        history=[words.check_in_row(c, names) for c in history], checks_total=checks_total,
        plan_days=words.plan_days(plan, catalogue), plan=plan, changes=changes,
        conditions=conditions, clearable=clearable, names=names, notes=notes, notes_total=notes_total,
        exercises=sorted(catalogue.exercises.values(), key=lambda e: e.name),
        exercise_groups=words.exercise_groups(catalogue), planned=words.planned_ids(plan),
        dose_fields=words.DOSE_FIELDS, change_words=words.change_words, today=today, triage=TRIAGE_LEVEL,
        saved=words.SAVED.get(request.query_params.get("saved", ""), ("", "")), messages_sent=sent,
        message_chars=messages.MESSAGE_CHARS, mail=wiring.mail, **context,
    )  # fmt: skip


@router.get("/clinic/people/{person_id}", response_class=HTMLResponse)
def person_page(person_id: str, request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """One person: red flags, clearances, pain, adherence, sessions, check-ins, the plan and its changes, notes."""
    return _person_page(request, wiring, unit, clinician(request, unit, wiring), person_id)


@router.get("/clinic/people/{person_id}/chart.svg")
def person_chart(person_id: str, request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """Her weekly pain against minutes of exercise, drawn as on her own progress page."""
    caller = clinician(request, unit, wiring)
    weeks = diary.progress_summary(unit, caller.call, person_id, wiring.today(), WEEKS)["weeks"]
    unit.commit()
    headers = {"Content-Security-Policy": SVG_CSP, "Cache-Control": "private, no-store"}
    return Response(progress_chart(weeks), media_type="image/svg+xml", headers=headers)


def _failed(
    request: Request, wiring: WiringDep, unit: StoreDep, caller: Caller, person_id: str, form_name: str,
    exc: InvalidRequest | Conflict, form: dict[str, Any],
) -> Response:  # fmt: skip
    """Nothing is kept; the page again, with the message next to the field it is about (and in a summary on top)."""
    unit.rollback()
    field = exc.field.split("[")[0].replace(".", "-")
    target = form_name if field in ("code", "flag", "form") else f"{form_name}-{field}"
    label = words.FIELD_LABELS.get(field, field.replace("_", " ").capitalize())
    return _person_page(
        request, wiring, unit, caller, person_id, status=422, errors={target: exc.message},
        summary=[(target, label, exc.message)], form=form, failed=form_name,
    )  # fmt: skip


def _whole(value: object, field: str) -> int | None:
    raw = str(value or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 4:
        raise InvalidRequest(field, "must be a whole number")
    return int(raw)


def _clearance(form: dict[str, Any]) -> people.ClearanceInput:
    minutes = _whole(form.get("max_minutes"), "max_minutes")  # its range is the service's (people.clear_condition)
    raw_until = str(form.get("until", "")).strip()
    try:
        until = date.fromisoformat(raw_until) if raw_until else None
    except ValueError:
        raise InvalidRequest("until", "must be a date (YYYY-MM-DD), or empty for no end date") from None
    return people.ClearanceInput(list(form.get("allowed") or []) or None, minutes, until)


@router.post("/clinic/people/{person_id}/flags/{flag_id}/close", response_class=HTMLResponse)
def close_flag(
    person_id: str, flag_id: str, request: Request, form: ClinicForm, unit: StoreDep, wiring: WiringDep
) -> Response:
    """Close a red flag with a note of what was done (she and her team see it)."""
    caller = clinician(request, unit, wiring)
    check_csrf(form, caller)
    try:
        flags.close_flag(unit, caller.call, person_id, flag_id, str(form.get("note", "")))
    except (InvalidRequest, Conflict) as exc:
        return _failed(request, wiring, unit, caller, person_id, f"flag-{flag_id}", exc, form)
    unit.commit()
    return redirect(f"/clinic/people/{person_id}?saved=flag#flags")


@router.post("/clinic/people/{person_id}/clearance/{code}", response_class=HTMLResponse)
def clear(person_id: str, code: str, request: Request, form: ClinicForm, unit: StoreDep, wiring: WiringDep) -> Response:
    """Record a clearance with limits; the engine follows it from her next check-in."""
    caller = clinician(request, unit, wiring)
    check_csrf(form, caller)
    try:
        people.clear_condition(unit, caller.call, wiring.catalogue, person_id, code, _clearance(form), wiring.today())
    except (InvalidRequest, Conflict) as exc:
        return _failed(request, wiring, unit, caller, person_id, f"clear-{code}", exc, form)
    unit.commit()
    return redirect(f"/clinic/people/{person_id}?saved=clearance#conditions")


@router.post("/clinic/people/{person_id}/clearance/{code}/withdraw", response_class=HTMLResponse)
def withdraw(
    person_id: str, code: str, request: Request, form: ClinicForm, unit: StoreDep, wiring: WiringDep
) -> Response:
    """Take a clearance back: the condition pauses her programme again from her next check-in."""
    caller = clinician(request, unit, wiring)
    check_csrf(form, caller)
    people.withdraw_clearance(unit, caller.call, person_id, code)
    unit.commit()
    return redirect(f"/clinic/people/{person_id}?saved=withdrawn#conditions")


@router.post("/clinic/people/{person_id}/adjustments", response_class=HTMLResponse)
def adjust(person_id: str, request: Request, form: ClinicForm, unit: StoreDep, wiring: WiringDep) -> Response:
    """Take an exercise out, or change its dose, with the reason the person will read."""
    caller = clinician(request, unit, wiring)
    check_csrf(form, caller)
    action = str(form.get("action", ""))
    try:
        dose = None
        if action == "dose":
            values = {key: _whole(form.get(key), f"dose.{key}") for key, _label in words.DOSE_FIELDS}
            dose = {key: value for key, value in values.items() if value is not None}
        adjustments.add(
            unit, caller.call, wiring.catalogue, person_id, str(form.get("exercise", "")), action, dose,
            str(form.get("reason", "")),
        )  # fmt: skip
    except (InvalidRequest, Conflict) as exc:
        return _failed(request, wiring, unit, caller, person_id, "adjust", exc, form)
    unit.commit()
    return redirect(f"/clinic/people/{person_id}?saved=adjustment#plan")


@router.post("/clinic/people/{person_id}/adjustments/{adjustment_id}/end", response_class=HTMLResponse)
def end_adjustment(
    person_id: str, adjustment_id: str, request: Request, form: ClinicForm, unit: StoreDep, wiring: WiringDep
) -> Response:
    """End a standing plan change: her current plan goes back to the engine's."""
    caller = clinician(request, unit, wiring)
    check_csrf(form, caller)
    adjustments.end(unit, caller.call, wiring.catalogue, person_id, adjustment_id)
    unit.commit()
    return redirect(f"/clinic/people/{person_id}?saved=ended#plan")


@router.post("/clinic/people/{person_id}/notes", response_class=HTMLResponse)
def note(person_id: str, request: Request, form: ClinicForm, unit: StoreDep, wiring: WiringDep) -> Response:
    """A note on her record, to her (her progress page) or clinical (her clinicians only): the clinician chooses."""
    caller = clinician(request, unit, wiring)
    check_csrf(form, caller)
    visibility = str(form.get("visibility", ""))
    try:
        careteam.add_note(unit, caller.call, person_id, str(form.get("text", "")), visibility)
    except InvalidRequest as exc:
        return _failed(request, wiring, unit, caller, person_id, "note", exc, form)
    unit.commit()
    saved = "note" if visibility == "to_her" else "clinical_note"
    return redirect(f"/clinic/people/{person_id}?saved={saved}#notes")


@router.post("/clinic/people/{person_id}/acknowledge", response_class=HTMLResponse)
def acknowledge(person_id: str, request: Request, form: ClinicForm, unit: StoreDep, wiring: WiringDep) -> Response:
    """Mark her escalation or missed-sessions line as handled until a day, with a note (audited)."""
    caller = clinician(request, unit, wiring)
    check_csrf(form, caller)
    try:
        raw = str(form.get("until", "")).strip()
        try:
            until = date.fromisoformat(raw)
        except ValueError:
            raise InvalidRequest("until", "must be a date (YYYY-MM-DD)") from None
        acknowledgements.acknowledge(
            unit, caller.call, wiring.catalogue, person_id, str(form.get("kind", "")), str(form.get("note", "")),
            until, wiring.today(),
        )  # fmt: skip
    except (InvalidRequest, Conflict) as exc:
        return _failed(request, wiring, unit, caller, person_id, "acknowledge", exc, form)
    unit.commit()
    return redirect(f"/clinic/people/{person_id}?saved=handled#board-line")


@router.post("/clinic/people/{person_id}/message", response_class=HTMLResponse)
def message(person_id: str, request: Request, form: ClinicForm, unit: StoreDep, wiring: WiringDep) -> Response:
    """A short message to her: a notice she reads in the app, e-mailed when SMTP is set."""
    caller = clinician(request, unit, wiring)
    check_csrf(form, caller)
    try:
        messages.send_message(unit, caller.call, person_id, str(form.get("text", "")), wiring.mail)
    except InvalidRequest as exc:
        return _failed(request, wiring, unit, caller, person_id, "message", exc, form)
    unit.commit()
    return redirect(f"/clinic/people/{person_id}?saved=message#reach")
