"""Request-scoped dependencies: the unit of work, the caller (cookie or API token) and the CSRF check.

The event loop never waits on the database: the unit of work and the caller are plain (sync) dependencies, and
every route that takes them is a plain ``def``, so FastAPI runs them in its worker threads. A write waiting on
SQLite's lock, or a slow PostgreSQL, then holds one thread, never the whole worker (tests/api/test_event_loop.py).
FastAPI closes a sync generator dependency outside the threads' limit, so a request giving its connection back
never waits for a thread while other threads wait for that connection.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from bumpwell.bootstrap import Wiring
from bumpwell.errors import Forbidden, Unauthenticated
from bumpwell.services import accounts
from bumpwell.services.common import Call
from bumpwell.services.ports import Store
from bumpwell.services.records import UserRecord
from bumpwell.web.schemas import Page

T = TypeVar("T")

COOKIE = "bw_session"
DEVICE_COOKIE = "bw_device"  # a browser that logged in before: its logins are counted apart from strangers'
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

bearer = HTTPBearer(auto_error=False, description="an API token from POST /api/v1/me/tokens", scheme_name="token")
cookie = APIKeyCookie(name=COOKIE, auto_error=False, description="the login session cookie", scheme_name="session")


def wiring(request: Request) -> Wiring:
    """The app's wiring (set by the app factory)."""
    found: Wiring = request.app.state.wiring
    return found


async def wiring_dep(request: Request) -> Wiring:
    """The wiring as a dependency (no I/O, so it stays on the event loop)."""
    return wiring(request)


def in_own_unit(wired: Wiring, work: Callable[[Store], T]) -> T:
    """Run ``work`` (password hashing and its database work) with its own unit of work, committed when it returns.

    The request's own unit is given back first by the caller (``unit.rollback()``), so slow argon2 work never holds
    two connections.
    """
    with wired.stores() as own:
        result = work(own)
        own.commit()
        return result


async def in_thread(wired: Wiring, work: Callable[[Store], T]) -> T:
    """:func:`in_own_unit` from an ``async`` route (one that must wait without a thread, as a throttled login does):
    in a worker thread, so the event loop never waits on the database."""
    return await run_in_threadpool(in_own_unit, wired, work)


def store(request: Request) -> Iterator[Store]:
    """One unit of work per request, opened and closed in a worker thread; rolled back unless the route commits."""
    with wiring(request).stores() as unit:
        yield unit


@dataclass(frozen=True, slots=True)
class Caller:
    """The authenticated caller and, for cookie logins, the CSRF token of the session."""

    call: Call
    csrf_token: str | None

    @property
    def user(self) -> UserRecord:
        """The caller's account."""
        return self.call.user


def caller(
    request: Request,
    unit: Annotated[Store, Depends(store)],
    token: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    session_cookie: Annotated[str | None, Depends(cookie)],
) -> Caller:
    """Who is calling: an API token wins over a cookie; changes made with a cookie must carry the CSRF token."""
    now = wiring(request).clock()
    try:
        if token is not None:
            user = accounts.from_api_token(unit, token.credentials, now)
            return Caller(Call(user, now), None)
        if session_cookie:
            wired = wiring(request)
            user, session = accounts.use_web_session(unit, wired.rules, wired.catalogue.policy, session_cookie, now)
            if request.method not in SAFE_METHODS:
                sent = request.headers.get(CSRF_HEADER, "")
                if not secrets.compare_digest(sent.encode(), session.csrf_token.encode()):
                    raise Forbidden(f"missing or wrong {CSRF_HEADER} header (the token comes with login and GET /me)")
            return Caller(Call(user, now), session.csrf_token)
        raise Unauthenticated("log in, or send an API token as Authorization: Bearer")
    finally:
        unit.rollback()  # give the connection back while the rest of the request's dependencies resolve


# Logging out or deleting the account tells the browser to drop what it kept of this site: the HTTP cache (and
# with it what Back would show) and its storage (the service worker's caches, localStorage). The pages' own
# script sends what waits in the offline queue first, and asks before anything unsent is lost.
CLEAR_SITE_DATA = '"cache", "storage"'


def end_of_session(response: Response) -> Response:
    """``response`` with the session cookie removed and the browser told to clear this site's cache and storage."""
    response.delete_cookie(COOKIE, path="/")
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


def cookie_secure(request: Request) -> bool:
    """Whether cookies are Secure: over HTTPS (the proxy's X-Forwarded-Proto counts), unless the installation says."""
    secure = wiring(request).settings.cookie_secure
    return request.url.scheme == "https" if secure is None else secure


def set_session_cookie(request: Request, response: Response, token: str, days: int) -> None:
    """The login cookie: HttpOnly, SameSite=Lax, Secure over HTTPS (or when the installation says so). The browser
    keeps it ``days`` (the cap, ``session_max_days``); the server ends the session sooner when it goes unused."""
    secure = cookie_secure(request)
    response.set_cookie(COOKIE, token, max_age=days * 86400, httponly=True, samesite="lax", secure=secure, path="/")


def set_device_cookie(request: Request, response: Response, token: str, days: int) -> None:
    """The device cookie a login leaves: HttpOnly, SameSite=Lax, Secure over HTTPS; it outlives logout (it is no
    login, only what makes this browser known to the accounts that logged in here)."""
    secure = cookie_secure(request)
    response.set_cookie(
        DEVICE_COOKIE, token, max_age=days * 86400, httponly=True, samesite="lax", secure=secure, path="/"
    )


StoreDep = Annotated[Store, Depends(store)]
CallerDep = Annotated[Caller, Depends(caller)]
WiringDep = Annotated[Wiring, Depends(wiring_dep)]


@dataclass(frozen=True, slots=True)
class Paging:
    """``limit`` and ``offset`` of a list request; every list is paged."""

    limit: int
    offset: int

    def page(self, items: list[T], total: int) -> Page[T]:
        """The page of ``items`` out of ``total``."""
        return Page[T](items=items, total=total, limit=self.limit, offset=self.offset)


async def paging(
    limit: Annotated[int, Query(ge=1, le=200, description="at most this many items")] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000, description="skip this many items")] = 0,
) -> Paging:
    """Paging parameters from the query string."""
    return Paging(limit, offset)


PagingDep = Annotated[Paging, Depends(paging)]
