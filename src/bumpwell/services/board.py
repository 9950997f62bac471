"""The clinician's board: every linked person ordered by need (issue: care team).

The facts come from one bulk read of the store; the ordering and the one-line reasons are the pure
:mod:`bumpwell.domain.care_board`. Each person shown on the page is recorded in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bumpwell.domain.access import Area, Role, Verb
from bumpwell.domain.care_board import Need, Row, counts, rank
from bumpwell.domain.catalogue import Catalogue
from bumpwell.errors import Forbidden
from bumpwell.services.common import Call
from bumpwell.services.ports import Store
from bumpwell.services.records import AuditRecord


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
    names = {code: rule.name for code, rule in catalogue.rules.items() if code.startswith("CI-")}
    ranked = rank(store.board_facts(call.user.id, today), today, names)
    page = ranked[offset : offset + limit]
    for item in page:
        store.add(
            AuditRecord(call.now, call.user.id, call.user.role, item.facts.person_id, Verb.read.value,
                        Area.progress.value, "board")
        )  # fmt: skip
    return Board(page, counts(ranked), len(ranked))
