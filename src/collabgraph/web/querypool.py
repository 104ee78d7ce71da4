"""The server's query workers and the queue in front of them.

Each worker is a process with its own handle on one build generation (see
:func:`current_generation`); a query that runs past its deadline has its
worker killed and replaced, since Oxigraph cannot cancel a query. In front of
the workers, one queue decides who runs next:

- **Deadlines cover the wait.** A request's deadline is its arrival plus the
  time limit; one that is still queued at its deadline is answered 503 with
  ``Retry-After`` without running, and a running one is stopped at it.
- **Bounded queue.** Past ``max_queue`` waiting requests a request is
  refused at once, 503 with ``Retry-After``; once the queue is half full, a
  client already holding a quarter of it is refused the same way with 429.
- **Fair turns.** A client (an IP address) runs at most ``per_client``
  queries at once (``serve`` sets it below the number of workers when the
  server is open to a network), and a free worker takes the next request of
  the client that has used the least worker time lately (running queries
  included; it decays with a half-life of a minute), less the time its
  request has waited (so no request starves behind a crowd). Clients whose queries
  take long are *heavy*: their recent queries took over a quarter of the
  time limit on average (a moving average over their last few queries, so a
  client asking many short questions stays light however many it asks), or
  one of theirs has been running that long. Heavy clients, when other
  clients asked lately too, share half the workers while a light client's
  request waits, so clients asking short questions always have the rest;
  when none waits, heavy clients take every free worker (no worker idles
  while heavy queries wait; a light newcomer then gets the spare worker).
- **A spare worker** takes short-question clients' requests while every
  regular worker has been busy for over a second: runaways from clients not
  yet known as heavy cannot stop everyone either. It is for short questions
  only: a query still running on it after ``heavy_seconds`` has its worker
  replaced and goes back to the queue (its deadline unchanged) for a regular
  worker, its client now heavy, so a runaway that arrived looking light holds
  the spare for seconds, not the whole time limit. With ``--memory`` it is
  forked from the copy when it first takes a query (milliseconds) and goes
  after ``SPARE_IDLE`` seconds without one.
- **Crashes cost a worker, not a wait.** A worker that dies under a query
  (its memory limit, ``serve --max-memory``) is replaced by a standby
  worker started ahead of time (with ``--memory``, by a fork of the copy,
  as quick), so its slot is back at once; the client
  whose query killed it is charged the whole time limit (heavy at once).
- **A worker killed from outside is not the query's fault.** A worker that
  an operator or the kernel killed (SIGKILL or SIGTERM, not sent by the
  pool) while it held a query, or just before it was handed one, has that
  query run once more on a fresh worker, its client not charged; a second
  such death answers "the query worker stopped under this query".
- **A query that crashes a worker is not run again.** A worker killed by a
  signal of a crash (SIGSEGV: the engine overflowed its stack) gets its
  query refused (``QueryCrashed``, told to the client as such, not "try
  again"), and the same query is refused at once from then on, never sent to
  a fresh worker.
- **One build per answer.** Before taking a request, a worker checks the
  build generation; if a rebuild switched it, the worker is replaced by one
  on the new generation. A request in flight finishes where it started.
"""

from __future__ import annotations

import collections
import concurrent.futures
import hashlib
import math
import multiprocessing as mp
import os
import signal
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..core.errors import QueryCrashed, Refused, WorkerError
from ..core.layout import MANIFEST
from ..store.generations import current_build

__all__ = ["QueryPool", "Job", "Refused", "current_generation", "fork_first_copy"]

HALF_LIFE = 60.0  # seconds for a client's used worker time to count half
SPARE_IDLE = 10.0  # seconds a spare worker forked from a copy is kept without a query


