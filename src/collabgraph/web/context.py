"""What every handler of the server shares: its configuration
(:class:`ServerConfig`) and state, one-line plain-text answers, reading a
request's body within its caps, and telling a request sent by another site's page.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import BodyTooLarge, BodyTooSlow, http_status

__all__ = ["ServerConfig", "ServerState", "server_state", "text_response", "error_response", "read_body",
           "foreign_page"]


@dataclass(frozen=True)
class ServerConfig:
    build_dir: str | None = "build"
    endpoint: str | None = None
    writable: bool = False
    timeout: float = 30.0
    max_rows: int = 100_000
    workers: int = 2
    graph_dir: str | None = None      # with review: the source directory whose articles are reviewed
    ontology_dir: str | None = None
    review: bool = False
    #: Host names (besides IP addresses and localhost) this server answers to.
    allow_hosts: tuple[str, ...] = ()
    #: SERVICE endpoints and LOAD sources it may send requests to (an IRI, or a prefix ending in /).
    allow_service: tuple[str, ...] = ()
    allow_load: tuple[str, ...] = ()
    max_body: int = 1_000_000         # bytes of a request body
    max_query: int = 100_000          # characters of a query (updates: max_body)
    max_result_bytes: int = 50_000_000
    max_queue: int = 64               # requests waiting for a worker
    #: Queries one client (IP address) runs at once; None: every worker on
    #: loopback (one user), workers - 1 (at least 1) when served to a network.
    per_client: int | None = None
    #: The workers answer from one in-memory copy of the build, loaded once, that they are forked from.
    memory: bool = False
    #: MiB of memory a worker may hold (its data segment: heap and private mappings; with ``memory``
    #: besides the shared copy); a query that needs more stops its worker, which is replaced. 0: no limit.
    max_memory: int = 4096
    #: With ``memory``: MiB of its own a worker may keep between queries before a fresh one is forked
    #: in its place (0: a sixteenth of the copy, at least 16). See :func:`collabgraph.web.answers.worker`.
    worker_own_memory: int = 0
    #: Seconds a request's headers, then its body, may take to arrive (408 past them; slow clients).
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    #: Connections open at once, overall and from one IP address (503 past them); overall is
    #: lowered to fit under the open-file limit (see :mod:`collabgraph.web.httpguard`).
    max_connections: int = 1000
    max_client_connections: int = 100
    #: Threads of the server process answering queries proven cheap (read-only local builds;
    #: 0: every query goes to a worker). See :mod:`collabgraph.web.fastpath`.
    fast_threads: int = 2
    #: Processes serving HTTP on the one port, each with its own event loop and fast path; the first holds
    #: the query pool and the others send it what they do not answer themselves. See :mod:`collabgraph.web.fronts`.
    #: None: chosen by ``serve`` (:func:`collabgraph.web.server.default_processes`).
    http_processes: int | None = 1


@dataclass(eq=False)
class ServerState:
    """What the handlers share: the configuration, the query pool (made when
    the app starts) and the locks. ``create_app`` keeps one on ``app.state.collab``."""

    config: ServerConfig
    pool: Any = None
    fast: Any = None  # the fast path (web.fastpath.FastPath), when the server has one
    explorer_lock: threading.Lock = field(default_factory=threading.Lock)
    review_lock: threading.Lock = field(default_factory=threading.Lock)  # one change to graph/articles/ at a time


def server_state(request) -> ServerState:
    return request.app.state.collab


def text_response(message: str, status: int, headers: dict[str, str] | None = None):
    from starlette.responses import PlainTextResponse

    return PlainTextResponse(message, status_code=status, headers=headers)


def error_response(exc: BaseException, headers: dict[str, str] | None = None):
    """The one-line answer to a request that failed with ``exc``, at its class's ``http_status``."""
    return text_response(str(exc), http_status(exc), headers)


async def read_body(request, cap: int, timeout: float | None = None) -> bytes:
    """The request body, read as it streams in and refused as soon as it passes
    ``cap`` bytes (or announces more), so a huge body is never held, or when
    it takes longer than ``timeout`` seconds. (Under ``serve`` the connection
    guard of :mod:`collabgraph.web.httpguard` cuts slow bodies first; this holds
    under any other ASGI server too.)

    :raises BodyTooLarge: in one line (``BodyTooSlow`` for a body cut short).
    """
    import asyncio

    from starlette.requests import ClientDisconnect

    message = f"the request body is larger than {cap} bytes (--max-body)"
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > cap:
        raise BodyTooLarge(message)
    chunks, size = [], 0

    async def read() -> None:
        nonlocal size
        async for chunk in request.stream():
            size += len(chunk)
            if size > cap:
                raise BodyTooLarge(message)
            chunks.append(chunk)

    try:
        await asyncio.wait_for(read(), timeout)
    except asyncio.TimeoutError:
        raise BodyTooSlow(f"the request body did not arrive within {timeout:g} s (--body-timeout)") from None
    except ClientDisconnect:  # cut by the connection guard, or the client left: no one reads this answer
        raise BodyTooSlow("the request body did not arrive whole") from None
    return b"".join(chunks)


def foreign_page(request) -> str | None:
    """What shows that a request was sent by a page of another origin (the
    browser says so in ``Sec-Fetch-Site`` and ``Origin``), or ``None``.
    Programs send neither header; this server's own pages send its origin."""
    site = request.headers.get("sec-fetch-site")
    if site and site not in ("same-origin", "none"):
        return f"Sec-Fetch-Site: {site}"
    origin = request.headers.get("origin")
    if origin is not None and origin != f"{request.url.scheme}://{request.headers.get('host', '')}":
        return f"Origin: {origin}"
    return None

