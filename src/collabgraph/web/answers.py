"""Answering one request in a worker process: the worker's loop over its
own handle on a build generation, the checks a query passes before it runs
(its shape, the requests it would send), and the answer's bytes within the
caps of rows and result size.
"""

from __future__ import annotations

import functools
import time
from pathlib import Path

from ..core.layout import STORE_DIR, WRITTEN_BY_SERVER
from ..core.errors import OutgoingFailed, ResultTooLarge, ServeError, UpdateFailed, http_status
from .context import ServerConfig
from .protocol import MEDIA, service_description

__all__ = ["worker", "load_copy", "refusal_of", "answer_here", "TimeLimit"]


class TimeLimit(Exception):
    """A query answered in the server process passed its deadline while it wrote rows."""


def ignore_ctrl_c() -> None:
    """In a process the server starts (a query worker, the copy of ``--memory``): Ctrl-C
    in a terminal reaches the whole process group, and the server stops these processes
    itself when it stops, so they let it pass instead of each printing a traceback."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def worker(conn, config: ServerConfig, generation: str | None, kg=None) -> None:
    """Runs in a child process: opens its own handle on one build generation
    (the directory ``generation``) and answers requests ``(kind, text,
    result_format, graph_format)`` until told to stop. ``kg``: the in-memory
    copy of ``serve --memory``, loaded by :func:`load_copy` in the process this
    one was forked from and shared with it (its memory limit leaves that copy out)."""
    from ..api import CollabGraph

    ignore_ctrl_c()
    if config.max_memory:  # Oxigraph's allocations past it abort this process, never the server
        import resource

        limit = (config.max_memory << 20) + (_data_size() if kg is not None else 0)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
    shared = kg is not None
    if kg is None:
        kg = CollabGraph.connect(config.endpoint) if config.endpoint else None
    opened_local = not config.endpoint
    if kg is None:
        if config.writable:
            from ..build.pipeline import current_build, load_manifest
            from ..store.local import Store

            from ..store.generations import pin

            build = Path(generation) if generation else current_build(_build_dir(config))
            held = pin(build)  # noqa: F841 -- kept for the worker's life: no build removes this generation
            kg = CollabGraph(Store.open(build / STORE_DIR, read_only=False), manifest=load_manifest(build))
        else:
            kg = CollabGraph.open(generation or _build_dir(config), memory=config.memory)
    kg.store.allow_service, kg.store.allow_load = tuple(config.allow_service), tuple(config.allow_load)
    if opened_local and not shared and not config.allow_service and not config.allow_load:
        # No request is allowed: take the network away, so that none can be
        # sent whatever a query says and however the engine reads it.
        # (A copy shared from load_copy's process: taken away there already.)
        from ..core.sandbox import forbid_network

        forbid_network()
    budget = _recycle_budget(config.worker_own_memory << 20) if shared else 0
    conn.send(("ready",))
    checked = 0
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        started = time.monotonic()
        try:
            reply: tuple = ("ok", *_answer(kg, config, *message, generation=generation))
        except Exception as exc:  # reported to the client as an HTTP error, in one line
            reply = ("error", type(exc).__name__, " ".join(str(exc).split())[:1000], http_status(exc))
        checked += 1
        # A shared copy stays shared only where this process does not write: the engine's reads
        # write reference counts on every quad they visit, so each page a query reads becomes
        # this process's own. Past a budget the worker says so before its reply and stops after
        # it; the pool forks a fresh one (milliseconds, nothing reloaded). Looked at after slow
        # queries (they read much) and every 64th (smaps_rollup costs ~1 ms on a big process).
        retire = False
        if budget and (time.monotonic() - started > 0.02 or checked >= 64):
            checked = 0
            retire = _private_bytes() > budget
        if retire:
            conn.send(("retire",))
        conn.send(reply)
        if retire:
            return


def load_copy(config: ServerConfig, generation: str | None):
    """The in-memory copy of ``serve --memory`` for workers forked from the
    calling process (see :class:`collabgraph.web.querypool.QueryPool`): loaded
    once, the network taken away when no request is allowed."""
    from ..api import CollabGraph

    kg = CollabGraph.open(generation or _build_dir(config), memory=True)
    if not config.allow_service and not config.allow_load:
        from ..core.sandbox import forbid_network

        forbid_network()
    return kg


#: A forked worker's own memory (pages of the shared copy it has written, what its queries hold) at
#: most: this fraction of the copy, and not less than RECYCLE_MIN bytes; past it the worker is replaced.
RECYCLE_FRACTION = 1 / 16
RECYCLE_MIN = 16 << 20


def _rollup() -> dict[str, int]:
    """This process's ``/proc/self/smaps_rollup``, in bytes."""
    out = {}
    with open("/proc/self/smaps_rollup", encoding="ascii") as lines:
        for line in lines:
            parts = line.split()
            if len(parts) == 3 and parts[2] == "kB":
                out[parts[0].rstrip(":")] = int(parts[1]) << 10
    return out


