"""The FastAPI application factory. Nothing is built at import: ``create_app(wiring)`` does it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from importlib.resources import files
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bumpwell import __version__
from bumpwell.bootstrap import Wiring, unavailable_errors
from bumpwell.web import (
    api_account,
    api_acks,
    api_identity,
    api_people,
    api_team,
    health,
    page_errors,
    pages_account,
    pages_audit,
    pages_birth,
    pages_caseload,
    pages_check,
    pages_clinic,
    pages_forgot,
    pages_identity,
    pages_library,
    pages_session,
    pages_start,
    pages_supervise,
    pages_team,
    problems,
    views,
)
from bumpwell.web.inputs import page_gate

OPENAPI_URL = "/api/v1/openapi.json"
DOCS_URL = "/api/v1/docs"
API_HEADERS = [
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
]
PAGE_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        b"manifest-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'; "
        b"frame-ancestors 'none'",
    ),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), screen-wake-lock=(self)"),
]
DOCS_HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        b"connect-src 'self'; frame-ancestors 'none'",
    ),
]
COMMON_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
# Health data is never kept by a browser, its Back button or a proxy: every answer is no-store unless its route
# says otherwise, and only the routes below may (files that are the same for everyone, and the figures).
NO_STORE = (b"cache-control", b"no-store")
CACHEABLE = ("/static/", "/figures/", "/manifest.webmanifest", "/sw.js", f"{DOCS_URL}/static/")
VERSIONED = (b"cache-control", b"public, max-age=31536000, immutable")
# Over HTTPS the browser is told to come back only over HTTPS (two years, RFC 6797); never over plain HTTP.
HSTS = (b"strict-transport-security", b"max-age=63072000; includeSubDomains")


def _headers_for(scope: Scope) -> tuple[list[tuple[bytes, bytes]], set[bytes]]:
    """The security headers a response to ``scope`` gets, and those that replace what its route set.

    The route's own headers are kept (a chart's narrower CSP, say), except ``Cache-Control`` outside ``CACHEABLE``:
    there it is always no-store, whatever the route said.
    """
    path = scope["path"]
    if path.startswith(DOCS_URL):
        extra = COMMON_HEADERS + DOCS_HEADERS
    elif path.startswith("/api/"):
        extra = COMMON_HEADERS + API_HEADERS
    else:
        extra = COMMON_HEADERS + PAGE_HEADERS
    if path.startswith("/static/") and b"v=" in scope.get("query_string", b""):
        extra = [*extra, VERSIONED]
    replace: set[bytes] = set()
    if not path.startswith(CACHEABLE):
        extra, replace = [*extra, NO_STORE], {NO_STORE[0]}
    if scope.get("scheme") == "https":
        extra = [*extra, HSTS]
    return extra, replace


class SecurityHeaders:
    """Adds security headers to every response (a plain ASGI middleware: no per-request task overhead)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra, replace = _headers_for(scope)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                own = [h for h in message.get("headers", []) if h[0].lower() not in replace]
                present = {name.lower() for name, _ in own}
                message["headers"] = own + [h for h in extra if h[0] not in present]
            await send(message)

        await self.app(scope, receive, with_headers)


DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>bumpwell API</title><link rel="stylesheet" href="/api/v1/docs/static/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/v1/docs/static/swagger-ui-bundle.js"></script>
<script src="/api/v1/docs/init.js"></script></body></html>
"""
DOCS_INIT = (
    'window.ui = SwaggerUIBundle({url: "' + OPENAPI_URL + '", dom_id: "#swagger-ui", deepLinking: true, '
    "withCredentials: true});\n"
)


def _problem_media(schema: dict[str, Any]) -> dict[str, Any]:
    """Problem responses are application/problem+json; FastAPI files their schema under application/json."""
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for code, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if problems.PROBLEM in content and "application/json" in content and code[0] in "45":
                    content[problems.PROBLEM] = content.pop("application/json")
    return schema


LOG = logging.getLogger("bumpwell.outbox")


async def _send_notices(wiring: Wiring) -> None:
    """Every ``smtp_interval_s``: send the e-mail notices that are due (in a thread); never stops the server."""
    from fastapi.concurrency import run_in_threadpool

    from bumpwell.services import outbox

    assert wiring.mailer is not None
    while True:
        try:
            run = await run_in_threadpool(
                outbox.deliver, wiring.stores, wiring.mailer, wiring.clock, wiring.settings.public_url
            )
            if run.failed:
                LOG.warning("notices by e-mail: %d sent, %d failed and kept to retry", run.sent, run.failed)
            elif run.sent:
                LOG.info("notices by e-mail: %d sent", run.sent)
        except Exception:  # a database hiccup: log it and try again next time
            LOG.exception("the notice outbox failed; it will try again")
        await asyncio.sleep(wiring.settings.smtp_interval_s)


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """With an SMTP server configured, the outbox runs beside the app (each worker; claims keep sends single)."""
    wiring: Wiring = app.state.wiring
    task = asyncio.create_task(_send_notices(wiring)) if wiring.mailer is not None else None
    try:
        yield
    finally:
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


def create_app(wiring: Wiring) -> FastAPI:
    """The bumpwell web application for ``wiring``."""
    app = FastAPI(
        title="bumpwell",
        version=__version__,
        summary="Safe, guided exercise for back and pelvic girdle pain in pregnancy and after birth.",
        openapi_url=OPENAPI_URL,
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.wiring = wiring
    problems.install(app, unavailable_errors())
    app.include_router(api_account.router)
    app.include_router(api_people.router)
    app.include_router(api_identity.router)
    app.include_router(api_acks.router)
    app.include_router(api_team.router)
    app.include_router(health.router)
    page_errors.install(app, unavailable_errors())
    views.install_filters(wiring)
    gate = [Depends(page_gate)]  # the input gate of every page (the API's is in its schemas and path patterns)
    for pages in (
        pages_start, pages_forgot, pages_identity, pages_session, pages_check, pages_birth, pages_account,
        pages_library, pages_team, pages_supervise, pages_clinic, pages_caseload, pages_audit,
    ):  # fmt: skip
        app.include_router(pages.router, dependencies=gate)
    app.mount("/static", StaticFiles(directory=str(files("bumpwell.web") / "static")), name="static")

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, summary=app.summary, routes=app.routes)
            app.openapi_schema = _problem_media(schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    _docs(app)
    app.add_middleware(SecurityHeaders)
    return app


def _docs(app: FastAPI) -> None:
    import swagger_ui_bundle

    app.mount(f"{DOCS_URL}/static", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs-static")

    @app.get(DOCS_URL, include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE)

    @app.get(f"{DOCS_URL}/init.js", include_in_schema=False)
    async def docs_init() -> PlainTextResponse:
        return PlainTextResponse(DOCS_INIT, media_type="text/javascript")
