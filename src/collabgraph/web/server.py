"""``collabgraph serve``: a SPARQL 1.1 Protocol endpoint, the explorer and a
query page, as a small Starlette app.

Why our own app and not rdflib-endpoint: rdflib-endpoint answers through
rdflib's SPARQL engine (10–80x slower than Oxigraph here) and brings FastAPI.
This app is a thin view over the same store the CLI uses.

Queries run in worker processes, each with its own read-only handle on the
store (with ``--memory``, forked from one process holding the in-memory copy,
which they share), fed by the fair queue of :mod:`collabgraph.web.querypool`. A query that
passes the time limit (counted from its arrival) has its worker killed and
replaced, so the server keeps answering. Oxigraph cannot cancel a running
query, and a thread could not be stopped. Results are capped at ``max_rows``
rows (or triples) and ``max_result_bytes``: past a cap the answer is a clear
error, not a truncated result. Updates get 403 unless the server runs with
``--writable``. It binds to 127.0.0.1 unless told otherwise.

Against hostile clients: every request must name this server in ``Host`` (DNS
rebinding), updates from other sites' pages are refused (``Origin``,
``Sec-Fetch-Site``), SERVICE and LOAD send nothing unless their IRI is allowed
(:mod:`collabgraph.core.sparqlguard`), and bodies are read as they stream in and
refused past ``max_body``.

Routes:
- ``GET|POST /sparql``: the SPARQL 1.1 Protocol (``query=`` in the URL or a
  form, or an ``application/sparql-query`` body; updates as ``update=`` or
  ``application/sparql-update``). SELECT and ASK answer as JSON, XML, CSV or
  TSV; CONSTRUCT and DESCRIBE as Turtle, N-Triples or JSON-LD, chosen by
  ``Accept``. The dataset parameters and ``FROM`` are honoured, relative IRIs
  resolve against the endpoint's URL, and a GET without a query answers the
  service description (docs/sparql.md).
- ``GET|HEAD /store?graph=IRI`` or ``?default``: the Graph Store HTTP
  Protocol; ``PUT|POST|DELETE`` of a named graph with ``--writable``.
- ``GET /``: the explorer page. ``GET /query``: a query page with the saved
  queries as examples. ``GET /saved.json``: the saved queries.
- With ``--review`` (and ``--graph DIR``): ``GET /review``, the review page
  of ingested articles; ``GET /review.json``, the articles, their text and
  candidates; ``GET /review/names.json?q=&article=``, names for the page's
  autocomplete; ``POST /review/accept|reject|edit|add|undo|type`` (a JSON body), which change
  ``graph/articles/`` as ``collabgraph review`` does (never the store). A POST
  must come from the page itself: its ``Origin`` must be this server's, and
  its body JSON (which a form on another site cannot send without asking).
"""

from __future__ import annotations

import contextlib
import errno
import os
import socket

from ..core.errors import BuildNotFound, ServeError
from .answers import load_copy, worker
from .context import ServerConfig, ServerState
from .middleware import HostCheck, PageHeaders, host_allowed
from .pages import explorer, query_page, saved
from .review import review_action, review_data, review_names, review_page
from .sparql import graph_store, sparql

__all__ = ["ServerConfig", "create_app", "serve", "bind_socket", "host_allowed"]


def _one_copy(config: ServerConfig) -> bool:
    """Whether the workers share one copy of the build, loaded once and forked
    from (``--memory``, read-only, local; Linux: pidfds): the condition for
    the pool's ``loader`` and for forking that copy before the server starts."""
    return bool(config.memory and not config.writable and not config.endpoint and hasattr(os, "pidfd_open"))


def create_app(config: ServerConfig, *, copy=None):
    """The ASGI app serving ``config``: the routes of :mod:`.sparql`, :mod:`.pages`
    and :mod:`.review`, the query pool (its workers run :func:`.answers.worker`)
    started with the app, and the host check and page headers around them.
    ``copy``: with ``--memory``, the process holding the build's copy, forked
    already (:func:`.querypool.fork_first_copy`); else the pool starts one."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.routing import Route

    from .querypool import QueryPool

    state = ServerState(config)
    slots = 1 if config.writable else max(1, config.workers)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        state.pool = await run_in_threadpool(
            lambda: QueryPool(worker, config, slots=slots, timeout=config.timeout, max_queue=config.max_queue,
                              per_client=config.per_client or slots,
                              build_dir=None if config.endpoint else config.build_dir, spare=not config.writable,
                              # --memory: one copy, loaded once, that the workers are forked from and share
                              # (Linux: pidfds; elsewhere each worker loads its own).
                              loader=load_copy if _one_copy(config) else None, copy=copy))
        if config.fast_threads and not config.writable and not config.endpoint and config.build_dir:
            state.fast = await run_in_threadpool(_fast_path, config)
        try:
            yield
        finally:
            state.pool.close()
            if state.fast is not None:
                state.fast.close()

    app = Starlette(routes=[
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/store", graph_store, methods=["GET", "HEAD", "PUT", "POST", "DELETE"]),
        Route("/", explorer), Route("/query", query_page), Route("/saved.json", saved),
        Route("/review", review_page), Route("/review.json", review_data),
        Route("/review/names.json", review_names),
        Route("/review/{action:str}", review_action, methods=["POST"]),
    ], lifespan=lifespan)
    app.state.collab = state
    return PageHeaders(HostCheck(app, config.allow_hosts))


def _fast_path(config: ServerConfig):
    """The server process's own threads for cheap queries (:mod:`.fastpath`), over one read-only handle."""
    from ..api import CollabGraph
    from .answers import answer_here
    from .fastpath import FastPath

    def open_graph(generation: str):
        # The build on disk even with --memory: a lookup is as quick there, and no further copy is held.
        try:
            kg = CollabGraph.open(generation)
        except BuildNotFound:  # --memory over a build without its store on disk: every query to the workers
            return None
        kg.store.allow_service, kg.store.allow_load = (), ()  # never a request from the server process
        return kg

    return FastPath(str(config.build_dir), open_graph,
                    lambda kg, message, deadline: answer_here(kg, config, message, deadline),
                    threads=config.fast_threads)


