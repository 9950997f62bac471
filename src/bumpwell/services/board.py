"""The clinician's board: every linked person ordered by need (issue: care team).

The facts come from one bulk read of the store; the ordering and the one-line reasons are the pure
:mod:`bumpwell.domain.care_board`. Each person shown on the page is recorded in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from bumpwell.domain.access import Area, Role, Verb
from bumpwell.domain.care_board import Facts, Need, Row, counts, rank
from bumpwell.domain.caseload import Sort, Stage, matches, ordered, parse_search, stage_of
from bumpwell.domain.catalogue import Catalogue, Policy
from bumpwell.domain.programme import counts_for_adherence
from bumpwell.errors import Forbidden
from bumpwell.services.common import Call, authorize
from bumpwell.services.ports import Store
from bumpwell.services.records import AuditRecord, CareLinkRecord, PlanRecord, SessionRecord, UserRecord

WAITING_SHOWN = 50  # people who have not accepted yet, listed under the board


@dataclass(frozen=True, slots=True)
class BoardQuery:
    """What the clinician searched for, the filters she chose and the order (by default: everyone, by need)."""

    search: str = ""
    need: Need | None = None
    stage: Stage | None = None
    sort: Sort = Sort.need

    @property
    def narrowed(self) -> bool:
        """True when a search or a filter leaves people out."""
        return bool(self.search.strip()) or self.need is not None or self.stage is not None


@dataclass(frozen=True, slots=True)
class Board:
    """One page of the board; how many people match the search and stage at each level of need (the level filter
    leaves the counts whole, so each count is a link to its level), how many match everything, and how many are
    linked at all."""

    rows: list[Row]
    counts: dict[Need, int]
    total: int
    everyone: int = 0


def _found(facts: list[Facts], query: BoardQuery, today: date, policy: Policy) -> list[Facts]:
    search = parse_search(query.search)
    return [
        f for f in facts
        if matches(search, f.name, f.family_name, f.hospital_number, f.date_of_birth)
        and (query.stage is None or stage_of(f.status, f.due_date, f.birth_date, today, policy) is query.stage)
    ]  # fmt: skip


def board(
    store: Store, call: Call, catalogue: Catalogue, today: date, limit: int, offset: int,
    query: BoardQuery = BoardQuery(),
) -> Board:  # fmt: skip
    """The clinician's linked people that match the query, most pressing first unless another order is asked."""
    if call.user.role != Role.clinician:
        raise Forbidden("the board is for clinicians; supervisors see their people on their own page")
    names = {code: rule.name for code, rule in catalogue.rules.items() if code.startswith(("CI-", "E"))}
    facts = store.board_facts(call.user.id, today)
    policy = catalogue.policy
    concern = (policy.provoking_rise_points, policy.provoking_ceiling_nrs)  # M10's thresholds
    ranked = rank(_found(facts, query, today, policy), today, names, policy.board_missed_min, concern)
    shown = ordered([r for r in ranked if query.need in (None, r.need)], query.sort)
    page = shown[offset : offset + limit]
    for item in page:
        store.add(
            AuditRecord(call.now, call.user.id, call.user.role, item.facts.person_id, Verb.read.value,
                        Area.progress.value, "board")
        )  # fmt: skip
    return Board(page, counts(ranked), len(shown), len(facts))


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