def current_generation(build_dir: str | Path | None) -> tuple[str, int] | None:
    """The build generation to answer from now, as ``(directory, inode)``:
    ``build_dir/current`` when that exists (builds that keep generations
    side by side and switch a ``current`` link), else ``build_dir`` itself
    (builds swapped in by renaming, where the inode tells one build from the
    next). ``None`` when there is no complete build at this instant (the
    middle of a swap): keep answering from the generation in use.
    """
    if build_dir is None:
        return None
    gen = current_build(build_dir)
    try:
        if not (gen / MANIFEST).is_file():
            return None
        return str(gen), os.stat(gen).st_ino
    except OSError:
        return None




@dataclass(eq=False)
class Job:
    client: str
    message: tuple
    arrived: float
    deadline: float
    future: concurrent.futures.Future = field(default_factory=concurrent.futures.Future)
    started: bool = False
    ran: float = 0.0  # when a worker took it
    lost: bool = False  # its worker was killed from outside once already (see QueryPool._slot)


class _Worker:
    """One worker process on one generation: spawned (a fresh interpreter that
    opens its own handle), or forked from a :class:`_Copy` that holds the data."""

    def __init__(self, target: Callable, config: Any, generation: tuple[str, int] | None,
                 copy: "_Copy | None" = None):
        self.generation = generation
        if copy is not None:
            self.conn, self.process = copy.fork()
        else:
            ctx = mp.get_context("spawn")  # a fresh interpreter: no store handle crosses a fork
            self.conn, child = ctx.Pipe()
            self.process = ctx.Process(target=target,
                                       args=(child, config, generation[0] if generation else None), daemon=True)
            self.process.start()
            child.close()
        if not self.conn.poll(120) or self.conn.recv() != ("ready",):
            self.kill()
            raise RuntimeError("a query worker failed to start")

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.kill()

    def idle_exit(self) -> bool:
        """Whether the worker said it stops (its own memory grew past its budget, see
        :func:`collabgraph.web.answers.worker`) or died while it had no query."""
        try:
            return self.conn.poll(0)
        except OSError:
            return True


class _Copy:
    """A process that loads one generation once (``loader(config, generation)``)
    and forks the workers that answer from it (``target(conn, config, generation,
    loaded)``), so that they share its pages copy-on-write: ``serve --memory``
    holds one in-memory copy, not one per worker, and a worker replaced after a
    crash or a runaway is back in milliseconds, nothing reloaded. It is spawned
    (a fresh interpreter, one thread, nothing of the server's threads or locks)
    and forks from its one thread."""

    def __init__(self, target: Callable, loader: Callable, config: Any, generation: tuple[str, int] | None,
                 *, fork_closing: tuple | None = None):
        """Spawn the copy's process (a fresh interpreter), or with ``fork_closing`` (a tuple of
        sockets and files the child closes, e.g. the listening socket) fork it from the calling
        process, which must have one thread (see :func:`fork_first_copy`)."""
        import socket
        import subprocess
        import sys
        from multiprocessing.connection import Connection

        self.generation = generation
        self.lock = threading.Lock()  # one request to it at a time (fork, reap)
        mine, theirs = socket.socketpair()
        self.conn = Connection(mine.detach())
        where = generation[0] if generation else None
        self.process: Any
        if fork_closing is not None:
            self.process = _ForkedCopy(self.conn, theirs, fork_closing, (target, loader, config, where))
        else:
            # A fresh interpreter, as multiprocessing's spawn would start, but not through it: spawn runs the
            # server's main script again in the child (the CLI and every command's module) and starts a
            # resource tracker process, ~8 MiB held for nothing while the server runs (issue 23, memory).
            self.process = subprocess.Popen(
                [sys.executable, *subprocess._args_from_interpreter_flags(),  # type: ignore[attr-defined]
                 "-c", "import sys; from collabgraph.web.querypool import _copy_boot; _copy_boot(int(sys.argv[1]))",
                 str(theirs.fileno())], pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL)
        theirs.close()
        # Loading takes about 10 s per million triples, more on a busy machine.
        try:
            if fork_closing is None:
                self.conn.send(list(sys.path))  # first, alone: what the next message's functions import from
                self.conn.send((target, loader, config, where))
            ready = self.conn.poll(1800) and self.conn.recv() == ("ready",)
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.process.kill()
            self.process.wait(5)
            self.conn.close()
            raise RuntimeError("the in-memory copy of the build failed to load")

    def fork(self) -> tuple[Any, "_Forked"]:
        """A new worker's connection and process."""
        from multiprocessing.reduction import send_handle

        mine, theirs = mp.Pipe()
        try:
            with self.lock:
                self.conn.send(("fork",))
                send_handle(self.conn, theirs.fileno(), self.process.pid)
                reply = self.conn.recv()
        except (EOFError, OSError) as exc:
            mine.close()
            raise RuntimeError(f"the process holding the in-memory copy is gone ({exc})") from None
        finally:
            theirs.close()
        return mine, _Forked(reply[1], self)

    def reap(self, pid: int) -> int | None:
        """The exit code of a worker forked here once it has stopped (``-N``: signal N)."""
        try:
            with self.lock:
                self.conn.send(("reap", pid))
                return self.conn.recv()[1]
        except (EOFError, OSError):
            return None

    def close(self) -> None:
        """Stop forking; the process ends once the workers forked from it have."""
        try:
            with self.lock:
                self.conn.send(None)
        except OSError:
            pass
        self.conn.close()
        threading.Thread(target=self.process.wait, daemon=True).start()  # reaped once its workers have ended


