"""The floor for benchmarks/bench_api.py: a raw ASGI callable answering every request with {"status":"ok"}.

No framework, no routing, no database: what uvicorn and the load generator cost on their own.
Run with `uvicorn --app-dir benchmarks bare_asgi:app --workers 2`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

BODY = b'{"status":"ok"}'
HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]


async def app(
    scope: dict[str, Any],
    receive: Callable[[], Awaitable[dict[str, Any]]],
    send: Callable[[dict[str, Any]], Awaitable[None]],
) -> None:
    """Read the request body to its end (the POSTs send one), then answer 200 with the fixed JSON."""
    if scope["type"] != "http":  # lifespan and anything else: nothing to set up
        return
    while (await receive()).get("more_body", False):
        pass
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})
