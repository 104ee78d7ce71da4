"""Cheap read queries answered in the server process itself (issue 23).

A query sent to a worker process pays for the hop (the queue, a thread
handoff, pickling both ways, a pipe): about 0.4 ms of CPU, more than a point
lookup costs the engine. So the queries that have shown themselves cheap are
answered here, on a few threads over one read-only handle on the build,
opened once (the engine releases the GIL while it evaluates and serialises,
so the event loop keeps serving meanwhile). Everything else goes to the workers
as before, where a runaway query has its process killed at the time limit.

Which queries are cheap: a thread cannot be killed, so only queries that
cannot run away come here. A query is *eligible* when its text is short,
it is a SELECT, ASK or CONSTRUCT with no sub-query, aggregate, ORDER BY,
property path (``*``, ``+``, ``?``, ``/``, ``^``, ``|``), SERVICE, FROM or
dataset parameters; it is *proven* when queries of its *shape* (its text
with the IRIs of subjects and objects, literals and numbers replaced by a
placeholder, so the same question about another agent has the same shape)
have run :data:`PROVEN_RUNS` times with a moving average under
:data:`CHEAP_SECONDS`. A run past :data:`STUCK_SECONDS` sends its shape back
to the workers for many runs. A run here still stops at the time limit while
it writes rows, and at the row and byte caps; one that is stuck before its
first row keeps a thread busy until it ends, and once every thread is stuck
the requests go to the workers. See docs/decisions/server-and-security.md.
"""

from __future__ import annotations

import asyncio
import collections
import functools
import queue
import threading
import time
from typing import Any, Callable

from ..core.sparqltext import tokens
from .querypool import current_generation

__all__ = ["FastPath", "eligible", "shape_of"]

#: Runs of a shape on the workers before it may be answered in the server process.
PROVEN_RUNS = 3
#: Seconds a proven shape's runs may take (on the workers and here), at most.
CHEAP_SECONDS = 0.05
#: Characters of the longest query answered here.
MAX_TEXT = 4000
#: Seconds a thread may spend on one query before the requests behind it go to the workers instead.
STUCK_SECONDS = 0.25
#: Requests waiting for a thread here at most (past it they go to the workers' queue).
MAX_WAITING = 64
#: Seconds a thread holds the GIL while another waits for it (the server process's setting).
SWITCH_INTERVAL = 0.0005
#: Shapes remembered (least recently seen forgotten first).
MAX_SHAPES = 10_000

_BANNED_WORDS = {"group", "order", "having", "count", "sum", "avg", "min", "max", "sample", "group_concat",
                 "service", "from", "describe", "load", "exists", "minus"}
_PATH_OPERATORS = {"*", "+", "?", "/", "^", "|"}


def shape_of(text: str) -> str | None:
    """The shape of a query: its tokens with the IRIs in subject and object
    position, literals and numbers replaced by ``_`` (predicates, prefixed
    names and declarations stay as they are: they decide what a query costs);
    ``None`` when the query is not eligible for the server process (see the
    module's notes).

    >>> shape_of("SELECT ?p ?o WHERE { <http://x/a> ?p ?o }") == shape_of("SELECT ?p ?o WHERE { <http://x/b> ?p ?o }")
    True
    >>> shape_of("SELECT ?s WHERE { ?s <http://x/p> 1 }") == shape_of("SELECT ?s WHERE { ?s <http://x/q> 1 }")
    False
    >>> shape_of("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") is None
    True
    >>> shape_of("SELECT ?b WHERE { <http://x/a> <http://x/knows>+ ?b }") is None
    True
    """
    # Checked before the cache, so that it never holds a long text.
    return None if len(text) > MAX_TEXT else _shape_of(text)


