"""The event loop never waits on the database (issue 14).

Every route that takes the request's unit of work or the caller is a plain ``def``, and so are those two
dependencies: FastAPI runs them in its worker threads. A write waiting on a lock then holds one thread, and the
worker goes on answering everyone else (a write waiting 5 s on SQLite's lock had frozen GET /login for 4.98 s).
"""

from __future__ import annotations

import inspect
import threading
import time
from collections.abc import Iterator
from typing import Any

import fastapi.routing
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import text

from bumpwell.bootstrap import Wiring
from bumpwell.web import deps
from bumpwell.web.app import create_app
from tests.api.conftest import PASSWORD

DATABASE_DEPENDENCIES = (deps.store, deps.caller)
DATABASE_CALLS = ("in_own_unit(", ".stores(", "require_role(", "require_person(", "page_caller(", "unit.")


def _routes(wiring: Wiring) -> Iterator[APIRoute]:
    routes: list[Any] = list(create_app(wiring).routes)
    walk = getattr(fastapi.routing, "iter_route_contexts", None)
    for route in walk(routes) if walk else routes:
        original = getattr(route, "original_route", route)
        if isinstance(original, APIRoute):
            yield original


def _calls(dependant: Any) -> Iterator[Any]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def _is_async(call: Any) -> bool:
    target = call if inspect.isfunction(call) or inspect.ismethod(call) else getattr(call, "__call__", call)  # noqa: B004
    return inspect.iscoroutinefunction(target) or inspect.isasyncgenfunction(target)


def test_no_route_on_the_event_loop_touches_the_database(wiring: Wiring) -> None:
    for dependency in DATABASE_DEPENDENCIES:
        assert not _is_async(dependency), f"{dependency.__name__} reaches the database: it must be a plain def"
    on_loop = set()
    routes = list(_routes(wiring))
    assert len(routes) > 40
    for route in routes:
        if not _is_async(route.endpoint):
            continue
        uses = [c for c in _calls(route.dependant) if c in DATABASE_DEPENDENCIES]
        source = inspect.getsource(route.endpoint)
        if uses or any(call in source for call in DATABASE_CALLS):
            on_loop.add(f"{route.path}: {route.endpoint.__name__}")
    assert not on_loop, "async routes that would wait on the database on the event loop:\n" + "\n".join(sorted(on_loop))


def _hold_the_diary_table(wiring: Wiring, held: threading.Event, done: threading.Event, out: threading.Event) -> None:
    """Take a write lock another writer must wait for (SQLite: the database's; PostgreSQL: the diary table's), until
    the test is done or 4 s have passed (under SQLite's 5 s busy wait, so the write still goes through)."""
    with wiring.engine.connect() as connection:
        if wiring.engine.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.execute(text("LOCK TABLE diary_entries IN EXCLUSIVE MODE"))
        held.set()
        done.wait(4.0)
        connection.rollback()
        out.set()


def test_a_write_waiting_on_a_lock_does_not_hold_up_the_login_page_or_a_read(wiring: Wiring) -> None:
    with TestClient(create_app(wiring)) as client:  # one event loop for every request, as in a server worker
        body = {"email": "ana@example.org", "password": PASSWORD, "display_name": "Ana", "role": "person",
                "family_name": "Silva", "date_of_birth": "1994-03-03"}  # fmt: skip
        me = client.post("/api/v1/auth/signup", json=body).json()
        headers = {"X-CSRF-Token": me["csrf_token"]}
        held, done, released = threading.Event(), threading.Event(), threading.Event()
        locker = threading.Thread(target=_hold_the_diary_table, args=(wiring, held, done, released))
        locker.start()
        assert held.wait(10)
        answers: list[int] = []
        entry = {"day": "2027-01-10", "pain": 4, "note": ""}
        writer = threading.Thread(
            target=lambda: answers.append(
                client.post(f"/api/v1/people/{me['id']}/diary", json=entry, headers=headers).status_code
            )
        )
        writer.start()
        time.sleep(0.3)  # the write is now waiting on the lock
        login = client.get("/login").status_code
        read = client.get(f"/api/v1/people/{me['id']}/profile").status_code
        answered_while_locked = not released.is_set() and writer.is_alive()
        done.set()
        writer.join(15)
        locker.join(15)
        assert (login, read) == (200, 404), "the login page, and a read (no profile yet)"
        assert answered_while_locked, "the page and the read answered while the write was still waiting"
        assert answers == [201], "the write goes through once the lock is released"