def _private_bytes() -> int:
    roll = _rollup()
    return roll.get("Private_Dirty", 0) + roll.get("Private_Clean", 0)


def _recycle_budget(given: int = 0) -> int:
    """The bytes of its own a worker forked from a shared copy may hold: ``given``, or else
    :data:`RECYCLE_FRACTION` of the copy; counted from what it holds now. 0 where unknown."""
    try:
        roll = _rollup()
        own = roll.get("Private_Dirty", 0) + roll.get("Private_Clean", 0)
        return (given or max(RECYCLE_MIN, int(roll.get("Rss", 0) * RECYCLE_FRACTION))) + own
    except OSError:  # not Linux: never recycled
        return 0


def _data_size() -> int:
    """This process's data segment now (``VmData``), in bytes: what RLIMIT_DATA counts."""
    try:
        with open("/proc/self/status", encoding="ascii") as lines:
            for line in lines:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) << 10
    except OSError:
        pass
    return 0


def refusal_of(config: ServerConfig, kind: str, text: str) -> tuple[int, str] | None:
    """See :func:`_refusal_of`; the answer for a short query text seen lately is remembered."""
    # Only short texts are remembered: 4,096 texts of --max-query characters would hold ~400 MB.
    return _remembered_refusal(config, kind, text) if len(text) <= 4000 else _refusal_of(config, kind, text)


@functools.lru_cache(maxsize=4096)  # the config is frozen: the same text always gets the same answer
def _remembered_refusal(config: ServerConfig, kind: str, text: str) -> tuple[int, str] | None:
    return _refusal_of(config, kind, text)


def _refusal_of(config: ServerConfig, kind: str, text: str) -> tuple[int, str] | None:
    """``(status, message)`` for a query refused before it is queued: one the
    engine would crash on (400), or one that would send a request not allowed
    (403). The workers check again (and run without network when nothing is allowed)."""
    from ..core.errors import QueryTooComplex
    from ..core.namespaces import PREFIXES
    from ..core.sparqlguard import OutgoingRefused, check_outgoing
    from ..store.local import check_shape

    try:
        check_shape(text)
        check_outgoing(text, update=kind == "update", allow_service=config.allow_service,
                       allow_load=config.allow_load, prefixes=PREFIXES)
    except (QueryTooComplex, OutgoingRefused) as exc:
        return exc.http_status, str(exc)
    return None


def answer_here(kg, config: ServerConfig, message: tuple, deadline: float) -> tuple:
    """The reply a worker would send for ``message``, computed in the server
    process (:mod:`collabgraph.web.fastpath`); ``("timeout",)`` past ``deadline``."""
    try:
        return ("ok", *_answer(kg, config, *message, deadline=deadline))
    except TimeLimit:
        return ("timeout",)
    except Exception as exc:  # as the worker reports it
        return ("error", type(exc).__name__, " ".join(str(exc).split())[:1000], http_status(exc))


def _answer(kg, config: ServerConfig, kind: str, text: str, result_format: str | None,
            graph_format: str | None, dataset: dict | None = None, *,
            generation: str | None = None, deadline: float | None = None) -> tuple[int, str, bytes]:
    from ..core.namespaces import PREFIXES
    from ..core.sparqlguard import check_outgoing
    from ..store.local import check_shape, on_big_stack

    check_shape(text)
    # In the server process (a deadline: the fast path) only texts without "service" come here, and its
    # store allows no request and checks again: the list of requests sent is empty, not worth ~70 µs.
    sends = check_outgoing(text, update=kind == "update", allow_service=config.allow_service,
                           allow_load=config.allow_load, prefixes=PREFIXES) \
        if kind in ("query", "update") and deadline is None else []
    try:
        # A large stack: a query the shape check missed still cannot crash the worker.
        run = lambda: _run(kg, config, kind, text, result_format, graph_format, generation,  # noqa: E731
                           dataset or {}, deadline)
        # On the server's own big-stack threads (fastpath) no other thread is needed.
        return run() if deadline is not None else on_big_stack(run)
    except (ResultTooLarge, SyntaxError, TimeLimit):
        raise
    except Exception as exc:
        if not sends:
            raise
        # The engine's message may quote what the remote end answered: never pass it on.
        what = ", ".join(f"{k} <{iri}>" for k, iri in sends)
        raise OutgoingFailed(f"a request this query made failed ({what}); nothing it returned is shown") from exc


