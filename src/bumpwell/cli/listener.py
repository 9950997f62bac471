"""How ``bumpwell serve`` listens: uvicorn's settings, and a connection that must send its request head in time.

uvicorn closes a keep-alive connection that stays quiet after an answer (``timeout_keep_alive``), but a fresh
connection that sends nothing, or trickles its request line and headers a byte at a time, it keeps open for ever:
a thousand of them from one client hold a thousand sockets and file descriptors. ``HeadTimeoutH11Protocol`` closes
any connection whose request head (request line and headers) has not fully arrived ``HEAD_TIMEOUT_S`` after it
opened or after its last answer. Per-client limits belong to the reverse proxy in front (docs/api.md).
"""

from __future__ import annotations

import asyncio
import resource
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

HEAD_TIMEOUT_S = 10.0  # DESIGN: a phone on a slow line sends a request head in well under a second
KEEP_ALIVE_S = 5  # uvicorn's default, said here so it is a choice
MAX_HEAD_BYTES = 16 * 1024  # a request head larger than this is refused (h11's incomplete-event limit)
MAX_CONNECTIONS = 2000  # per worker: above this uvicorn answers 503 at once instead of running out of sockets
BACKLOG = 2048
PROTOCOL = "bumpwell.cli.listener:HeadTimeoutH11Protocol"


class HeadTimeoutH11Protocol(H11Protocol):
    """uvicorn's h11 protocol that also closes a connection whose request head is late."""

    head_timeout_s = HEAD_TIMEOUT_S

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Open as uvicorn does, then start waiting for the request head."""
        super().connection_made(transport)
        self._head_wait(0)

    def on_response_complete(self) -> None:
        """After each answer the next request's head has the same time to arrive."""
        self._answers = getattr(self, "_answers", 0) + 1
        super().on_response_complete()
        if not self.transport.is_closing():
            self._head_wait(self._answers)

    def _head_wait(self, answers: int) -> None:
        self.loop.call_later(self.head_timeout_s, self._head_late, answers)

    def _head_late(self, answers: int) -> None:
        waiting = self.conn.their_state is h11.IDLE  # h11 leaves IDLE once the whole request head is in
        if waiting and getattr(self, "_answers", 0) == answers and not self.transport.is_closing():
            self.transport.close()


def open_files_for(connections: int) -> int:
    """Raise this process's limit of open files towards ``connections`` (within the hard limit); the new limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + 256  # the database pool, log files and the listening socket besides
    if soft != resource.RLIM_INFINITY and soft < wanted:
        soft = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    return soft


def uvicorn_settings(workers: int) -> dict[str, Any]:
    """The listener settings ``bumpwell serve`` gives uvicorn."""
    return {
        "http": PROTOCOL,
        "workers": workers,
        "timeout_keep_alive": KEEP_ALIVE_S,
        "h11_max_incomplete_event_size": MAX_HEAD_BYTES,
        "limit_concurrency": MAX_CONNECTIONS,
        "backlog": BACKLOG,
        "proxy_headers": True,
    }