@functools.lru_cache(maxsize=4096)  # tokenising costs ~0.3 ms: a repeated query is not tokenised again
def _shape_of(text: str) -> str | None:
    # SERVICE never runs in the server process (it has the network; the workers do not), however
    # written: the engine reads \u escapes anywhere in a query, so a text with one is not eligible.
    if "service" in text.lower() or "\\u" in text.lower():
        return None
    every = [t for t in tokens(text) if t[0] not in ("ws", "comment")]
    out: list[str] = []
    forms, depth, position = 0, 0, 0  # position in a triple pattern: subject 0, predicate 1, object 2
    for n, (kind, tok, offset) in enumerate(every):
        low = tok.lower()
        if kind == "word":
            if low in _BANNED_WORDS:
                return None
            if low in ("select", "ask", "construct"):
                forms += 1
                if forms > 1:  # a sub-query: its cost is not its shape's
                    return None
            if low == "a" and depth == 0:
                position += 1
            out.append(low)
            continue
        declared = out[-1:] == ["base"] or (out[-1:] == ["prefix"] if kind == "pname" else out[-2:-1] == ["prefix"])
        if kind in ("iri", "pname") and (depth > 0 or position != 1) and not declared:
            out.append("_")  # a subject or object: which one does not change the plan
        elif kind == "pname":  # the whole prefixed name (the token holds its prefix only)
            out.append((text[offset:every[n + 1][2]] if n + 1 < len(every) else text[offset:]).rstrip())
        elif kind in ("string", "number"):
            out.append("_")
        elif kind == "other" and tok in _PATH_OPERATORS and not (tok == "*" and out[-1:] and
                                                                 out[-1] in ("select", "distinct", "reduced")):
            return None
        elif kind == "other" and tok == "[":  # blank-node property lists: positions would be guesses
            return None
        else:
            out.append(tok)
        if kind == "other":
            if tok == "(":
                depth += 1
            elif tok == ")":
                depth = max(0, depth - 1)
            elif tok in ("{", "}", "."):
                position = 0
            elif tok == ";":
                position = 1
            elif tok == ",":
                position = 2
        elif depth == 0 and kind in ("var", "iri", "pname", "string", "number", "bnode"):
            position += 1
    if not forms:
        return None
    return " ".join(out)


def eligible(text: str) -> bool:
    """Whether ``text`` may ever be answered in the server process."""
    return shape_of(text) is not None


