"""One input gate for the pages, as the API has: no NUL character in a form, a query or a path, and every id in a
page's path of the form it has, before anything reaches a service or the database.

PostgreSQL cannot store a NUL and refuses it with an error the app did not expect (a NUL in the login form had given
a bare 500); nobody means to send one. A malformed id in a page's address is a page that does not exist (404).
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import Request
from starlette.datastructures import FormData

from bumpwell.errors import InvalidRequest, NotFound

NUL = "\x00"
UUID_ID = re.compile(r"^[0-9a-f-]{1,36}$")  # the API's id pattern (schemas.ID) with its length
PATH_PATTERNS = {
    "exercise_id": re.compile(r"^[a-z0-9-]{1,64}$"),  # catalogue ids are file names
    "code": re.compile(r"^[A-Z0-9-]{1,16}$"),  # condition codes such as CI-R01
    "secret": re.compile(r"^[A-Za-z0-9_-]{1,128}$"),  # calendar feed secrets (token_urlsafe)
}


def nul_free(field: str, value: str) -> str:
    """``value``, unless it holds the NUL character (then a 422 naming ``field``)."""
    if NUL in value or NUL in field:
        raise InvalidRequest(field.replace(NUL, ""), "must not contain the NUL character")
    return value


def form_fields(data: FormData, lists: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A posted form checked at the gate: the fields named in ``lists`` as lists, every other one its last value."""
    out: dict[str, Any] = {}
    for key in data:
        values = [nul_free(key, str(v)) for v in data.getlist(key)]
        out[key] = values if key in lists else values[-1]
    return out


async def page_gate(request: Request) -> None:
    """Every page's path ids of their form (else 404) and its query free of NUL (else 422), before the route runs."""
    for name, value in request.path_params.items():
        pattern = PATH_PATTERNS.get(name, UUID_ID if name.endswith("_id") else None)
        if NUL in str(value) or (pattern is not None and not pattern.match(str(value))):
            raise NotFound("page")
    for name, value in request.query_params.multi_items():
        nul_free(name, value)
