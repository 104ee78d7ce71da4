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

With ``--http-processes N`` (by default 2 on a machine with 2 CPUs or more),
N processes serve HTTP on the one port, each with its own event loop and
fast path; the query pool stays in the first, the connection caps are shared
(:mod:`.fronts`).

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
import signal
import socket
import sys

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


def several_processes(config: ServerConfig) -> bool:
    """Whether ``config`` may be served by more than one process (``--http-processes``):
    when a process answers lookups itself (its fast path: a read-only local build); never with
    ``--review``, whose writes to the articles take turns within one process; on Linux (a port
    group that spreads connections, ``SO_REUSEPORT``, and a shared memory file for the caps)."""
    return bool(config.fast_threads and not config.writable and not config.endpoint and config.build_dir
                and not config.review and sys.platform.startswith("linux") and hasattr(os, "memfd_create"))


def default_processes(config: ServerConfig) -> int:
    """The serving processes ``serve`` starts when not told (``--http-processes``): two on a machine
    with two CPUs or more, where several may serve (:func:`several_processes`), unless ``--memory``
    (whose point is memory: each further process holds ~40 MiB of its own); else one. Measured in
    docs/benchmarks.md (issue 23): two processes answered lookups at 1.13-1.55x the rate of main's one."""
    return min(2, os.cpu_count() or 1) if several_processes(config) and not config.memory else 1


def create_app(config: ServerConfig, *, copy=None, link=None, fronts=None, processes: int = 1):
    """The ASGI app serving ``config``: the routes of :mod:`.sparql`, :mod:`.pages`
    and :mod:`.review`, the query pool (its workers run :func:`.answers.worker`)
    started with the app, and the host check and page headers around them.
    ``copy``: with ``--memory``, the process holding the build's copy, forked
    already (:func:`.querypool.fork_first_copy`); else the pool starts one.
    With several serving processes (:mod:`.fronts`, ``processes`` in all): in
    the first, ``fronts`` (the others, whose queued queries its pool answers);
    in the others, ``link``, the connection to the first's pool (no pool here)."""
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.routing import Route

    from .querypool import QueryPool

    state = ServerState(config)
    slots = 1 if config.writable else max(1, config.workers)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        import asyncio

        if link is not None:
            from .fronts import RemotePool

            loop = asyncio.get_running_loop()
            # The first process is gone: this one stops as on SIGTERM (uvicorn's handler).
            state.pool = RemotePool(link, lambda: loop.call_soon_threadsafe(os.kill, os.getpid(), signal.SIGTERM))
            await run_in_threadpool(state.pool.ready.wait)  # the first process's pool takes queries
        else:
            state.pool = await run_in_threadpool(
                lambda: QueryPool(worker, config, slots=slots, timeout=config.timeout, max_queue=config.max_queue,
                                  per_client=config.per_client or slots,
                                  build_dir=None if config.endpoint else config.build_dir, spare=not config.writable,
                                  # --memory: one copy, loaded once, that the workers are forked from and share
                                  # (Linux: pidfds; elsewhere each worker loads its own).
                                  loader=load_copy if _one_copy(config) else None, copy=copy))
        if config.fast_threads and not config.writable and not config.endpoint and config.build_dir:
            state.fast = await run_in_threadpool(_fast_path, config, processes)
        if link is not None and state.fast is not None:
            state.pool.fast, state.fast.tell = state.fast, state.pool.tell
        if fronts is not None:
            fronts.start(state.pool, state.fast, asyncio.get_running_loop())
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