def _run(kg, config: ServerConfig, kind: str, text: str, result_format: str | None,
         graph_format: str | None, generation: str | None, dataset: dict,
         deadline: float | None = None) -> tuple[int, str, bytes]:
    """Answer one request. ``dataset`` holds ``base`` (the endpoint's URL,
    for relative IRIs) and the protocol's ``graphs``/``named`` (queries) or an
    update already given its ``using-graph-uri`` clauses."""
    import pyoxigraph as ox

    from ..core.formats import RDF_FORMATS, RESULT_FORMATS

    if kind == "update":
        if generation is not None:
            marker = Path(generation) / WRITTEN_BY_SERVER
            if not marker.exists():  # before the first update lands: no rebuild may reuse this store
                marker.write_text("this build was changed by 'collabgraph serve --writable'\n", "utf-8")
        try:
            kg.store.update_dataset(text, base_iri=dataset.get("base"))
        except (RuntimeError, ValueError, OSError) as exc:  # the engine refused to run it (DROP of a missing graph, ...)
            raise UpdateFailed(f"the update was not applied: {' '.join(str(exc).split())[:500]}") from exc
        return 204, "text/plain", b""
    if kind == "service":
        if graph_format is None:
            return 406, "text/plain", b"a service description is Turtle, N-Triples, JSON-LD or RDF/XML"
        sd = service_description(dataset["base"], kg.store.graphs(), writable=config.writable)
        return 200, MEDIA[graph_format], _bytes(ox.serialize(ox.parse(sd, format=ox.RdfFormat.TURTLE),
                                                             format=RDF_FORMATS[graph_format].ox))
    if kind == "graph":  # Graph Store Protocol read: one named graph, or the default graph (the union)
        return _graph_get(kg, text, graph_format)
    if kind in ("PUT", "POST", "DELETE"):
        return _graph_write(kg, kind, text, dataset)
    result = kg.store.query(text, graphs=dataset.get("graphs"), named=dataset.get("named"),
                            base_iri=dataset.get("base"))
    if isinstance(result, ox.QueryBoolean):
        fmt = result_format or "json"
        return 200, MEDIA[fmt], _bytes(result.serialize(format=RESULT_FORMATS[fmt]))
    if isinstance(result, (ox.QueryTriples, list)):
        if graph_format is None:
            return 406, "text/plain", b"CONSTRUCT/DESCRIBE results are Turtle, N-Triples, JSON-LD or RDF/XML"
        triples = _capped(result, config, "triples", deadline=deadline)
        if graph_format == "jsonld" and any(isinstance(t, ox.Triple) for q in triples for t in (q.subject, q.object)):
            return 406, "text/plain", (b"the result holds triple terms (RDF 1.2), which JSON-LD cannot; ask for "
                                       b"Turtle, N-Triples or RDF/XML")
        from ..core.namespaces import PREFIXES

        prefixes = PREFIXES if graph_format in ("turtle", "rdfxml") else None
        return 200, MEDIA[graph_format], _bytes(ox.serialize(triples, format=RDF_FORMATS[graph_format].ox,
                                                             prefixes=prefixes))
    if result_format is None:
        return 406, "text/plain", b"SELECT results are SPARQL JSON, XML, CSV or TSV"
    data = _capped_tsv(result, config, deadline)
    if result_format == "tsv":
        return 200, MEDIA["tsv"], data
    parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.TSV)
    return 200, MEDIA[result_format], _bytes(parsed.serialize(format=RESULT_FORMATS[result_format]))


def _bytes(data: bytes | None) -> bytes:
    """What the engine's ``serialize`` returns when given no output: bytes (typed ``bytes | None``)."""
    return data if data is not None else b""


def _build_dir(config: ServerConfig) -> str:
    """The build directory a worker serves (there is one whenever there is no endpoint)."""
    if config.build_dir is None:
        raise ServeError("no build directory to serve: give --build DIR or --endpoint URL")
    return config.build_dir


