"""Request-scoped dependencies: the unit of work, the caller (cookie or API token) and the CSRF check."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Callable
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
    """The wiring as a dependency. Every dependency is ``async``: a sync one would hop to the threadpool while the
    request may hold a database connection, and under load the event loop could then block on the pool."""
    return wiring(request)


async def in_thread(wired: Wiring, work: Callable[[Store], T]) -> T:
    """Run ``work`` (password hashing and its database work) in a thread with its own unit of work, committed there.

    No connection is held by the event loop while the thread runs, so slow argon2 work never starves the pool.
    """

    def run() -> T:
        with wired.stores() as own:
            result = work(own)
            own.commit()
            return result

    return await run_in_threadpool(run)


async def store(request: Request) -> AsyncIterator[Store]:
    """One unit of work per request; rolled back unless the route commits."""
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


async def caller(
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
            user, session = accounts.from_cookie(unit, session_cookie, now)
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
    """The login cookie: HttpOnly, SameSite=Lax, Secure over HTTPS (or when the installation says so)."""
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
