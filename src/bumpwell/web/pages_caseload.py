"""A clinician's caseload as a spreadsheet (issue 17 point 10): the board's people, with the same search, level and
stage as the board page, one row each, written by the safe CSV writer (exporters/table_csv.py: no cell that a
spreadsheet would run as a formula)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bumpwell.domain.care_board import Row
from bumpwell.exporters.table_csv import table_csv
from bumpwell.services import board
from bumpwell.web import clinic_words as words
from bumpwell.web.deps import StoreDep, WiringDep
from bumpwell.web.pages_clinic import board_query, clinician

router = APIRouter(include_in_schema=False)
MOST_ROWS = 10_000  # a whole caseload (the board is built for a thousand people), never a page of it
COLUMNS = (
    "family_name", "given_name", "date_of_birth", "hospital_number", "need", "reason", "sessions_done_7d",
    "sessions_missed_7d", "pain_7d", "pain_prev_7d", "open_red_flags",
)  # fmt: skip


def _line(row: Row) -> dict[str, Any]:
    """One person's board line as the spreadsheet's columns."""
    facts = row.facts
    return {
        "family_name": facts.family_name, "given_name": facts.name, "date_of_birth": facts.date_of_birth,
        "hospital_number": facts.hospital_number, "need": words.NEED[row.need], "reason": row.reason,
        "sessions_done_7d": facts.done_7d, "sessions_missed_7d": row.missed, "pain_7d": facts.pain_7d,
        "pain_prev_7d": facts.pain_prev_7d, "open_red_flags": facts.open_flags,
    }  # fmt: skip


@router.get("/clinic/caseload.csv")
def caseload_csv(request: Request, unit: StoreDep, wiring: WiringDep) -> Response:
    """The board (as searched and filtered in the address) as CSV, most pressing first; a wrong filter names it."""
    caller = clinician(request, unit, wiring)
    query = board_query(request.query_params)
    today = wiring.today()
    found = board.board(unit, caller.call, wiring.catalogue, today, MOST_ROWS, 0, query)
    unit.commit()
    headers = {"Content-Disposition": f'attachment; filename="caseload-{today.isoformat()}.csv"'}
    return Response(table_csv(COLUMNS, [_line(r) for r in found.rows]), media_type="text/csv; charset=utf-8",
                    headers=headers)  # fmt: skip
