"""Who read or changed her record, for her clinician (issue 17 point 10): the audit trail in plain words, newest
first, a hundred to a page. The services write every change and every read by someone other than her."""

from __future__ import annotations

from datetime import datetime
from itertools import groupby

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from bumpwell.services import identity, mydata
from bumpwell.services.ports import Store
from bumpwell.services.records import AuditRecord, UserRecord
from bumpwell.web.deps import StoreDep, WiringDep
from bumpwell.web.pages_clinic import clinician
from bumpwell.web.views import render

router = APIRouter(include_in_schema=False)
PAGE = 100
AREA_WORDS = {  # what part of her record, as a clinic says it
    "profile": "her pregnancy or birth details", "identity": "her name, date of birth and numbers",
    "screening": "her health answers", "clearance": "a clearance", "check_ins": "her check-ins",
    "schedule": "her plan", "sessions": "her sessions", "diary": "her diary", "progress": "her progress",
    "notes": "the notes to her", "clinical_notes": "the clinical notes", "adjustments": "the changes to her plan",
    "acknowledgements": "a board line marked as handled", "red_flags": "her warning signs",
    "care_team": "her care team", "audit": "this list", "account": "her account",
}  # fmt: skip
ROLE_WORDS = {"person": "she herself", "supervisor": "supervisor", "clinician": "clinician", "admin": "administrator"}


def what(entry: AuditRecord) -> str:
    """One entry in plain words: "read her diary", "changed a clearance (clearance CI-R01)"."""
    verb = "read" if entry.verb == "read" else "changed"
    detail = f" ({entry.detail})" if entry.detail else ""
    return f"{verb} {AREA_WORDS.get(entry.area, entry.area.replace('_', ' '))}{detail}"


def who(store: Store, entry: AuditRecord, names: dict[str, str]) -> str:
    """Who did it: a name and role ("Cleo, clinician"), "she herself", or an account since deleted."""
    if entry.actor_role == "person":
        return ROLE_WORDS["person"]
    key = entry.actor_id or ""
    if key not in names:
        actor = store.get(UserRecord, key) if key else None
        names[key] = actor.display_name if actor else "an account since deleted"
    return f"{names[key]}, {ROLE_WORDS.get(entry.actor_role, entry.actor_role)}"


def merged(rows: list[tuple[datetime, str, str]]) -> list[tuple[datetime, str, str]]:
    """One line for the same read by the same person at the same moment (one page shows a part twice)."""
    out = []
    for key, same in groupby(rows):
        times = len(list(same))
        out.append((key[0], key[1], f"{key[2]} ({times} times)" if times > 1 else key[2]))
    return out


@router.get("/clinic/people/{person_id}/audit", response_class=HTMLResponse)
def audit_page(person_id: str, request: Request, unit: StoreDep, wiring: WiringDep, page: int = 1) -> Response:
    """Who read or changed her record, and when (this page's own read is on it too)."""
    caller = clinician(request, unit, wiring)
    page = max(1, page)
    her = identity.get_identity(unit, caller.call, person_id)  # the access check: not on her team, not found
    found, total = mydata.audit_trail(unit, caller.call, person_id, PAGE, (page - 1) * PAGE)
    names: dict[str, str] = {}
    rows = merged([(entry.at, who(unit, entry, names), what(entry)) for entry in found])
    unit.commit()
    return render(request, wiring, "clinic_audit.html", caller, nav="clinic", who=her, person_id=person_id, rows=rows,
                  total=total, page=page, pages=max(1, -(-total // PAGE)))  # fmt: skip
