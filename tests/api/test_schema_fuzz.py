"""Schemathesis over every operation of the OpenAPI schema, authenticated, in-process, on every database.

Every generated request must get an answer without a server error, with a status code, content type, headers and
body that the schema documents; every request that breaks the schema must be refused, and every request that keeps
to it must pass the request models. Examples are bounded so that the file runs in seconds per database.
"""

from __future__ import annotations

import itertools
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.testclient import TestClient
from hypothesis import settings
from schemathesis import AuthContext, Case, CheckContext, Response
from schemathesis.config import PositiveDataAcceptanceConfig
from schemathesis.core.parameters import ParameterLocation
from starlette.responses import Response as StarletteResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from bumpwell.bootstrap import Wiring, wire
from bumpwell.web.app import OPENAPI_URL, create_app
from tests.api.conftest import Clock, User, onboard, sign_up
from tests.api.conftest import test_settings as settings_for

EXAMPLES = 25  # per operation, on top of schemathesis's systematic coverage cases (boundaries, wrong types, methods)


class AppUnderTest:
    """An ASGI app that hands every request to the app on the database being fuzzed; also the fuzzing account."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.wiring: Wiring | None = None
        self.person_id = ""
        self.token = ""
        self.refused: list[dict[str, Any]] = []  # what the request models refused in the latest request

    @property
    def auth_header(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)


# Pytest makes one test per operation at collection, before any database exists, so the schema is read from an app
# whose database is never opened; the fixture below then points every request at an app on the test's database.
_schema_only = wire(settings_for(f"sqlite:///{Path(tempfile.gettempdir()) / 'bumpwell-schema-only.sqlite3'}"))
APP = AppUnderTest(create_app(_schema_only))
schema = schemathesis.openapi.from_asgi(OPENAPI_URL, APP)
_accounts = itertools.count(1)

# Every built-in check runs unless configured off; these are the ones the API promises, so make sure they stay on.
# (Two need a stateful run and pass as no-ops here: use_after_free, ensure_resource_availability.)
REQUIRED = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "ignored_auth",
]
assert [name for name in REQUIRED if not schema.config.checks.get_by_name(name=name).enabled] == []
# A schema-valid request may still break a rule the schema cannot state (a due date only in pregnancy, a known
# condition code, an invitation code that exists, the typed confirmation): that is the documented 422 naming the
# field. That such a request passed the request models is checked by `schema_valid_requests_pass_the_models`.
schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
    expected_statuses=[*PositiveDataAcceptanceConfig().expected_statuses, "422"]
)


@schema.auth(refresh_interval=None)  # the token changes with the database: never cached
class Token:
    """The fuzzing account's API token; schemathesis leaves it out where a case tests a missing or a bad one."""

    def get(self, case: Case, ctx: AuthContext) -> str:
        return APP.token

    def set(self, case: Case, data: str, ctx: AuthContext) -> None:
        case.headers["Authorization"] = f"Bearer {data}"


def _noting_refusals(app: FastAPI) -> FastAPI:
    """The app, noting in APP.refused what its request models refuse."""
    handler = app.exception_handlers[RequestValidationError]

    async def noted(request: Request, exc: Exception) -> StarletteResponse:
        assert isinstance(exc, RequestValidationError)
        APP.refused.extend(exc.errors())
        response: StarletteResponse = await handler(request, exc)
        return response

    app.exception_handlers[RequestValidationError] = noted
    return app


def schema_valid_requests_pass_the_models(ctx: CheckContext, response: Response, case: Case) -> None:
    """A request the schema allows is never refused by the request models (they would be stricter than documented)."""
    meta = case.meta
    if meta is not None and meta.generation.mode.is_positive:
        assert not APP.refused, f"the request models refused a schema-valid request: {APP.refused}"


@pytest.fixture(scope="module")
def fuzz_wiring(database: str) -> Iterator[Wiring]:
    """This module's own wiring, kept for all its tests on a database (the shared `wiring` empties every table)."""
    wired = wire(settings_for(database), clock=Clock())
    yield wired
    wired.engine.dispose()


def _fuzzer_still_works() -> bool:
    return TestClient(APP.app).get("/api/v1/me", headers=APP.auth_header).status_code == 200


@pytest.fixture
def fuzzer(fuzz_wiring: Wiring) -> None:
    """A person with a profile, a screening, a check-in (so plan, session and progress routes have data) and an API
    token: made once per database, again whenever a test in between has emptied the tables."""
    if APP.wiring is fuzz_wiring and _fuzzer_still_works():
        return
    user = sign_up(fuzz_wiring, "person", f"Fuzz {next(_accounts)}")
    onboard(user)
    response = user.post("/api/v1/me/tokens", {"name": "schemathesis"})
    assert response.status_code == 201, response.text
    APP.app, APP.wiring = _noting_refusals(create_app(fuzz_wiring)), fuzz_wiring
    APP.person_id, APP.token = user.id, response.json()["token"]


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None)
@pytest.mark.usefixtures("fuzzer")
def test_every_operation_answers_as_documented(case: Case) -> None:
    meta = case.meta
    if "person_id" in case.path_parameters and not (meta and meta.is_negative_at(ParameterLocation.PATH)):
        case.path_parameters = {**case.path_parameters, "person_id": APP.person_id}  # one's own record: real code runs
    APP.refused.clear()
    case.call_and_validate(additional_checks=[schema_valid_requests_pass_the_models])


def test_text_with_a_nul_character_is_refused_before_it_reaches_the_database(person: User) -> None:
    """PostgreSQL cannot store or even look up text holding NUL; fuzzing found a 500 for it (rare at random)."""
    me = f"/api/v1/people/{person.id}"
    for method, url, body, field in [
        ("PATCH", "/api/v1/me", {"display_name": "Ana\x00"}, "display_name"),
        ("POST", f"{me}/diary", {"day": "2027-01-11", "pain": 2, "note": "\x00"}, "note"),
        ("POST", "/api/v1/auth/login", {"email": "ana\x00@example.org", "password": "x"}, "email"),
        ("GET", "/api/v1/people/%00/profile", None, "person_id"),
        ("DELETE", f"{me}/screening/CI-R01%00/clearance", None, "code"),
    ]:
        response = person.client.request(method, url, json=body, headers=person.headers)
        assert response.status_code == 422, f"{method} {url}: {response.text}"
        assert response.json()["errors"][0]["field"] == field


def test_bidirectional_controls_and_absurd_days_are_refused_naming_the_field(person: User) -> None:
    """U+202E reversed names on clinicians' pages; a presence request for 9999-12-31 notified supervisors."""
    me = f"/api/v1/people/{person.id}"
    for method, url, body, field in [
        ("PATCH", "/api/v1/me", {"display_name": "Ana\u202e"}, "display_name"),
        ("POST", f"{me}/diary", {"day": "2027-01-11", "pain": 2, "note": "a\u2067b"}, "note"),
        ("POST", f"{me}/diary", {"day": "0001-01-01", "pain": 2}, "day"),
        ("POST", f"{me}/presence-requests", {"day": "9999-12-31", "index": 0}, "day"),
        ("POST", "/api/v1/me/tokens", {"name": "\u202dscript"}, "name"),
    ]:
        response = person.client.request(method, url, json=body, headers=person.headers)
        assert response.status_code == 422, f"{method} {url}: {response.text}"
        assert response.json()["errors"][0]["field"] == field