class FastPath:
    """``threads`` threads answering proven-cheap queries over one read-only
    handle on the current build generation (reopened when a rebuild switches it).

    ``answer(kg, message, deadline)`` computes the reply tuple, as a worker does.
    """

    def __init__(self, build_dir: str, open_graph: Callable[[str], Any],
                 answer: Callable[[Any, tuple, float], tuple], *, threads: int = 2,
                 per_client: int = MAX_WAITING // 4):
        self.build_dir, self.open_graph, self.answer = build_dir, open_graph, answer
        #: Requests of one client waiting here at most (a share of the server's when several processes serve).
        self.per_client = per_client
        #: With several serving processes: ``tell(shape, seconds)`` passes a run to the others (see :meth:`record`).
        self.tell: Callable[[str, float], None] | None = None
        self.lock = threading.Lock()
        self.shapes: collections.OrderedDict[str, list] = collections.OrderedDict()  # shape -> [runs, average]
        self.generation = current_generation(build_dir)
        self.kg = open_graph(self.generation[0]) if self.generation else None
        self.waiting = 0  # requests taken and not yet answered
        self.mine: collections.Counter[str] = collections.Counter()  # the same, by client
        self.busy: dict[int, float] = {}  # thread number -> when its query started
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        from ..store.local import engine_stack_size

        # A thread coming back from the engine waits for the GIL until the event loop's thread lets it
        # go: at most the switch interval, 5 ms by default, longer than a lookup takes. 0.5 ms, as the
        # engine answers a lookup in about that.
        import sys

        sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL))
        old = threading.stack_size()
        threading.stack_size(engine_stack_size())  # the engine recurses: as big a stack as on_big_stack gives
        try:
            self.threads = [threading.Thread(target=self._loop, args=(i,), daemon=True, name=f"fastpath-{i}")
                            for i in range(threads)]
            for t in self.threads:
                t.start()
        finally:
            threading.stack_size(old)

    # -- which queries ---------------------------------------------------------------
    def proven(self, shape: str | None) -> bool:
        if shape is None:
            return False
        with self.lock:
            seen = self.shapes.get(shape)
            return seen is not None and seen[0] >= PROVEN_RUNS and seen[1] <= CHEAP_SECONDS

    def record(self, shape: str | None, seconds: float, *, tell: bool | None = None) -> None:
        """Count one run of ``shape`` that took ``seconds`` (here or on a worker): a shape is
        proven while the moving average of its runs' seconds stays under :data:`CHEAP_SECONDS`.
        With several serving processes, a run on a worker (``tell``) or one here that stuck is
        told to the others, so that a shape is proven, or sent back to the workers, in all of them
        (``tell=False``: a run another process told of, not told again)."""
        if shape is None:
            return
        if self.tell is not None and (tell or (tell is None and seconds > STUCK_SECONDS)):
            self.tell(shape, seconds)
        with self.lock:
            seen = self.shapes.pop(shape, None)
            if seen is None:
                seen = [0, seconds]
            # A moving average (a busy machine's one slow run does not ban a shape for good), but a
            # run past STUCK_SECONDS counts as the whole time limit would: the shape stays out long.
            seen[0] += 1
            seen[1] = 0.7 * seen[1] + 0.3 * (seconds if seconds <= STUCK_SECONDS else 1000 * CHEAP_SECONDS)
            self.shapes[shape] = seen
            if len(self.shapes) > MAX_SHAPES:
                self.shapes.popitem(last=False)

    # -- answering -------------------------------------------------------------------
    def try_take(self, client: str) -> bool:
        """Whether a request of ``client`` may wait for a thread here: False when
        every thread has been on one query for over :data:`STUCK_SECONDS` (a query
        that turned out slow), when too many wait already, or when a quarter of
        those are this client's, ``per_client`` (a flood from one client goes to the fair queue)."""
        now = time.monotonic()
        with self.lock:
            if self.kg is None or self.waiting >= MAX_WAITING or self.mine[client] >= self.per_client:
                return False
            if sum(1 for since in self.busy.values() if now - since > STUCK_SECONDS) >= len(self.threads):
                return False
            self.waiting += 1
            self.mine[client] += 1
            return True

    async def run(self, client: str, message: tuple, deadline: float) -> tuple[tuple, float]:
        """The reply to ``message`` and the seconds it took, once :meth:`try_take` said yes."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.jobs.put((message, deadline, loop, future))
        try:
            return await future
        finally:
            with self.lock:
                self.mine[client] -= 1
                if not self.mine[client]:
                    del self.mine[client]

    def _loop(self, number: int) -> None:
        while True:
            item = self.jobs.get()
            if item is None:
                return
            message, deadline, loop, future = item
            started = time.monotonic()
            with self.lock:
                self.busy[number] = started
            try:
                # Waited its whole time limit behind slow queries: answered as the queue answers that.
                reply: tuple = ("waited",) if started >= deadline else self.answer(self._current(), message, deadline)
            except BaseException as exc:  # never lose a request: answered as a worker would
                reply = ("error", "WorkerError", f"the query failed ({type(exc).__name__})", 500)
            took = time.monotonic() - started
            with self.lock:
                del self.busy[number]
                self.waiting -= 1
            loop.call_soon_threadsafe(_settle, future, (reply, took))

    def _current(self) -> Any:
        """The handle on the generation to answer from now (reopened after a rebuild)."""
        generation = current_generation(self.build_dir)
        with self.lock:
            if generation is None or generation == self.generation:
                return self.kg
        kg = self.open_graph(generation[0])
        with self.lock:
            old, self.kg, self.generation = self.kg, kg, generation
        # The old handle is dropped when the queries still on it finish (pyoxigraph keeps it alive).
        del old
        return kg

    def close(self) -> None:
        for _ in self.threads:
            self.jobs.put(None)


def _settle(future: asyncio.Future, value: Any) -> None:
    if not future.done():
        future.set_result(value)
