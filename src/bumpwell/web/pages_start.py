"""The person's first pages: welcome, sign-up and login, onboarding, and the result of the first check-in."""

from __future__ import annotations

import asyncio
import json
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from bumpwell.domain.access import Role
from bumpwell.domain.checklist import StageList
from bumpwell.errors import BumpwellError, Conflict, InvalidRequest, TooManyAttempts, Unauthenticated
from bumpwell.services import accounts, checkins, credentials, follow_up, logins, people, stages
from bumpwell.services.identity import identity_of
from bumpwell.services.ports import Store
from bumpwell.services.records import PersonRecord, PlanRecord
from bumpwell.web import forms
from bumpwell.web.deps import (
    COOKIE,
    DEVICE_COOKIE,
    Caller,
    StoreDep,
    WiringDep,
    cookie_secure,
    end_of_session,
    in_own_unit,
    in_thread,
    set_device_cookie,
    set_session_cookie,
)
from bumpwell.web.inputs import form_fields
from bumpwell.web.pages_identity import DETAILS, identity_input
from bumpwell.web.views import check_csrf, home_of, page_caller, redirect, render, require_person

router = APIRouter(include_in_schema=False)
PRE_COOKIE = "bw_pre"  # a CSRF token for the forms shown before login (sign-up and login)
STEPS = 5
FIELD_WORDS = {
    "email": "E-mail address",
    "password": "Password",
    "display_name": "Given name",
    "given_name": "Given name",
    "family_name": "Family name",
    "date_of_birth": "Date of birth",
    "hospital_number": "Hospital or NHS number",
    "phone": "Phone number",
    "due_date": "Due date",
    "weeks": "Weeks pregnant",
    "birth_date": "Birth date",
    "delivery": "How your baby was born",
    "role": "Account type",
    "token": "Reset link",
    "signs": "Warning signs",
    "vaginal_bleeding": "Bleeding",
    "nrs_now": "Pain now",
    "pain_after": "Pain now",
    "effort": "The talk test",
    "warning": "Warning signs",
}


LIST_FIELDS = frozenset({"conditions", "signs", "locations", "aggravators", "vaginal_bleeding"})


async def form_data(request: Request) -> dict[str, Any]:
    """The posted form, with repeated fields (checkboxes) as lists."""
    return forms.checked_form(form_fields(await request.form(), LIST_FIELDS))


FormDep = Annotated[dict[str, Any], Depends(form_data)]


def errors_of(exc: BumpwellError) -> dict[str, str]:
    """A field error in plain words for the page."""
    field = getattr(exc, "field", "form")
    message = getattr(exc, "message", str(exc))
    label = FIELD_WORDS.get(field, field.replace("_", " ").capitalize())
    return {field: f"{label}: {message}"}


def _pre_token(request: Request) -> str:
    return request.cookies.get(PRE_COOKIE) or secrets.token_urlsafe(24)


def _with_pre(request: Request, response: Response, token: str) -> Response:
    secure = cookie_secure(request)
    response.set_cookie(PRE_COOKIE, token, httponly=True, samesite="strict", secure=secure, path="/")
    return response


