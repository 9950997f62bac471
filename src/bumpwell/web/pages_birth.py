"""The birth: from 37+0 the app asks "has your baby arrived?", and past 42+6 it asks before anything else.

She records the date, how her baby was born and a tear (``services.stages.record_birth``); from then her stage is
postpartum everywhere. A due date that no longer fits is corrected here too, so she is never left at a dead end.
"""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bumpwell.errors import Conflict, InvalidRequest
from bumpwell.services import people, stages
from bumpwell.services.records import PersonRecord
from bumpwell.web import forms
from bumpwell.web.deps import Caller, StoreDep, WiringDep
from bumpwell.web.pages_start import FormDep, errors_of
from bumpwell.web.views import check_csrf, redirect, render, require_person

router = APIRouter(include_in_schema=False)


def question(unit: StoreDep, wiring: WiringDep, caller: Caller) -> stages.StageToday | None:
    """Her stage today when the birth question is due (from 37+0), else ``None``."""
    person = unit.get(PersonRecord, caller.user.id)
    if person is None:
        return None
    today = stages.stage_today(person, wiring.catalogue, wiring.today())
    return today if today.question != "none" else None


def _page(
    request: Request, unit: StoreDep, wiring: WiringDep, caller: Caller, status: int = 200, **extra: object
) -> Response:
    asked = question(unit, wiring, caller)
    unit.rollback()
    return render(request, wiring, "birth.html", caller, status=status, asked=asked, today=wiring.today(), **extra)


@router.get("/birth", response_class=HTMLResponse)
def birth_page(request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """Has your baby arrived? The date, how she was born and a tear; or, not yet, the due date corrected."""
    caller = require_person(request, unit, wiring)
    if unit.get(PersonRecord, caller.user.id) is None:
        return redirect("/start/stage")
    return _page(request, unit, wiring, caller, form={})


@router.post("/birth", response_class=HTMLResponse)
def birth(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    """Record the birth and check in afresh (the plan changes), or keep the pregnancy with a corrected due date."""
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    try:
        if form.get("answer") == "not_yet":
            _correct_due_date(unit, wiring, caller, form)
        else:
            fields = forms.birth(form)
            birth = stages.Birth(**fields)
            stages.record_birth(unit, caller.call, wiring.catalogue, caller.user.id, birth, wiring.today())
    except (InvalidRequest, Conflict) as exc:
        unit.rollback()
        return _page(request, unit, wiring, caller, 422, form=form, errors=errors_of(exc))
    unit.commit()
    return redirect("/check/signs" if form.get("answer") != "not_yet" else "/today")


def _correct_due_date(unit: StoreDep, wiring: WiringDep, caller: Caller, form: dict[str, object]) -> None:
    """Not yet born: a due date that still fits stays; one that no longer fits must be corrected here."""
    asked = question(unit, wiring, caller)
    new = forms.due_date(form)
    if new is None:
        if asked is not None and asked.question == "birth_needed":
            raise InvalidRequest("due_date", "enter the due date your midwife gave you, or tell us about the birth")
        return
    person = people.get_profile(unit, caller.call, caller.user.id)
    data = replace(people.input_of(person), due_date=new)
    people.put_profile(unit, caller.call, wiring.catalogue, caller.user.id, data, wiring.today())