def _graph_get(kg, graph: str, graph_format: str | None) -> tuple[int, str, bytes]:
    """A Graph Store HTTP Protocol GET: ``graph`` an IRI, or ``""`` for the default graph."""
    import io

    if graph_format is None:
        return 406, "text/plain", b"graphs are Turtle, N-Triples, JSON-LD or RDF/XML"
    if graph and graph not in kg.store.graphs():
        return 404, "text/plain", f"no graph <{graph}> in this store".encode()
    out = io.BytesIO()
    kg.store.dump(out, graph_format, graph=graph or None)
    return 200, MEDIA[graph_format], out.getvalue()


def _graph_write(kg, method: str, graph: str, dataset: dict) -> tuple[int, str, bytes]:
    """A Graph Store HTTP Protocol write on the named graph ``graph``: PUT
    replaces it, POST adds to it, DELETE drops it."""
    exists = graph in kg.store.graphs()
    if method == "DELETE":
        if not exists:
            return 404, "text/plain", f"no graph <{graph}> in this store".encode()
        kg.store.remove_graph(graph)
        return 204, "text/plain", b""
    if method == "PUT":
        kg.store.clear_graph(graph)
    try:
        kg.store.load_data(dataset["data"], dataset["format"], graph=graph)
    except Exception as exc:
        raise UpdateFailed(f"the graph was not stored: {' '.join(str(exc).split())[:500]}") from exc
    return (204 if exists else 201), "text/plain", b""


def _capped(items, config: ServerConfig, what: str, variables: list[str] | None = None, *,
            deadline: float | None = None) -> list:
    """The rows (or triples) of a result, refused past ``max_rows`` of them or
    past ``max_result_bytes`` of term text, counted as they come."""
    out, size = [], 0
    for item in items:
        out.append(item)
        if deadline is not None and not len(out) % 256 and time.monotonic() > deadline:
            raise TimeLimit()
        if len(out) > config.max_rows:
            raise ResultTooLarge(f"the result has more than {config.max_rows} {what}; add a LIMIT, or raise --max-rows")
        terms = (item[v] for v in variables) if variables is not None else (item.subject, item.predicate, item.object)
        size += sum(len(t.value if hasattr(t, "value") else str(t)) + 16 for t in terms if t is not None)
        if size > config.max_result_bytes:
            raise ResultTooLarge(f"the result is larger than {config.max_result_bytes} bytes; "
                                 "add a LIMIT, or raise --max-result-bytes")
    return out


class _CappedWriter:
    """Where the engine writes a SELECT result as TSV: one line a row (the
    format escapes line breaks in terms), so rows and bytes are counted as
    they come and the engine is stopped past ``max_rows`` or ``max_result_bytes``."""

    def __init__(self, config: ServerConfig, deadline: float | None = None):
        self.config, self.lines, self.size, self.deadline = config, 0, 0, deadline
        self.chunks: list[bytes] = []
        self.refused: str | None = None

    def write(self, chunk) -> int:
        self.chunks.append(bytes(chunk))
        self.lines += chunk.count(b"\n")
        self.size += len(chunk)
        if self.lines > self.config.max_rows + 1:  # the header is a line too
            self.refused = (f"the result has more than {self.config.max_rows} rows; add a LIMIT, "
                            "or raise --max-rows")
        elif self.size > self.config.max_result_bytes:
            self.refused = (f"the result is larger than {self.config.max_result_bytes} bytes; "
                            "add a LIMIT, or raise --max-result-bytes")
        if self.refused:
            raise OSError(self.refused)  # stops the engine's writer; read back from .refused
        if self.deadline is not None and time.monotonic() > self.deadline:
            self.refused = "time"
            raise OSError("the time limit passed")
        return len(chunk)

    def flush(self) -> None:
        pass


def _capped_tsv(result, config: ServerConfig, deadline: float | None = None) -> bytes:
    """A SELECT result serialised by the engine (not term by term in Python:
    ~5x faster, and the same results), within the caps.

    :raises ResultTooLarge: past ``max_rows`` rows or ``max_result_bytes`` bytes of TSV.
    """
    import pyoxigraph as ox

    writer = _CappedWriter(config, deadline)
    try:
        result.serialize(writer, format=ox.QueryResultsFormat.TSV)
    except OSError:
        if writer.refused == "time":
            raise TimeLimit() from None
        if writer.refused:
            raise ResultTooLarge(writer.refused) from None
        raise
    return b"".join(writer.chunks)

