"""For whoever runs bumpwell: ``/healthz`` says the process answers, ``/readyz`` that it can serve (the database
is reachable and its migrations are current). Neither needs a login; neither says anything about anyone."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from bumpwell.bootstrap import database_problem
from bumpwell.web.deps import wiring
from bumpwell.web.problems import problem

router = APIRouter(include_in_schema=False)
RETRY_AFTER_S = 5


@router.get("/healthz")
async def healthz() -> JSONResponse:
    """The process is up and its event loop answers (no database work: a busy database is not a dead process)."""
    return JSONResponse({"status": "ok"})


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """Ready to serve: the database answers and is at the newest migration; otherwise 503 saying which is wrong.

    The database is asked in a worker thread, so a slow database never holds up the event loop.
    """
    found = database_problem(wiring(request))
    if found is not None:
        return problem(request, 503, found, retry_after_s=RETRY_AFTER_S)
    return JSONResponse({"status": "ready"})
