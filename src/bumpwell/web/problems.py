"""Errors as RFC 9457 problem documents (``application/problem+json``); a 422 always names the field."""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from bumpwell.errors import (
    BumpwellError,
    Conflict,
    Forbidden,
    InvalidRequest,
    NotFound,
    TooManyAttempts,
    Unauthenticated,
)

LOG = logging.getLogger("bumpwell.web")
PROBLEM = "application/problem+json"
TYPES = {
    400: "bad-request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    422: "invalid-field",
    429: "too-many-attempts",
    500: "server-error",
    503: "unavailable",
}
TITLES = {
    400: "Bad request",
    401: "Log in first",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict with what is stored",
    413: "Request too large",
    422: "A field is not valid",
    429: "Too many attempts",
    500: "Something went wrong on our side",
    503: "Not available just now",
}


class FieldError(BaseModel):
    """One invalid field: its dotted path and what is allowed."""

    field: str
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldError] = []
    retry_after_s: int | None = None


def problem(
    request: Request,
    status: int,
    detail: str,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A problem response for ``status``."""
    body = Problem(
        type=f"/api/v1/problems#{TYPES.get(status, 'error')}",
        title=TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=errors or [],
        retry_after_s=extra.get("retry_after_s"),
    )
    headers = dict(headers or {})
    if "retry_after_s" in extra:
        headers["Retry-After"] = str(extra["retry_after_s"])
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="bumpwell"'  # RFC 9110: a 401 names how to authenticate
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM, headers=headers)


def _field(loc: tuple[Any, ...]) -> str:
    parts = [p for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not str(part).startswith(("function-", "json-or-python")):
            out += ("." if out else "") + str(part)
    return out or "body"


def _message(error: dict[str, Any]) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a known field"
    if kind == "json_invalid":
        return f"the body is not valid JSON ({ctx.get('error', 'parse error')})"
    message = str(error.get("msg", "is not valid"))
    return message[0].lower() + message[1:] if message else "is not valid"


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        FieldError(
            field="body" if e.get("type") == "json_invalid" else _field(tuple(e.get("loc", ()))), message=_message(e)
        )
        for e in exc.errors()
    ]
    first = errors[0] if errors else FieldError(field="body", message="is not valid")
    return problem(request, 422, f"{first.field}: {first.message}", errors)


async def _bumpwell(request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, InvalidRequest):
        return problem(request, 422, str(exc), [FieldError(field=exc.field, message=exc.message)])
    if isinstance(exc, Conflict):
        return problem(request, 409, str(exc), [FieldError(field=exc.field, message=exc.message)])
    if isinstance(exc, NotFound):
        return problem(request, 404, str(exc))
    if isinstance(exc, Forbidden):
        return problem(request, 403, exc.reason)
    if isinstance(exc, Unauthenticated):
        return problem(request, 401, str(exc) or "log in, or send an API token")
    if isinstance(exc, TooManyAttempts):
        return problem(request, 429, str(exc), retry_after_s=exc.retry_after_s)
    return problem(request, 500, "the request could not be completed; nothing was changed")


def _allowed(request: Request) -> str:
    """Every method the path answers to, from the API schema (RFC 9110: a 405 lists them all in Allow).

    Starlette names only the methods of the first route on the path, and one path's methods sit on several routes.
    As in OpenAPI, a path with fewer {parameters} (``care-team/invitations``) wins over ``care-team/{link_id}``.
    """
    path = request.scope["path"].removeprefix(request.scope.get("root_path", ""))
    paths: dict[str, dict[str, Any]] = request.app.openapi().get("paths", {})
    found: dict[int, set[str]] = {}
    for template, operations in paths.items():
        parts = re.split(r"(\{[^}]+\})", template)
        if re.fullmatch("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts), path):
            found.setdefault(template.count("{"), set()).update(method.upper() for method in operations)
    methods = found[min(found)] if found else set()
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405 and (allowed := _allowed(request)):
        headers["Allow"] = allowed
    return problem(request, exc.status_code, str(exc.detail), headers=headers)


RETRY_AFTER_S = 5  # a database that is busy or restarting is usually back within seconds
UNAVAILABLE = "the database is busy or cannot be reached just now; nothing was changed, please try again shortly"


async def unavailable(request: Request, exc: Exception) -> JSONResponse:
    """The database could not serve (unreachable, locked, every pooled connection busy): 503 with Retry-After."""
    LOG.warning("database unavailable for %s %s: %s", request.method, request.url.path, type(exc).__name__)
    return problem(request, 503, UNAVAILABLE, retry_after_s=RETRY_AFTER_S)


def install(app: FastAPI, unavailable_errors: tuple[type[Exception], ...] = ()) -> None:
    """Route every error through :func:`problem`; ``unavailable_errors`` (the database's) answer 503."""
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(BumpwellError, _bumpwell)
    app.add_exception_handler(StarletteHTTPException, _http)
    for kind in unavailable_errors:
        app.add_exception_handler(kind, unavailable)


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "description": TITLES[status], "content": {PROBLEM: {}}}
    for status in (400, 401, 403, 404, 409, 422, 429, 503)  # 400: a body that is not UTF-8 text
}
