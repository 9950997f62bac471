"""Shared pieces of the person's pages: templates, the logged-in caller, form CSRF, plain words for codes."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime
from importlib.resources import files
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from bumpwell import __version__
from bumpwell.bootstrap import Wiring
from bumpwell.domain.identity import identifiers, secondary
from bumpwell.errors import BumpwellError, Forbidden
from bumpwell.services import accounts, flags
from bumpwell.services.common import Call
from bumpwell.services.identity import identity_of
from bumpwell.services.ports import Store
from bumpwell.web.deps import COOKIE, Caller

TEMPLATES = Jinja2Templates(directory=str(files("bumpwell.web") / "templates"))
ASSET_VERSION = hashlib.sha256(__version__.encode()).hexdigest()[:8]

TRIAGE_WORDS = {
    "emergency": "Call for emergency help now",
    "urgent_same_day": "Stop, and call your maternity unit now",
    "contact_within_24h": "Contact your midwife or doctor within 24 hours",
    "discuss_at_next_visit": "Talk to your midwife or doctor at your next visit",
    "ok_to_exercise": "You can exercise today",
}
KIND_WORDS = {
    "strength": "Strength",
    "aerobic": "Walking or swimming",
    "stretch": "Stretches",
    "pelvic_floor": "Pelvic floor",
    "mixed": "Mixed session",
}
PATTERN_WORDS = {
    "lumbar": "Your answers fit a lower back pattern; a physiotherapist can confirm it.",
    "pelvic_girdle_posterior": (
        "Your answers fit a pelvic girdle pattern at the back; a physiotherapist can confirm it."
    ),
    "pelvic_girdle_anterior": (
        "Your answers fit a pelvic girdle pattern at the front; a physiotherapist can confirm it."
    ),
    "mixed": "Your answers fit a mix of lower back and pelvic girdle patterns; a physiotherapist can confirm it.",
    "none": "You told us about no pain today.",
    "unclear": "Your answers do not fit a clear pattern; a physiotherapist can look at it with you.",
}


class LoginRequired(Exception):
    """The page needs a logged-in person."""


class ElsewhereHome(Exception):
    """The page is for another role: go to this account's own home page."""

    def __init__(self, home: str) -> None:
        super().__init__(home)
        self.home = home


HOMES = {"person": "/today", "supervisor": "/supervise", "clinician": "/clinic", "admin": "/account"}


def home_of(role: str) -> str:
    """Where an account of ``role`` starts."""
    return HOMES.get(role, "/")


def _day(value: str | date) -> date:
    """A day from an ISO string, a date, or a stored time (UTC), which is read where the server runs, as ``today`` is
    (``Wiring.today``): a red flag raised at 23:30 UTC shows on the server's own calendar day."""
    if isinstance(value, str):
        return date.fromisoformat(value)
    if isinstance(value, datetime):
        return value.astimezone().date() if value.tzinfo is not None else value.date()
    return value


def _weekday(value: str | date) -> str:
    return _day(value).strftime("%A %d %B").replace(" 0", " ")


def _longday(value: str | date) -> str:
    return _day(value).strftime("%a %d %b %Y").replace(" 0", " ")


def _shortday(value: str | date) -> str:
    return _day(value).strftime("%d %b").lstrip("0")


def _moment(value: datetime) -> str:
    """A stored time as the day and the clock time where the server runs: "Tue 24 Nov 2026, 14:05"."""
    local = value.astimezone() if value.tzinfo is not None else value
    return f"{_longday(local.date())}, {local:%H:%M}"


def _machine_time(value: datetime) -> str:
    """A stored time for a ``datetime`` attribute: whole seconds (HTML allows at most three decimals)."""
    return value.isoformat(timespec="seconds")


def install_filters(wiring: Wiring) -> None:
    """Filters that need the catalogue, and words every page uses."""
    names = {ex.id: ex.name for ex in wiring.catalogue.exercises.values()}
    env = TEMPLATES.env
    env.filters["exercise_name"] = lambda ex_id: names.get(ex_id, ex_id)
    env.filters["weekday"] = _weekday
    env.filters["longday"] = _longday
    env.filters["shortday"] = _shortday
    env.filters["moment"] = _moment
    env.filters["machine_time"] = _machine_time
    env.filters["secondary"] = secondary  # a person's identifiers after her name (born, MRN)
    env.filters["identifiers"] = lambda user: identifiers(identity_of(user))  # of an account record
    env.globals.update(
        triage_words=TRIAGE_WORDS, kind_words=KIND_WORDS, pattern_words=PATTERN_WORDS, asset_version=ASSET_VERSION
    )


def page_caller(request: Request, store: Store, wiring: Wiring) -> Caller | None:
    """The logged-in account behind the cookie, if any."""
    token = request.cookies.get(COOKIE)
    if not token:
        return None
    try:
        user, session = accounts.use_web_session(store, wiring.rules, wiring.catalogue.policy, token, wiring.clock())
    except BumpwellError:
        return None
    request.state.unread = flags.unread_count(store, user)  # for the menu's "Notices (2)"
    return Caller(Call(user, wiring.clock()), session.csrf_token)


def require_person(request: Request, store: Store, wiring: Wiring) -> Caller:
    """The logged-in person, or a redirect to the login page (or to a care team member's own home)."""
    return require_role(request, store, wiring, "person")


def require_role(request: Request, store: Store, wiring: Wiring, *roles: str) -> Caller:
    """The logged-in account when its role is one of ``roles``; otherwise the login page or its own home."""
    caller = page_caller(request, store, wiring)
    if caller is None:
        raise LoginRequired
    if caller.user.role not in roles:
        raise ElsewhereHome(home_of(caller.user.role))
    return caller


def check_csrf(form: dict[str, Any], caller: Caller) -> None:
    """A form post must carry the session's CSRF token."""
    sent = str(form.get("csrf_token", ""))
    if caller.csrf_token is None or not secrets.compare_digest(sent.encode(), caller.csrf_token.encode()):
        raise Forbidden("this form has expired; go back, reload the page and try again")


def render(
    request: Request, wiring: Wiring, template: str, caller: Caller | None, status: int = 200, **context: Any
) -> HTMLResponse:
    """A page, with what every page needs (the user, the CSRF token, the emergency number)."""
    base: dict[str, Any] = {
        "user": caller.user if caller else None,
        "csrf_token": (caller.csrf_token if caller else None) or request.cookies.get("bw_pre", ""),
        "emergency_number": wiring.settings.emergency_number,
        "maternity_number": wiring.settings.maternity_number,
        "unread": getattr(request.state, "unread", 0),
        "errors": {},
        "form": {},
    }
    return TEMPLATES.TemplateResponse(request, template, base | context, status_code=status)


def redirect(url: str) -> RedirectResponse:
    """See other (after a form post)."""
    return RedirectResponse(url, status_code=303)