class _Forked:
    """A worker forked by a :class:`_Copy`, as much of ``multiprocessing.Process``
    as the pool uses; signalled through a pidfd (never another process that took its pid)."""

    def __init__(self, pid: int, copy: _Copy):
        self.pid, self.copy = pid, copy
        self.exitcode: int | None = None
        self.fd: int | None = os.pidfd_open(pid)

    def kill(self) -> None:
        import signal

        if self.fd is not None:
            try:
                signal.pidfd_send_signal(self.fd, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def is_alive(self) -> bool:
        import select

        return self.fd is not None and not select.select([self.fd], [], [], 0)[0]

    def join(self, timeout: float | None = None) -> None:
        import select

        if self.fd is not None and select.select([self.fd], [], [], timeout)[0]:
            os.close(self.fd)
            self.fd = None
            self.exitcode = self.copy.reap(self.pid)


class _ForkedCopy:
    """The process of a :class:`_Copy` forked from the server process (as much of
    ``subprocess.Popen`` as :class:`_Copy` uses). The child shares every page of
    the server's interpreter (its imports) copy-on-write, where a spawned copy
    needs an interpreter of its own (~15 MiB at 100k source triples, issue 23)."""

    def __init__(self, mine, theirs, closing: tuple, job: tuple):
        from multiprocessing.connection import Connection

        pid = os.fork()
        if pid == 0:  # the child: nothing of the server's runs here but this
            code = 1
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # as _copy_boot
                mine.close()
                for held in closing:  # the listening socket: never accepted on, nor kept open, here
                    held.close()
                _copy_main(Connection(theirs.detach()), *job)
                code = 0
            finally:
                os._exit(code)
        self.pid, self.returncode = pid, None
        self.fd: int | None = os.pidfd_open(pid)

    def kill(self) -> None:
        if self.returncode is None and self.fd is not None:
            try:
                signal.pidfd_send_signal(self.fd, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def wait(self, timeout: float | None = None) -> int | None:
        import select

        if self.returncode is None and self.fd is not None and select.select([self.fd], [], [], timeout)[0]:
            self.returncode = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
            os.close(self.fd)
            self.fd = None
        return self.returncode


def fork_first_copy(target: Callable, loader: Callable, config: Any, build_dir: str | Path,
                    closing: tuple = ()) -> "_Copy | None":
    """The copy of the current generation forked from the calling process, for
    :class:`QueryPool`'s ``copy``, or None where that is not safe: a process
    with more than one thread (a fork keeps only the calling one, and locks
    the others held stay held) or without pidfds. Call it before any thread
    starts (``serve`` does, before the event loop); the copies of later
    generations are spawned.

    :raises RuntimeError: when the copy fails to load.
    """
    if threading.active_count() != 1 or not hasattr(os, "pidfd_open"):
        return None
    import gc

    # The collector walks the objects it tracks and writes to their headers: a collection in the server
    # after the fork would make every page it walks the server's own again. Frozen, they stay shared.
    gc.collect()
    gc.freeze()
    return _Copy(target, loader, config, current_generation(build_dir), fork_closing=closing)


def _copy_boot(fd: int) -> None:
    """The entry of a :class:`_Copy`'s process: its connection is ``fd``; the
    server sends its ``sys.path``, then what :func:`_copy_main` takes."""
    import sys
    from multiprocessing.connection import Connection

    # Ctrl-C reaches the whole process group: the server stops its workers and this process itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    conn = Connection(fd)
    try:
        sys.path[:] = conn.recv()
        target, loader, config, generation = conn.recv()
    except EOFError:
        return
    _copy_main(conn, target, loader, config, generation)


def _copy_main(conn, target: Callable, loader: Callable, config: Any, generation: str | None) -> None:
    """The main function of a :class:`_Copy`'s process."""
    import gc
    from multiprocessing.connection import Connection
    from multiprocessing.reduction import recv_handle

    from .answers import ignore_ctrl_c

    ignore_ctrl_c()
    loaded = loader(config, generation)
    gc.collect()
    gc.freeze()  # the collector would otherwise write to every object's page in each worker
    conn.send(("ready",))
    while True:
        try:
            message = conn.recv()
        except EOFError:
            break
        if message is None:
            break
        if message[0] == "fork":
            fd = recv_handle(conn)
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    conn.close()
                    target(Connection(fd), config, generation, loaded)
                    code = 0
                finally:
                    os._exit(code)
            os.close(fd)
            conn.send(("forked", pid))
        elif message[0] == "reap":
            try:
                conn.send(("reaped", os.waitstatus_to_exitcode(os.waitpid(message[1], 0)[1])))
            except ChildProcessError:
                conn.send(("reaped", None))
    while True:  # the workers still answering finish first (a request in flight ends where it started)
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


class QueryPool:
    """``slots`` workers fed from one fair queue (see the module's notes).

    ``target(conn, config, generation_dir)`` is the worker's main function.
    With ``loader``, one process per generation runs ``loader(config,
    generation_dir)`` once and the workers are forked from it, sharing what it
    loaded (see :class:`_Copy`); they run ``target(conn, config, generation_dir, loaded)``.
    ``copy``: that process for the current generation, started already (:func:`fork_first_copy`).
    """

    def __init__(self, target: Callable, config: Any, *, slots: int, timeout: float, max_queue: int,
                 per_client: int, build_dir: str | None, spare: bool = True, loader: Callable | None = None,
                 copy: "_Copy | None" = None):
        self.target, self.config, self.loader = target, config, loader
        self.timeout, self.max_queue, self.per_client = timeout, max_queue, per_client
        self.regular = slots
        self.heavy_slots = max(1, slots // 2)
        self.heavy_seconds = max(1.0, timeout / 4)
        self.active: dict[int, Job] = {}  # slot -> the job it runs
        slots += 1 if spare else 0
        self.per_client_queue = max(1, max_queue // 4)
        self.build_dir = build_dir
        self.cond = threading.Condition()
        self.waiting: dict[str, collections.deque[Job]] = {}
        self.queued = 0
        self.running: collections.Counter[str] = collections.Counter()
        self.usage: dict[str, tuple[float, float]] = {}
        self.cost: dict[str, float] = {}  # client -> moving average of seconds per query
        self.service = 0.5  # moving average of seconds per request, for Retry-After
        self.crashed: set[str] = set()  # digests of the messages that crashed a worker
        self.closed = False
        #: A worker started ahead, ready to replace one that dies or is killed at once (read-only pools).
        self.standby: _Worker | None = None
        # Forked from a copy (--memory), a new worker is ready in milliseconds: a standby held ahead
        # would only cost a process and its pages (issue 23, memory against the Oxigraph server).
        self.keep_standby = spare and loader is None
        self.generation = current_generation(build_dir)
        self.copy: _Copy | None = None
        self.copy_lock = threading.Lock()
        if copy is not None and (loader is None or copy.generation != self.generation):
            copy.close()  # a rebuild switched the generation since it was forked: not the one to serve
            copy = None
        if loader is not None:
            self.copy = copy or _Copy(target, loader, config, self.generation)
        self.workers: list[_Worker | None] = [None] * slots  # the worker of each slot, None while it starts
        errors: list[BaseException] = []
        # Forked from a copy, the spare worker is started when it first takes a query, and goes after
        # SPARE_IDLE seconds without one: it runs only while every regular worker has been busy for a
        # second, and an idle process would cost its own pages all the while (issue 23, memory).
        eager = self.regular if loader is not None else slots
        starting = [threading.Thread(target=self._start_slot, args=(i, errors), daemon=True) for i in range(eager)]
        for t in starting:
            t.start()
        for t in starting:
            t.join()
        if errors:
            self.close()
            raise errors[0]
        self._refill()
        self.threads = [threading.Thread(target=self._slot, args=(i,), daemon=True) for i in range(slots)]
        for t in self.threads:
            t.start()

    def _start_slot(self, i: int, errors: list[BaseException]) -> None:
        try:
            self.workers[i] = self._new_worker()
        except BaseException as exc:
            errors.append(exc)

    # -- the queue ------------------------------------------------------------------
    def submit(self, client: str, message: tuple) -> Job:
        """Queue a request; its future gets the worker's reply, ``("timeout",)``
        or ``("waited",)``.

        :raises Refused: when the queue, or this client's share of it, is full.
        """
        now = time.monotonic()
        job = Job(client, message, now, now + self.timeout)
        if _digest(message) in self.crashed:
            job.future.set_result(("error", "QueryCrashed", "refused: this query crashed a query worker before; "
                                   "it is not run again (simplify it: shorter chains of UNION, ||, +, OPTIONAL …)",
                                   QueryCrashed.http_status))
            return job
        with self.cond:
            if self.closed:
                raise Refused(503, 1, "the server is shutting down")
            mine = self.waiting.get(client)
            if self.queued >= self.max_queue:
                raise Refused(503, self._retry_after(), f"the server is busy: the queue is full "
                              f"({self.max_queue} waiting); retry later")
            if mine is not None and len(mine) >= self.per_client_queue and self.queued >= self.max_queue // 2:
                raise Refused(429, self._retry_after(), f"too many queries from {client} waiting "
                              f"({self.per_client_queue}); wait for their answers")
            self.waiting.setdefault(client, collections.deque()).append(job)
            self.queued += 1
            self.cond.notify()
        return job

    def withdraw(self, job: Job) -> bool:
        """Take a job that has not started out of the queue (its deadline passed
        or its client left); False if a worker already runs it."""
        with self.cond:
            if job.started or job.future.done():
                return False
            self._remove(job)
            job.future.set_result(("waited",))
            return True

    def _remove(self, job: Job) -> None:
        queue = self.waiting[job.client]
        queue.remove(job)
        self.queued -= 1
        if not queue:
            del self.waiting[job.client]

    def _retry_after(self) -> int:
        slots = self.regular
        return max(1, min(math.ceil(self.timeout), math.ceil(self.service * (self.queued + 1) / slots)))

    def _used(self, client: str, now: float) -> float:
        value, at = self.usage.get(client, (0.0, now))
        return value * 0.5 ** ((now - at) / HALF_LIFE)

    def _charge(self, client: str, seconds: float) -> None:
        now = time.monotonic()
        self.usage[client] = (self._used(client, now) + seconds, now)
        if len(self.usage) > 10_000:  # forget clients that have not asked for a long time
            self.usage = {c: u for c, u in self.usage.items() if self._used(c, now) > 0.01 or c in self.waiting}
            self.cost = {c: v for c, v in self.cost.items() if c in self.usage}

    def charge(self, client: str, seconds: float) -> None:
        """Count a query of ``client`` answered elsewhere (the server process's
        fast path) in its recent use and cost, as if a worker had run it."""
        with self.cond:
            self._charge(client, seconds)
            self._cost(client, seconds)

    def _cost(self, client: str, seconds: float) -> None:
        """Count one query of ``client`` that took ``seconds`` (half the weight on the newest)."""
        old = self.cost.get(client)
        self.cost[client] = seconds if old is None else 0.5 * old + 0.5 * seconds

    def _load(self, client: str, now: float) -> float:
        """Worker seconds ``client`` used lately, its running queries included."""
        return self._used(client, now) + sum(now - j.ran for j in self.active.values() if j.client == client)

    def _heavy(self, client: str, now: float) -> bool:
        if self.cost.get(client, 0.0) > self.heavy_seconds:
            return True
        return any(j.client == client and now - j.ran > self.heavy_seconds for j in self.active.values())

    def _crowd(self, now: float) -> bool:
        """Whether more than one client asked lately: one alone (a person on
        their own machine) has nobody to be fair to and keeps every worker."""
        seen = None
        for client in (*self.waiting, *self.running, *self.usage):
            if client in self.usage and client not in self.waiting and client not in self.running \
                    and self._used(client, now) < 0.01:
                continue
            if seen is not None and client != seen:
                return True
            seen = client
        return False

    def _next(self, spare: bool) -> Job | None:
        """The next job to run (with the lock held), dropping those past their deadline.

        Clients that used more than ``heavy_seconds`` of worker time lately
        ("heavy") share ``heavy_slots`` workers, so the others always have
        one. The spare worker takes only light clients, and only while every
        regular worker has been busy for over a second (two runaways from
        clients not yet known as heavy)."""
        now = time.monotonic()
        busy = [j for i, j in self.active.items() if i < self.regular]
        if spare and (len(busy) < self.regular or any(now - j.ran < 1.0 for j in busy)):
            return None
        heavy_running = sum(self._heavy(j.client, now) for j in self.active.values())
        crowd = self._crowd(now)
        for client, queue in list(self.waiting.items()):
            while queue and queue[0].deadline <= now:
                job = queue[0]
                self._remove(job)
                job.future.set_result(("waited",))
                if client not in self.waiting:
                    break
        ready = [c for c in self.waiting if self.running[c] < self.per_client]
        # Heavy clients are held to their share only while a light client's request waits for a worker.
        light_waiting = any(not self._heavy(c, now) for c in ready)
        best, best_key = None, None
        for client in ready:
            queue = self.waiting[client]
            if crowd and self._heavy(client, now) and (spare or (heavy_running >= self.heavy_slots
                                                                 and light_waiting)):
                continue
            # Time waited counts against time used: by least use alone, a client that once ran a
            # longer query waits until every other client has used as much, and under a steady
            # crowd of short questions that is longer than the time limit (it starved). On the
            # spare worker a newcomer counts as having used heavy_seconds (its first query may be
            # a runaway), so clients known to ask short questions go first, but only until the
            # newcomer has waited that long: a strict preference starved newcomers while
            # runaways held every regular worker.
            unknown = self.heavy_seconds if spare and client not in self.cost else 0.0
            key = (self.running[client], self._load(client, now) + unknown - (now - queue[0].arrived),
                   queue[0].arrived)
            if best_key is None or key < best_key:
                best, best_key = queue[0], key
        return best

    # -- the workers ------------------------------------------------------------------
    def _slot(self, i: int) -> None:
        spare = i >= self.regular
        # A spare forked from a copy goes when idle (see __init__); a spawned one is slow to replace and stays.
        let_go = spare and self.loader is not None
        while True:
            worker = self.workers[i]
            idle_from = time.monotonic()
            with self.cond:
                job = None
                while not self.closed and (job := self._next(spare)) is None:
                    if worker is not None and worker.generation != self.generation:
                        break  # idle on a build that is not current any more: let it (and its copy) go
                    if let_go and worker is not None and time.monotonic() - idle_from > SPARE_IDLE:
                        break
                    self.cond.wait(0.25 if spare else 0.5)
                if self.closed:
                    return
                if job is None:
                    self.workers[i] = None  # the next request starts a worker on the current build
                else:
                    self._remove(job)
                    job.started = True
                    job.ran = time.monotonic()
                    self.active[i] = job
                    self.running[job.client] += 1
            if job is None:
                if worker is not None:
                    worker.stop()
                continue
            started = time.monotonic()
            limit = min(job.deadline, started + self.heavy_seconds) if spare else job.deadline
            try:
                self.workers[i] = worker = self._fresh(worker)
                reply, self.workers[i] = self._run(worker, job, limit)
            except BaseException as exc:  # a worker that cannot start: say so, try again next time
                reply, self.workers[i] = ("error", "WorkerError", f"no query worker could start ({exc})",
                                            WorkerError.http_status), None
            used = time.monotonic() - started
            cut = reply == ("timeout",)  # stopped at its limit: the deadline, or the spare worker's share
            lost = reply[0] == "lost"  # killed from outside: once, the query goes back to the queue
            if lost and (job.lost or time.monotonic() >= job.deadline):
                reply, lost = ("error", *_stopped(reply[1])), False
            job.lost = job.lost or lost
            requeue = (spare and cut or lost) and time.monotonic() < job.deadline
            if not requeue:
                job.future.set_result(reply)
            if self.workers[i] is None and not self.closed:  # replaced now, not when the next client waits
                try:
                    self.workers[i] = self._replacement()
                except BaseException:
                    pass
            with self.cond:
                del self.active[i]
                self.running[job.client] -= 1
                if not self.running[job.client]:
                    del self.running[job.client]
                # A query that killed its worker costs as much as a runaway: its client is heavy at once.
                died = reply[0] == "error" and reply[1] in ("WorkerError", "QueryCrashed")
                if reply[0] == "error" and reply[1] == "QueryCrashed":
                    self.crashed.add(_digest(job.message))
                # Too long for the spare: the client is heavy now, and its query waits for a regular worker.
                if not lost:
                    self._charge(job.client, max(time.monotonic() - started,
                                                 self.timeout if died or requeue else 0.0))
                    self._cost(job.client, self.timeout if died or cut else used)
                if requeue and not self.closed:
                    job.started = False
                    self.waiting.setdefault(job.client, collections.deque()).appendleft(job)
                    self.queued += 1
                elif requeue:
                    job.future.set_result(("waited",))
                elif not lost:
                    self.service = 0.9 * self.service + 0.1 * used
                self.cond.notify_all()

    def _fresh(self, worker: _Worker | None) -> _Worker:
        """``worker`` if it is on the current generation, else a new one that is."""
        generation = current_generation(self.build_dir)
        if generation is not None:
            self.generation = generation
        if worker is not None and worker.generation == self.generation and not worker.idle_exit():
            return worker
        if worker is not None:
            worker.stop()
        return self._replacement()

    def _replacement(self) -> _Worker:
        """A worker on the current generation: the standby when it is ready and
        on it (and another is started in the background), else a new one."""
        with self.cond:
            ready, self.standby = self.standby, None
        self._refill()
        if ready is not None and ready.generation == self.generation and ready.process.is_alive():
            return ready
        if ready is not None:
            ready.stop()
        return self._new_worker()

    def _new_worker(self) -> _Worker:
        """A worker on the current generation: spawned, or forked from the copy of it."""
        generation = self.generation
        if self.loader is None:
            return _Worker(self.target, self.config, generation)
        with self.copy_lock:  # one load of a new generation, by the first slot that needs it
            if self.copy is None or self.copy.generation != generation:
                old, self.copy = self.copy, None
                if old is not None:
                    old.close()
                if self.closed:
                    raise RuntimeError("the server is shutting down")
                self.copy = _Copy(self.target, self.loader, self.config, generation)
            copy = self.copy
        return _Worker(self.target, self.config, generation, copy)

    def _refill(self) -> None:
        """Start a standby worker in the background, unless one is there."""
        if not self.keep_standby or self.closed or self.standby is not None:
            return

        def start() -> None:
            try:
                worker = self._new_worker()
            except BaseException:
                return
            with self.cond:
                if self.standby is None and not self.closed:
                    self.standby, worker = worker, None
            if worker is not None:
                worker.stop()

        threading.Thread(target=start, daemon=True).start()

    def _run(self, worker: _Worker, job: Job, limit: float) -> tuple[tuple, _Worker | None]:
        try:
            worker.conn.send(job.message)
            if worker.conn.poll(max(0.0, limit - time.monotonic())):
                reply = worker.conn.recv()
                if reply == ("retire",):  # its reply follows; then it stops (see answers.worker)
                    reply = worker.conn.recv()
                    # It is ending on its own: reaped aside, so the reply and the next request do not wait.
                    threading.Thread(target=worker.kill, daemon=True).start()
                    return reply, None
                return reply, worker
            worker.kill()
            return ("timeout",), None
        except (EOFError, BrokenPipeError, OSError):
            worker.kill()
            exitcode = worker.process.exitcode
            if exitcode in (-signal.SIGKILL, -signal.SIGTERM):  # not ours: the pool kills only after poll()
                return ("lost", exitcode), None
            return ("error", *_stopped(exitcode)), None

    def close(self) -> None:
        with self.cond:
            self.closed = True
            for queue in self.waiting.values():
                for job in queue:
                    job.future.set_result(("waited",))
            self.waiting.clear()
            self.cond.notify_all()
        for w in [*self.workers, self.standby]:
            if w is not None:
                w.stop()
        with self.copy_lock:
            if self.copy is not None:
                self.copy.close()


def _digest(message: tuple) -> str:
    return hashlib.sha256(repr(message[:2]).encode("utf-8", "surrogatepass")).hexdigest()


def _stopped(exitcode: int | None) -> tuple[str, str, int]:
    """The error name, message and HTTP status for the client whose query's worker died under it."""
    import signal

    if exitcode == -signal.SIGABRT:  # Oxigraph aborts when an allocation fails: the worker's memory limit
        return "WorkerError", ("the query needed more memory than a query worker may hold (serve --max-memory) and "
                               "was stopped; narrow it (LIMIT, fewer joins, no ORDER BY over everything)"), \
            WorkerError.http_status
    if exitcode in (-signal.SIGSEGV, -signal.SIGBUS, -signal.SIGILL):  # the engine crashed: again would crash again
        return "QueryCrashed", (f"refused: the query crashed the query engine (signal {-exitcode}) and is not run "
                                "again; simplify it (shorter chains of UNION, ||, +, OPTIONAL …)"), \
            QueryCrashed.http_status
    how = f"signal {-exitcode}" if exitcode is not None and exitcode < 0 else f"exit status {exitcode}"
    return "WorkerError", f"the query worker stopped under this query ({how}); try again", WorkerError.http_status
