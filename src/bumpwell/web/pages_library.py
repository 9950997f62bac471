"""Progress and its chart, the exercise library, figures, and what makes the app installable (manifest, worker)."""

from __future__ import annotations

import hashlib
import json
from importlib.resources import files
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bumpwell.config import public_host
from bumpwell.domain.assessment import stage_of
from bumpwell.domain.catalogue import Catalogue
from bumpwell.errors import NotFound
from bumpwell.exporters.calendar import plan_calendar
from bumpwell.exporters.charts import describe, progress_chart
from bumpwell.exporters.report import report_pdf
from bumpwell.figures.render import BELLY_FOR_STAGE, render_animation
from bumpwell.services import calendar_feeds, careteam, diary, reports
from bumpwell.services.common import Call
from bumpwell.services.records import CheckInRecord, PersonRecord, UserRecord
from bumpwell.web.deps import StoreDep, WiringDep
from bumpwell.web.views import ASSET_VERSION, render, require_person, require_role

router = APIRouter(include_in_schema=False)
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"  # an image: no scripts at all


def _weeks(unit: StoreDep, person_id: str, wiring: WiringDep) -> int:
    """Weeks since the first check-in (this one included), from 2 to 12: no long run of empty weeks."""
    first = unit.find(CheckInRecord, {"person_id": person_id}, order_by="created_at", limit=1)
    if not first:
        return 2
    return max(2, min(12, (wiring.today() - first[0].day).days // 7 + 2))


@router.get("/progress", response_class=HTMLResponse)
def progress(request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """Weekly pain against sessions and minutes, and the latest review (E rules) in plain words."""
    caller = require_person(request, unit, wiring)
    data = diary.progress_summary(
        unit, caller.call, caller.user.id, wiring.today(), _weeks(unit, caller.user.id, wiring)
    )
    version = hashlib.sha256(json.dumps(data["weeks"]).encode()).hexdigest()[:8]  # the same in every worker
    notes, _total = careteam.notes(unit, caller.call, caller.user.id, 10, 0)
    return render(
        request,
        wiring,
        "progress.html",
        caller,
        nav="progress",
        weeks=data["weeks"],
        review=data["review"],
        review_actions=data["review_actions"],
        notes=notes,
        chart_alt=describe(data["weeks"]),
        chart_version=version,
    )


@router.get("/report.pdf")
def report(request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """The person's one-page report for their midwife, doctor or physiotherapist."""
    caller = require_person(request, unit, wiring)
    story = reports.person_story(unit, caller.call, wiring.catalogue, caller.user.id, wiring.today())
    unit.commit()
    pdf = report_pdf(story, wiring.settings.report_paper)
    name = f"bumpwell-report-{wiring.today().isoformat()}.pdf"
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get("/calendar/{secret}.ics")
def calendar_feed(secret: str, unit: StoreDep, wiring: WiringDep) -> Response:
    """The plan feed behind a secret address (no login: the 256-bit secret is the key; revocable)."""
    owner = calendar_feeds.feed_owner(unit, secret)
    user = unit.get(UserRecord, owner)
    if user is None:
        raise NotFound("calendar feed")
    story = reports.person_story(unit, Call(user, wiring.clock()), wiring.catalogue, owner, wiring.today())
    unit.commit()
    host = public_host(wiring.settings)
    return Response(plan_calendar(story, host=host), media_type="text/calendar; charset=utf-8")


@router.get("/progress/chart.svg")
def chart(request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = require_person(request, unit, wiring)
    data = diary.progress_summary(
        unit, caller.call, caller.user.id, wiring.today(), _weeks(unit, caller.user.id, wiring)
    )
    headers = {"Content-Security-Policy": SVG_CSP, "Cache-Control": "private, no-store"}
    return Response(progress_chart(data["weeks"]), media_type="image/svg+xml", headers=headers)


def _latest_response(unit: StoreDep, person_id: str) -> dict[str, Any] | None:
    found = unit.find(CheckInRecord, {"person_id": person_id}, order_by="created_at", descending=True, limit=1)
    return found[0].response if found else None


@router.get("/exercises", response_class=HTMLResponse)
def library(request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = require_role(request, unit, wiring, "person", "supervisor", "clinician")
    response = _latest_response(unit, caller.user.id) or {}
    plan = response.get("plan") or {}
    planned = {i["exercise"] for s in plan.get("sessions", []) for i in s["items"]} if isinstance(plan, dict) else set()
    excluded = {e["id"] for e in response.get("excluded", [])} if isinstance(response.get("excluded"), list) else set()
    exercises = sorted(wiring.catalogue.exercises.values(), key=lambda e: e.name)
    return render(
        request,
        wiring,
        "library.html",
        caller,
        nav="exercises",
        exercises=exercises,
        planned=planned,
        excluded=excluded,
    )


def _why(exercise_id: str, response: dict[str, Any] | None, wiring: WiringDep) -> str:
    """Why the exercise is, or is not, in the plan today, in plain words with the rule."""
    if response is None:
        return "Answer the questions on the Today page to see whether this exercise suits you now."
    plan = response.get("plan") or {}
    if isinstance(plan, dict) and any(
        i["exercise"] == exercise_id for s in plan.get("sessions", []) for i in s["items"]
    ):
        return "This exercise is in your plan this week."
    for item in response.get("excluded", []) if isinstance(response.get("excluded"), list) else []:
        if item["id"] == exercise_id:
            rule = wiring.catalogue.rules[item["rule"]]
            return f"Not for you right now ({rule.name.lower()}). {rule.text} Source: {rule.source}."
    return "Not in this week's plan: bumpwell picked other exercises that fit your time and your pain."


@router.get("/exercises/{exercise_id}", response_class=HTMLResponse)
def exercise(exercise_id: str, request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    caller = require_role(request, unit, wiring, "person", "supervisor", "clinician")
    found = wiring.catalogue.exercises.get(exercise_id)
    if found is None:
        raise NotFound("exercise")
    alt = f"Animated drawing: {found.name}. " + " ".join(found.steps[:2])
    return render(
        request,
        wiring,
        "exercise.html",
        caller,
        nav="exercises",
        ex=found,
        warning=wiring.catalogue.warning_signs,
        why=_why(exercise_id, _latest_response(unit, caller.user.id), wiring),
        figure_alt=alt,
    )


_FIGURES: dict[tuple[int, str, str, bool], bytes] = {}  # (catalogue, exercise, belly, animated) -> SVG


def _figure_svg(catalogue: Catalogue, exercise_id: str, belly: str, animate: bool) -> bytes:
    key = (id(catalogue), exercise_id, belly, animate)
    if key not in _FIGURES:
        ex = catalogue.exercises[exercise_id]
        assert ex.figure is not None  # checked by the route
        svg = render_animation(
            ex.figure, ident=f"f-{exercise_id}", title=ex.name, description=" ".join(ex.steps[:2]), stage=belly,
            animate=animate,
        )  # fmt: skip
        _FIGURES[key] = svg.encode()
    return _FIGURES[key]


@router.get("/figures/{exercise_id}.svg")
def figure(exercise_id: str, request: Request, unit: StoreDep, wiring: WiringDep, still: bool = False) -> Response:
    """An exercise's animated figure (``?still=1``: the start pose only), with the belly of the person's stage."""
    ex = wiring.catalogue.exercises.get(exercise_id)
    if ex is None or ex.figure is None:
        raise NotFound("figure")
    belly = _belly(request, unit, wiring)
    body = _figure_svg(wiring.catalogue, exercise_id, belly, not still)
    headers = {"Content-Security-Policy": SVG_CSP, "Cache-Control": "private, max-age=86400", "Vary": "Cookie"}
    return Response(body, media_type="image/svg+xml", headers=headers)


def _belly(request: Request, unit: StoreDep, wiring: WiringDep) -> str:
    from bumpwell.web.views import page_caller

    caller = page_caller(request, unit, wiring)
    if caller is None:
        return "mid"
    person = unit.get(PersonRecord, caller.user.id)
    found = unit.find(CheckInRecord, {"person_id": caller.user.id}, order_by="created_at", descending=True, limit=1)
    if person is None or not found:
        return "mid"
    from bumpwell.domain.assessment import vocabulary
    from bumpwell.domain.request import parse_request

    request_doc = parse_request(found[0].request, vocabulary(wiring.catalogue), wiring.today())
    return BELLY_FOR_STAGE.get(stage_of(request_doc, wiring.catalogue), "mid")


MANIFEST = {
    "id": "/",  # the app's identity for the browser, kept even if start_url changes
    "name": "bumpwell",
    "short_name": "bumpwell",
    "description": "Safe, guided exercise for back and pelvic girdle pain in pregnancy and after birth.",
    "start_url": "/today",
    "scope": "/",
    "display": "standalone",
    "background_color": "#ffffff",
    "theme_color": "#1d3557",
    "icons": [
        {"src": "/static/icon-192.png", "sizes": "192x192", "type": "image/png"},
        {"src": "/static/icon-512.png", "sizes": "512x512", "type": "image/png"},
        {"src": "/static/icon.svg", "sizes": "any", "type": "image/svg+xml"},
        # full-bleed, the figure inside the central 80 % safe zone (drawn from static/icon-maskable.svg)
        {"src": "/static/icon-maskable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
    ],
}


@router.get("/manifest.webmanifest")
async def manifest() -> Response:
    return Response(json.dumps(MANIFEST), media_type="application/manifest+json")


@router.get("/sw.js")
async def service_worker() -> Response:
    """The service worker, from the root so that it may look after every page."""
    source = (files("bumpwell.web") / "static" / "sw.js").read_text(encoding="utf-8")
    body = source.replace("__VERSION__", ASSET_VERSION)
    return Response(body, media_type="text/javascript", headers={"Cache-Control": "no-cache"})
