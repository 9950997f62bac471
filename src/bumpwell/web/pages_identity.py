"""A person's details page: given and family name, date of birth, hospital number, phone (issue 17 §1).

Accounts made before these were asked come here after login, once a visit: the page asks and can be put off
("Not now"), so nothing she was doing is lost. The same service checks the page, sign-up and the JSON API.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from bumpwell.errors import Conflict, InvalidRequest
from bumpwell.services import identity, people
from bumpwell.web.deps import StoreDep, WiringDep
from bumpwell.web.inputs import form_fields
from bumpwell.web.views import check_csrf, home_of, redirect, render, require_person

router = APIRouter(include_in_schema=False)
DETAILS = "/details"
FIELD_WORDS = {
    "given_name": "Given name",
    "family_name": "Family name",
    "date_of_birth": "Date of birth",
    "hospital_number": "Hospital or NHS number",
    "phone": "Phone number",
}


def form_date(value: object, field: str) -> date | None:
    """A date typed in a form (YYYY-MM-DD), ``None`` when empty."""
    raw = str(value or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidRequest(field, "must be a date written YYYY-MM-DD, such as 1994-03-03") from None


def identity_input(form: dict[str, Any], given_key: str = "given_name") -> identity.IdentityInput:
    """The identifiers typed in a form (sign-up names the given name ``display_name``)."""
    return identity.IdentityInput(
        str(form.get(given_key, "")), str(form.get("family_name", "")),
        form_date(form.get("date_of_birth"), "date_of_birth"),
        str(form.get("hospital_number", "")), str(form.get("phone", "")),
    )  # fmt: skip


def _safe_next(value: object) -> str:
    raw = str(value or "")
    return raw if raw.startswith("/") and not raw.startswith("//") and len(raw) < 200 else home_of("person")


@router.get(DETAILS, response_class=HTMLResponse)
def details_page(request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """Her identifiers, to complete or correct."""
    caller = require_person(request, unit, wiring)
    mine = identity.identity_of(caller.user)
    form = {
        "given_name": mine.given_name, "family_name": mine.family_name or "",
        "date_of_birth": mine.date_of_birth.isoformat() if mine.date_of_birth else "",
        "hospital_number": mine.hospital_number or "", "phone": mine.phone or "",
    }  # fmt: skip
    nxt = _safe_next(request.query_params.get("next"))
    phone = people.unit_phone(unit, caller.user.id)
    return render(
        request, wiring, "details.html", caller, form=form, next=nxt, complete=mine.complete, unit_phone=phone or ""
    )


async def _posted(request: Request) -> dict[str, str]:
    """The posted form through the pages' input gate (read on the event loop: no database work here)."""
    return form_fields(await request.form())


@router.post(DETAILS + "/unit-phone", response_class=HTMLResponse)
def unit_phone(
    request: Request, form: Annotated[dict[str, str], Depends(_posted)], unit: StoreDep, wiring: WiringDep
) -> Response:
    """Her maternity unit's or midwife's number: one tap on every warning screen (empty removes it)."""
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    try:
        people.set_unit_phone(unit, caller.call, caller.user.id, form.get("unit_phone", ""))
    except (InvalidRequest, Conflict) as exc:
        unit.rollback()
        mine = identity.identity_of(caller.user)
        errors = {"unit_phone": f"Maternity unit or midwife: {exc.message}"}
        return render(
            request, wiring, "details.html", caller, form={}, errors=errors, next="/today", complete=mine.complete,
            unit_phone=form.get("unit_phone", ""), status=422,
        )  # fmt: skip
    unit.commit()
    return redirect(DETAILS + "?saved=unit_phone")


@router.post(DETAILS, response_class=HTMLResponse)
def details(
    request: Request, form: Annotated[dict[str, str], Depends(_posted)], unit: StoreDep, wiring: WiringDep
) -> Response:
    """Save her identifiers; a wrong field is named next to it and nothing is kept."""
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    nxt = _safe_next(form.get("next"))
    try:
        data = identity_input(form)
        identity.update_identity(unit, caller.call, wiring.catalogue.policy, caller.user.id, data, wiring.today())
    except InvalidRequest as exc:
        unit.rollback()
        errors = {exc.field: f"{FIELD_WORDS.get(exc.field, exc.field)}: {exc.message}"}
        mine = identity.identity_of(caller.user)
        return render(
            request, wiring, "details.html", caller, form=form, errors=errors, next=nxt, complete=mine.complete,
            status=422,
        )  # fmt: skip
    unit.commit()
    return redirect(nxt)