@router.get("/", response_class=HTMLResponse)
def welcome(request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """What bumpwell is and is not; a logged-in person goes straight to today."""
    caller = page_caller(request, unit, wiring)
    if caller is not None:
        return redirect(home_of(caller.user.role))
    return render(request, wiring, "welcome.html", None)


def _account_page(request: Request, wiring: WiringDep, mode: str, **context: Any) -> Response:
    token = _pre_token(request)
    texts = {
        "signup": ("Create your account", "/signup", "Create account"),
        "login": ("Log in", "/login", "Log in"),
        "reset": ("Choose a new password", "/reset-password", "Save the new password"),
    }
    heading, action, submit = texts[mode]
    roles = [(role, words) for role, words in SIGNUP_CHOICES if role in wiring.settings.signup_roles]
    context.setdefault("roles", roles)
    page = render(
        request,
        wiring,
        "account.html",
        None,
        csrf_token=token,
        mode=mode,
        heading=heading,
        action=action,
        submit=submit,
        **context,
    )
    return _with_pre(request, page, token)


def _pre_ok(request: Request, form: dict[str, Any]) -> bool:
    cookie = request.cookies.get(PRE_COOKIE, "")
    return bool(cookie) and secrets.compare_digest(cookie.encode(), str(form.get("csrf_token", "")).encode())


SIGNUP_CHOICES = (
    ("person", "I am pregnant or have recently given birth"),
    ("supervisor", "I will be with someone while she exercises (partner, friend, doula)"),
    ("clinician", "I am her midwife, doctor or physiotherapist"),
)


@router.get("/signup", response_class=HTMLResponse)
async def signup_page(request: Request, wiring: WiringDep) -> Response:
    return _account_page(request, wiring, "signup")


@router.post("/signup", response_class=HTMLResponse)
def signup(request: Request, form: FormDep, wiring: WiringDep) -> Response:
    """Create a person's account and log in."""
    if not _pre_ok(request, form):
        return _account_page(
            request, wiring, "signup", form=form, errors={"form": "The form expired. Please try again."}, status=400
        )
    now = wiring.clock()

    chosen = str(form.get("role", "person"))
    allowed = [role for role, _words in SIGNUP_CHOICES if role in wiring.settings.signup_roles]
    if chosen not in allowed:
        errors = {"role": "Choose one of the kinds of account listed."}
        return _account_page(request, wiring, "signup", form=form, errors=errors, status=422)
    role = Role(chosen)

    def work(own: Store) -> str:
        user = accounts.sign_up(
            own, wiring.hasher, wiring.rules, now, email=str(form.get("email", "")),
            password=str(form.get("password", "")), display_name=str(form.get("display_name", "")), role=role,
            policy=wiring.catalogue.policy, identity=identity_input(form, "display_name"),
        )  # fmt: skip
        return accounts.start_web_session(own, wiring.rules, user, now)[0]

    try:
        token = in_own_unit(wiring, work)
    except (InvalidRequest, Conflict) as exc:
        errors = errors_of(exc)
        errors = {("display_name" if key == "given_name" else key): text for key, text in errors.items()}
        return _account_page(request, wiring, "signup", form=form, errors=errors, status=422)
    return _logged_in(request, wiring, token, "/start/stage" if role is Role.person else "/join")


def _logged_in(request: Request, wiring: WiringDep, token: str, to: str) -> Response:
    response = redirect(to)
    set_session_cookie(request, response, token, wiring.catalogue.policy.session_max_days)
    response.delete_cookie(PRE_COOKIE, path="/")
    return response


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, wiring: WiringDep, reset: bool = False) -> Response:
    notice = "Your password is changed. Log in with the new one." if reset else ""
    return _account_page(request, wiring, "login", notice=notice)


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, form: FormDep, wiring: WiringDep) -> Response:
    """Log in, then go to today (or to the onboarding if there is no profile yet)."""
    if not _pre_ok(request, form):
        return _account_page(
            request, wiring, "login", form=form, errors={"form": "The form expired. Please try again."}, status=400
        )
    client = request.client.host if request.client else "unknown"
    now, policy, device = wiring.clock(), wiring.catalogue.policy, request.cookies.get(DEVICE_COOKIE)
    email, password = str(form.get("email", "")), str(form.get("password", ""))

    def work(own: Store) -> tuple[str, str, str]:
        user = logins.check(own, wiring.hasher, policy, now, admitted, password)
        has_profile = own.get(PersonRecord, user.id) is not None
        to = home_of(user.role) if has_profile or user.role != "person" else "/start/stage"
        if user.role == "person" and not identity_of(user).complete:
            to = f"{DETAILS}?next={to}"  # an account made before her identifiers were asked: ask, once a visit
        known = logins.remember_device(own, user, device, now)
        return accounts.start_web_session(own, wiring.rules, user, now)[0], to, known

    try:
        admitted = await in_thread(wiring, lambda own: logins.admit(own, policy, now, email, client, device))
        await asyncio.sleep(admitted.wait_s)  # a busy address waits here, holding no worker thread
        token, to, known = await in_thread(wiring, work)
    except Unauthenticated:
        errors = {"email": "That e-mail address and password do not match. Please try again."}
        return _account_page(request, wiring, "login", form={"email": form.get("email")}, errors=errors, status=401)
    except TooManyAttempts as exc:
        minutes = max(1, exc.retry_after_s // 60)
        errors = {"email": f"Too many tries. Please wait {minutes} minutes and try again."}
        return _account_page(request, wiring, "login", form={"email": form.get("email")}, errors=errors, status=429)
    response = _logged_in(request, wiring, token, to)
    set_device_cookie(request, response, known, policy.known_device_days)
    return response


@router.get("/reset-password", response_class=HTMLResponse)
async def reset_page(request: Request, wiring: WiringDep, token: str = "") -> Response:
    """Choose a new password with the link an administrator handed over."""
    return _account_page(request, wiring, "reset", form={"token": token[:200]})


@router.post("/reset-password", response_class=HTMLResponse)
def reset(request: Request, form: FormDep, wiring: WiringDep) -> Response:
    """Set the new password; every login session of the account ends, then log in again."""
    if not _pre_ok(request, form):
        errors = {"form": "The form expired. Please try again."}
        return _account_page(request, wiring, "reset", form=form, errors=errors, status=400)
    now, token, password = wiring.clock(), str(form.get("token", "")), str(form.get("password", ""))
    try:
        mail = wiring.mailer is not None
        in_own_unit(wiring, lambda own: credentials.reset_password(own, wiring.hasher, token, password, now, mail))
    except InvalidRequest as exc:
        return _account_page(request, wiring, "reset", form=form, errors=errors_of(exc), status=422)
    return redirect("/login?reset=1")


@router.post("/logout")
def logout(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = page_caller(request, unit, wiring)
    if caller is not None:
        check_csrf(form, caller)
        accounts.end_web_session(unit, request.cookies.get(COOKIE, ""))
        unit.commit()
    return end_of_session(redirect("/"))


# --- onboarding -------------------------------------------------------------------------------------------


def _profile_defaults(unit: StoreDep, person_id: str) -> dict[str, Any]:
    record = unit.get(PersonRecord, person_id)
    keep = ("activity_history", "days_per_week", "minutes_per_day", "pool_access", "supervisor_available")
    if record is None:
        return {key: people.DEFAULTS[key] for key in keep}
    return {key: getattr(record, key) for key in keep} | {
        "status": record.status,
        "due_date": record.due_date,
        "birth_date": record.birth_date,
        "delivery": record.delivery,
        "perineal_tear": record.perineal_tear,
        "plurality": record.plurality,
    }


def _save_profile(unit: StoreDep, wiring: WiringDep, caller: Caller, fields: dict[str, Any]) -> None:
    data = _profile_defaults(unit, caller.user.id) | fields
    people.put_profile(unit, caller.call, wiring.catalogue, caller.user.id, people.ProfileInput(**data), wiring.today())


@router.get("/start/stage", response_class=HTMLResponse)
def stage_page(request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = require_person(request, unit, wiring)
    record = unit.get(PersonRecord, caller.user.id)
    form = {"status": record.status, "due_date": record.due_date, "birth_date": record.birth_date} if record else {}
    return render(request, wiring, "stage.html", caller, step=1, steps=STEPS, form=form)


@router.post("/start/stage", response_class=HTMLResponse)
def stage(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    try:
        _save_profile(unit, wiring, caller, forms.stage(form, wiring.today()))
    except InvalidRequest as exc:
        return render(
            request, wiring, "stage.html", caller, step=1, steps=STEPS, form=form, errors=errors_of(exc), status=422
        )
    unit.commit()
    return redirect("/start/screening")


def _conditions(wiring: WiringDep) -> list[Any]:
    return [rule for rule in wiring.catalogue.rules.values() if rule.id.startswith("CI-")]


@router.get("/start/screening", response_class=HTMLResponse)
def screening_page(request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = require_person(request, unit, wiring)
    ticked = {c.code for c in people.get_screening(unit, caller.call, caller.user.id)}
    return render(
        request, wiring, "screening.html", caller, step=2, steps=STEPS, conditions=_conditions(wiring), ticked=ticked
    )


@router.post("/start/screening", response_class=HTMLResponse)
def screening(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    if form.get("answer") == "unsure":
        return render(request, wiring, "unsure.html", caller)
    ticked = list(form.get("conditions", []))  # a ticked box counts even if "none" was pressed
    try:
        people.put_screening(unit, caller.call, wiring.catalogue, caller.user.id, ticked)
    except InvalidRequest as exc:
        return render(
            request,
            wiring,
            "screening.html",
            caller,
            step=2,
            steps=STEPS,
            conditions=_conditions(wiring),
            ticked=set(ticked),
            errors=errors_of(exc),
            status=422,
        )
    unit.commit()
    return redirect("/start/warnings")


@router.get("/start/warnings", response_class=HTMLResponse)
def warnings_page(request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = require_person(request, unit, wiring)
    return render(
        request, wiring, "warnings.html", caller, step=3, steps=STEPS, action="/start/warnings",
        checklist=_checklist(unit, wiring, caller),
        carry={},
    )  # fmt: skip


def _checklist(unit: StoreDep, wiring: WiringDep, caller: Caller) -> StageList:
    return stages.checklist(unit, caller.call, wiring.catalogue, caller.user.id, wiring.today())


@router.post("/start/warnings", response_class=HTMLResponse)
def warnings(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    per_hour = wiring.catalogue.policy.contractions_per_hour
    try:
        answers = {"observations": forms.observations(form, _checklist(unit, wiring, caller), per_hour)}
    except InvalidRequest as exc:
        return render(
            request, wiring, "warnings.html", caller, step=3, steps=STEPS, action="/start/warnings",
            checklist=_checklist(unit, wiring, caller), carry={}, form=form, errors=errors_of(exc), status=422,
        )  # fmt: skip
    return _pain_page(request, wiring, caller, answers)


def _pain_page(request: Request, wiring: WiringDep, caller: Caller, answers: dict[str, Any], **extra: Any) -> Response:
    return render(
        request,
        wiring,
        "pain.html",
        caller,
        step=4,
        steps=STEPS,
        regions=forms.REGIONS,
        aggravators=forms.AGGRAVATORS,
        carry={"answers": json.dumps(answers)},
        **{"form": {"locations": []}, **extra},
    )


@router.post("/start/pain", response_class=HTMLResponse)
def pain(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    answers = forms.carried(form)
    try:
        answers["pain"] = forms.pain(form)
        answers["observations"] = {**answers.get("observations", {}), **forms.leg_nerves(form)}
    except InvalidRequest as exc:
        return _pain_page(request, wiring, caller, answers, errors=errors_of(exc), status=422, form=form)
    defaults = _profile_defaults(unit, caller.user.id)
    shown = {k: ("yes" if v is True else str(v)) for k, v in defaults.items() if not isinstance(v, bool) or v}
    return render(
        request, wiring, "about.html", caller, step=5, steps=STEPS, carry={"answers": json.dumps(answers)}, form=shown
    )


@router.post("/start/about", response_class=HTMLResponse)
def about(request: Request, form: FormDep, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = require_person(request, unit, wiring)
    check_csrf(form, caller)
    answers = forms.carried(form)
    try:
        _save_profile(unit, wiring, caller, forms.about(form))
        record, _plan = checkins.check_in(
            unit, caller.call, wiring.catalogue, caller.user.id, answers, wiring.today(), mail=wiring.mail
        )
    except (InvalidRequest, Conflict) as exc:
        return render(
            request,
            wiring,
            "about.html",
            caller,
            step=5,
            steps=STEPS,
            carry={"answers": json.dumps(answers)},
            form=form,
            errors=errors_of(exc),
            status=422,
        )
    unit.commit()
    return redirect(f"/result/{record.id}")


@router.get("/result/{check_in_id}", response_class=HTMLResponse)
def result(check_in_id: str, request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """The check-in's answer: actions first when it is not ok, otherwise the week's plan and why."""
    caller = require_person(request, unit, wiring)
    record = checkins.get_check_in(unit, caller.call, caller.user.id, check_in_id)
    plan = unit.find(PlanRecord, {"check_in_id": record.id}, limit=1)
    today = wiring.today().isoformat()
    todays = [s for s in plan[0].plan["sessions"] if s["day"] == today] if plan else []
    return render(
        request,
        wiring,
        "result.html",
        caller,
        check_in=record,
        today_sessions=todays,
        actions=record.response["actions"],
        held_reason=follow_up.held_reason(unit, wiring.catalogue, record),
        unit_phone=people.unit_phone(unit, caller.user.id),
    )
