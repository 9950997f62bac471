"""No route ever leaves the event loop while it may hold a database connection.

A sync dependency hops to the threadpool; if the request already holds a pooled connection, many such requests
can take every connection while the event loop blocks on the pool for the next one: the worker freezes (the load
benchmark found this). So every dependency is async, and password work runs in a thread with its own connection.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import fastapi.routing
from fastapi.routing import APIRoute

from bumpwell.bootstrap import Wiring
from bumpwell.web.app import create_app


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


def test_every_route_and_every_dependency_runs_on_the_event_loop(wiring: Wiring) -> None:
    sync = set()
    routes = list(_routes(wiring))
    assert len(routes) > 40
    for route in routes:
        if not _is_async(route.endpoint):
            sync.add(f"{route.path}: {route.endpoint.__name__}")
        for call in _calls(route.dependant):
            if not _is_async(call):
                sync.add(f"{route.path}: dependency {getattr(call, '__name__', type(call).__name__)}")
    assert not sync, "sync code would run in the threadpool:\n" + "\n".join(sorted(sync))