def _fast_path(config: ServerConfig, processes: int = 1):
    """The server process's own threads for cheap queries (:mod:`.fastpath`), over one read-only handle."""
    from ..api import CollabGraph
    from .answers import answer_here
    from .fastpath import MAX_WAITING, FastPath

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
                    threads=config.fast_threads,
                    # a client's share of each process's, so that over all of them it has no more than over one
                    per_client=max(1, MAX_WAITING // 4 // processes))


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

    if config.per_client is None:
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            config = dataclasses.replace(config, per_client=max(1, config.workers - 1))
    if sock is None:
        sock = bind_socket(host, port)
    from .httpguard import ConnectionLimits, SharedConnections, raise_open_file_limit

    limits = ConnectionLimits(header_timeout=config.header_timeout, body_timeout=config.body_timeout,
                              total=config.max_connections, per_client=config.max_client_connections)
    soft = raise_open_file_limit()
    limits = limits.within_fd_limit(soft, config.workers)
    if limits.total < config.max_connections:
        print(f"note: this process may open {soft} files (ulimit -n), so at most {limits.total} connections "
              f"at once ({limits.per_client} from one address), not {config.max_connections}", file=sys.stderr)
    if config.http_processes is None:
        config = dataclasses.replace(config, http_processes=default_processes(config))
    assert config.http_processes is not None
    processes = config.http_processes if several_processes(config) else 1
    if processes < config.http_processes:
        print(f"note: served by one process, not {config.http_processes}: several serve only a read-only "
              "local build with a fast path (not --writable, --endpoint, --review or --fast-threads 0), on Linux",
              file=sys.stderr)
    socks = [sock] if processes == 1 else _port_group(sock, processes)
    sock = socks[0]
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

        copy = fork_first_copy(worker, load_copy, config, str(config.build_dir), closing=tuple(socks))
    book = fronts = None
    if processes > 1:
        # The other serving processes, forked now (one thread, before the event loop), each on its socket
        # of the port's group; the connection caps in memory they all share. See web/fronts.py.
        book = SharedConnections(processes)
        fronts = _start_fronts(config, limits, socks, book, processes, copy)
    server = _uvicorn_server(create_app(config, copy=copy, fronts=fronts, processes=processes), limits, book,
                             host, port)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # Ctrl-C: uvicorn stopped serving, then raised it again; a stop, not a failure
        pass
    finally:
        if fronts is not None:
            fronts.stop()
    if fronts is not None and fronts.failed:
        raise ServeError(fronts.failed)


def _uvicorn_server(app, limits, book, host: str = "127.0.0.1", port: int = 8000):
    """The uvicorn server running ``app`` behind the connection guard (``limits``, counted in ``book`` when
    several processes serve)."""
    import uvicorn

    from .httpguard import guarded_protocol, one_framing

    # uvloop's event loop and transports are in C: with httptools' parser (the guarded protocol's
    # default), a request costs the server process about half the CPU of asyncio's and h11's (issue 23).
    try:
        import uvloop  # noqa: F401

        loop = "uvloop"
    except ImportError:  # not on this platform (Windows): asyncio's own loop
        loop = "asyncio"
    return uvicorn.Server(uvicorn.Config(one_framing(app), host=host, port=port, log_level="warning",
                                         http=guarded_protocol(limits, book=book), backlog=limits.backlog, loop=loop,
                                         # A client's X-Forwarded-For/-Proto are its own words: trusted, a local
                                         # program could pass for many clients in the fair queue, or forge the
                                         # origin the review page's writes are checked against.
                                         proxy_headers=False))


def _port_group(sock: socket.socket, processes: int) -> list[socket.socket]:
    """``processes`` sockets bound to ``sock``'s address with ``SO_REUSEPORT``, in place of ``sock``
    (closed): the kernel spreads new connections over them by a hash of their addresses. One socket
    shared by every process would not: each connection goes to whichever process wakes first, and an
    idle one takes a whole burst (9 of 10 connections in one process, measured). ``sock``, bound
    without the option, told already that the port was free; the group is bound the moment after.
    Only sockets of this user with the option set can join the group (Linux)."""
    family = sock.family
    address = sock.getsockname()
    sock.close()
    group: list[socket.socket] = []
    try:
        for _ in range(processes):
            one = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # TCP: see bind_socket
            group.append(one)
            one.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            one.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            one.bind(address)
    except OSError as exc:
        for one in group:
            one.close()
        raise ServeError(f"port {address[1]} on {address[0]} cannot be shared by {processes} serving processes "
                         f"({exc.strerror or exc}); try --http-processes 1") from None
    return group


def _start_fronts(config: ServerConfig, limits, socks: list[socket.socket], book, processes: int, copy):
    """Fork serving processes 1 .. ``processes - 1``, each on its socket of ``socks`` (this process is
    number 0, on the first); the :class:`.fronts.Fronts` that links them to this process's pool and
    replaces them when killed (on the same socket, held open here meanwhile: the connections the kernel
    sends it wait in its backlog)."""
    from multiprocessing.connection import Connection

    from .fronts import Front, Fronts

    started: list[Front] = []
    for number in range(1, processes):
        mine, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:  # the child: a serving process, its queued queries sent to this one's pool
            code = 1
            try:
                mine.close()
                for other in started:
                    other.conn.close()
                for n, other_sock in enumerate(socks):
                    if n != number:
                        other_sock.close()
                if copy is not None:  # the copy's process ends when the first process lets it go
                    copy.conn.close()
                _front_main(number, Connection(theirs.detach()), socks[number], config, limits, book, processes)
                code = 0
            except BaseException:
                import traceback

                traceback.print_exc()
            finally:
                os._exit(code)
        theirs.close()
        started.append(Front(number, Connection(mine.detach()), pid))
    return Fronts(started, lambda n: _spawn_front(n, config, limits, socks[n], book, processes), book.clear)


def _spawn_front(number: int, config: ServerConfig, limits, sock: socket.socket, book, processes: int):
    """A serving process started in a fresh interpreter (the server has threads by now: no fork) in
    place of number ``number``, which was killed."""
    import subprocess
    from multiprocessing.connection import Connection

    from .fronts import Front

    mine, theirs = socket.socketpair()
    proc = subprocess.Popen(
        [sys.executable, *subprocess._args_from_interpreter_flags(),  # type: ignore[attr-defined]
         "-c", "import sys; from collabgraph.web.server import _front_boot; _front_boot(int(sys.argv[1]))",
         str(theirs.fileno())], pass_fds=(theirs.fileno(), sock.fileno(), book.fd), stdin=subprocess.DEVNULL)
    theirs.close()
    conn = Connection(mine.detach())
    conn.send(list(sys.path))  # first, alone: what the next message's classes import from
    conn.send((number, sock.fileno(), book.fd, book.key, processes, config, limits))
    return Front(number, conn, proc.pid, proc)


def _front_boot(fd: int) -> None:
    """The entry of a serving process started by :func:`_spawn_front`; its connection is ``fd``."""
    from multiprocessing.connection import Connection

    from .httpguard import SharedConnections

    conn = Connection(fd)
    try:
        sys.path[:] = conn.recv()
        number, sock_fd, book_fd, key, processes, config, limits = conn.recv()
    except EOFError:
        return
    sock = socket.socket(fileno=sock_fd)
    _front_main(number, conn, sock, config, limits, SharedConnections(processes, fd=book_fd, key=key), processes)


def _front_main(number: int, conn, sock: socket.socket, config: ServerConfig, limits, book, processes: int) -> None:
    """Serve on ``sock`` as process ``number``, the queued queries sent to the first process over ``conn``.
    Returns when the server stops, Ctrl-C included (uvicorn stops serving, then raises it again: a
    stop, not a failure), whether the process was forked or started afresh."""
    book.use_row(number)
    try:
        _uvicorn_server(create_app(config, link=conn, processes=processes), limits, book).run(sockets=[sock])
    except KeyboardInterrupt:
        pass