def bind_socket(host: str = "127.0.0.1", port: int = 8000) -> socket.socket:
    """A TCP socket bound to ``host:port``, the way uvicorn binds one (IPv6
    when the host has a colon), so that a busy port is known before anything
    starts or says it is serving.

    :raises ServeError: in one line, for a port in use, a port that needs
        privileges, or an address that is not this machine's.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: accepted sockets inherit it, and asyncio sets
    # TCP_NODELAY only on sockets that say they are TCP (without it every
    # small answer waits ~40 ms for the client's delayed acknowledgement).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            reason = "is in use; pick another with --port"
        elif exc.errno == errno.EACCES:
            reason = "needs privileges this user does not have; pick one above 1023 with --port"
        elif exc.errno == errno.EADDRNOTAVAIL or isinstance(exc, socket.gaierror):
            raise ServeError(f"cannot serve on {host}: not an address of this machine "
                             f"({exc.strerror or exc}); use --host 127.0.0.1 or 0.0.0.0") from None
        else:
            reason = f"cannot be used ({exc.strerror or exc})"
        raise ServeError(f"port {port} on {host} {reason}") from None
    return sock


def serve(config: ServerConfig, *, host: str = "127.0.0.1", port: int = 8000,
          sock: socket.socket | None = None) -> None:
    """Serve until interrupted, on ``sock`` or else on a socket bound to ``host:port``.

    :raises ServeError: as :func:`bind_socket`.
    """
    import dataclasses
    import ipaddress

    import uvicorn

    if config.per_client is None:
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            config = dataclasses.replace(config, per_client=max(1, config.workers - 1))
    if sock is None:
        sock = bind_socket(host, port)
    from .httpguard import ConnectionLimits, guarded_protocol, one_framing, raise_open_file_limit

    limits = ConnectionLimits(header_timeout=config.header_timeout, body_timeout=config.body_timeout,
                              total=config.max_connections, per_client=config.max_client_connections)
    soft = raise_open_file_limit()
    limits = limits.within_fd_limit(soft, config.workers)
    if limits.total < config.max_connections:
        import sys

        print(f"note: this process may open {soft} files (ulimit -n), so at most {limits.total} connections "
              f"at once ({limits.per_client} from one address), not {config.max_connections}", file=sys.stderr)
    # uvloop's event loop and transports are in C: with httptools' parser (the guarded protocol's
    # default), a request costs the server process about half the CPU of asyncio's and h11's (issue 23).
    try:
        import uvloop  # noqa: F401

        loop = "uvloop"
    except ImportError:  # not on this platform (Windows): asyncio's own loop
        loop = "asyncio"
    copy = None
    if _one_copy(config):
        # Forked now, before the event loop and any thread: the copy's process and the workers forked
        # from it share this interpreter's pages (its imports, ~15 MiB at 100k) instead of a second one
        # of their own (issue 23, memory). The handle the fast path opens later is not among them.
        import pyoxigraph  # noqa: F401 -- imported (its library's relocations, ~7 MiB, written) once, to share
        import starlette.applications  # noqa: F401
        import starlette.responses  # noqa: F401

        from ..api import CollabGraph  # noqa: F401
        from . import fastpath  # noqa: F401
        from .querypool import fork_first_copy

        copy = fork_first_copy(worker, load_copy, config, str(config.build_dir), closing=(sock,))
    server = uvicorn.Server(uvicorn.Config(one_framing(create_app(config, copy=copy)), host=host, port=port, log_level="warning",
                                           http=guarded_protocol(limits), backlog=limits.backlog, loop=loop,
                                           # A client's X-Forwarded-For/-Proto are its own words: trusted, a local
                                           # program could pass for many clients in the fair queue, or forge the
                                           # origin the review page's writes are checked against.
                                           proxy_headers=False))
    server.run(sockets=[sock])

