"""The clinician's board: every linked person ordered by need (issue: care team).

The facts come from one bulk read of the store; the ordering and the one-line reasons are the pure
:mod:`bumpwell.domain.care_board`. Each person shown on the page is recorded in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bumpwell.domain.access import Area, Role, Verb
from bumpwell.domain.care_board import Need, Row, counts, rank
from bumpwell.domain.catalogue import Catalogue
from bumpwell.domain.programme import counts_for_adherence
from bumpwell.errors import Forbidden
from bumpwell.services.common import Call, authorize
from bumpwell.services.ports import Store
from bumpwell.services.records import AuditRecord, CareLinkRecord, PlanRecord, SessionRecord, UserRecord

WAITING_SHOWN = 50  # people who have not accepted yet, listed under the board


@dataclass(frozen=True, slots=True)
class Board:
    """One page of the board, and how many people sit at each level of need."""

    rows: list[Row]
    counts: dict[Need, int]
    total: int


def board(store: Store, call: Call, catalogue: Catalogue, today: date, limit: int, offset: int) -> Board:
    """The clinician's linked people, most pressing first."""
    if call.user.role != Role.clinician:
        raise Forbidden("the board is for clinicians; supervisors see their people on their own page")
    names = {code: rule.name for code, rule in catalogue.rules.items() if code.startswith(("CI-", "E"))}
    ranked = rank(store.board_facts(call.user.id, today), today, names)
    page = ranked[offset : offset + limit]
    for item in page:
        store.add(
            AuditRecord(call.now, call.user.id, call.user.role, item.facts.person_id, Verb.read.value,
                        Area.progress.value, "board")
        )  # fmt: skip
    return Board(page, counts(ranked), len(ranked))


@dataclass(frozen=True, slots=True)
class Waiting:
    """Someone whose invitation code the clinician used, who has not accepted them yet: a name and nothing else."""

    name: str
    joined_at: datetime | None


def waiting(store: Store, call: Call) -> list[Waiting]:
    """The people who still have to accept this clinician (their record stays closed until they do)."""
    links = store.find(
        CareLinkRecord, {"member_id": call.user.id, "status": "pending"}, order_by="joined_at", limit=WAITING_SHOWN
    )
    found = [(store.get(UserRecord, link.person_id), link.joined_at) for link in links]
    return [Waiting(person.display_name, joined) for person, joined in found if person is not None]


@dataclass(frozen=True, slots=True)
class Adherence:
    """Sessions planned and completed, day by day (the latest plan made for a day says what was planned)."""

    planned: dict[date, int] = field(default_factory=dict)
    completed: dict[date, int] = field(default_factory=dict)

    def between(self, first: date, last: date) -> tuple[int, int]:
        """Sessions planned and completed from ``first`` to ``last``, both days included."""
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        return sum(self.planned.get(d, 0) for d in days), sum(self.completed.get(d, 0) for d in days)


def adherence(store: Store, call: Call, person_id: str, since: date) -> Adherence:
    """Planned against completed sessions from ``since`` on, for the clinician's page."""
    authorize(store, call, Verb.read, Area.schedule, person_id)
    planned: dict[date, int] = {}
    where = {"person_id": person_id}
    for plan in store.find(PlanRecord, where, order_by="created_at", since=("week_start", since - timedelta(days=7))):
        # a later plan replaces an earlier one for every day it covers, sessions or none
        for n in range(7):
            planned[plan.week_start + timedelta(days=n)] = 0
        for session in plan.plan.get("sessions", []):
            if counts_for_adherence(session["kind"]):
                day = date.fromisoformat(session["day"])
                planned[day] = planned.get(day, 0) + 1
    completed: dict[date, int] = {}
    for done in store.find(SessionRecord, where, since=("day", since)):
        if done.status == "completed" and counts_for_adherence(done.kind):
            completed[done.day] = completed.get(done.day, 0) + 1
    return Adherence({d: n for d, n in planned.items() if d >= since}, completed)
