"""Several serving processes on one port (``serve --http-processes N``, issue 23).

One process's event loop is one thread of Python: a point lookup costs it
~150 µs of Starlette, the guard and the response, and the fast path's thread
as much again, so one process stops near the Oxigraph server's half however
many CPUs there are. With N processes each runs its own event loop and fast
path over the one listening socket (bound once, before the others are forked,
so the kernel hands each connection to one of them), and what must be the
server's, not a process's, stays in one place:

- **The query pool is the first process's.** Every other process sends the
  queries it does not answer itself (all but proven-cheap lookups) over a
  connection to it (:class:`RemotePool`); there they wait in the one fair
  queue, under the same per-client limits, deadlines and ``Retry-After``, as
  the first process's own requests (:class:`Fronts`). A lookup answered on a
  process's fast path is charged to its client in that queue (sent in batches
  every :data:`CHARGE_EVERY` seconds).
- **Connection caps are the server's** (:class:`.httpguard.SharedConnections`:
  counts in shared memory under a lock the kernel releases if its holder dies).
- **The fast path's share per client** is divided by N in each process, so a
  client on every process has no more of the fast paths than on one.
- **A rebuild** is seen by each process's fast path on its own (the build's
  generation on disk), and by the pool's workers as before.
- **A killed process is replaced**: the first process notices its connection
  close, reaps it, clears its connection counts and starts a fresh interpreter
  on the same socket in its place; if the replacements keep dying within
  seconds, it says so on stderr and the server stops (exit status 1). A
  process that ended on its own (exit status 0: Ctrl-C, SIGTERM) is not
  replaced. The other processes stop when the first one's connection closes.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import sys
import threading
import time
from typing import Any, Callable

from ..core.errors import Refused

__all__ = ["RemotePool", "Fronts", "Front", "CHARGE_EVERY"]

#: Seconds a serving process gathers its fast path's charges before it sends them to the first process.
CHARGE_EVERY = 0.05
#: A replacement that dies this many times in a row, each within :data:`QUICK_DEATH` seconds, stops the server.
GIVE_UP_AFTER = 3
QUICK_DEATH = 5.0


def _settle(future: asyncio.Future, value: Any) -> None:
    if not future.done():
        future.set_result(value)


class RemotePool:
    """The query pool as a serving process other than the first sees it: the
    first process's pool, over ``conn``. ``on_lost`` is called once that
    connection closes (the first process is gone: this one stops too)."""

    remote = True

    def __init__(self, conn, on_lost: Callable[[], None]):
        self.conn, self.on_lost = conn, on_lost
        self.send_lock = threading.Lock()
        self.pending: dict[int, tuple[asyncio.AbstractEventLoop, asyncio.Future]] = {}
        self.ids = itertools.count()
        self.charges: list[tuple[str, float]] = []
        self.lost = False
        #: Set when the first process's pool takes queries (or the first process is gone): until then this
        #: process does not listen, so no request of its own waits on a pool still starting.
        self.ready = threading.Event()
        self.fast: Any = None  # this process's fast path, told of the shapes the others ran
        threading.Thread(target=self._read, daemon=True, name="pool-link").start()

    def _send(self, message: tuple) -> None:
        with self.send_lock:
            self.conn.send(message)

    async def ask(self, client: str, message: tuple) -> tuple[tuple, float]:
        """The pool's reply to ``message`` and the seconds a worker spent on it (as :func:`.sparql.queued`).

        :raises Refused: when the queue is full, or the server is stopping.
        """
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        number = next(self.ids)
        self.pending[number] = (loop, future)
        try:
            if self.lost:
                raise OSError
            self._send(("job", number, client, message))
        except OSError:
            self.pending.pop(number, None)
            raise Refused(503, 1, "the server is shutting down") from None
        try:
            got = await future
        finally:
            self.pending.pop(number, None)
        if got[0] == "refused":
            raise Refused(got[1], got[2], got[3])
        return got[1], got[2]

    def tell(self, shape: str, seconds: float) -> None:
        """Tell the other processes of a run of ``shape`` (through the first, which passes it on)."""
        try:
            if not self.lost:
                self._send(("shape", shape, seconds))
        except OSError:
            pass

    def charge(self, client: str, seconds: float) -> None:
        """Count a query of ``client`` answered by this process's fast path in the pool's
        record of its use (sent with the others of the next :data:`CHARGE_EVERY` seconds)."""
        self.charges.append((client, seconds))
        if len(self.charges) == 1:
            asyncio.get_running_loop().call_later(CHARGE_EVERY, self._flush)

    def _flush(self) -> None:
        charges, self.charges = self.charges, []
        try:
            if charges and not self.lost:
                self._send(("charge", charges))
        except OSError:
            pass

    def _read(self) -> None:
        while True:
            try:
                number, *reply = self.conn.recv()
            except (EOFError, OSError):
                break
            if number == "ready":
                self.ready.set()
                continue
            if number == "shape":  # a run of a shape in another process (FastPath.record)
                if self.fast is not None:
                    self.fast.record(reply[0], reply[1], tell=False)
                continue
            entry = self.pending.pop(number, None)
            if entry is not None:
                entry[0].call_soon_threadsafe(_settle, entry[1], tuple(reply))
        self.lost = True
        self.ready.set()
        for loop, future in list(self.pending.values()):
            loop.call_soon_threadsafe(_settle, future, ("refused", 503, 1, "the server is shutting down"))
        self.on_lost()

    def close(self) -> None:
        self.lost = True
        try:
            self.conn.close()
        except OSError:
            pass


class Front:
    """A serving process other than the first, as the first sees it: its number
    (its row in the shared connection counts), its connection and its process."""

    def __init__(self, number: int, conn, pid: int, popen: Any = None):
        self.number, self.conn, self.pid, self.popen = number, conn, pid, popen
        self.started = time.monotonic()
        self.send_lock = threading.Lock()
        self.exitcode: int | None = None

    def send(self, message: tuple) -> None:
        try:
            with self.send_lock:
                self.conn.send(message)
        except OSError:  # it is gone: its client's connection went with it
            pass

    def wait(self, timeout: float | None = None) -> int | None:
        """Its exit code once it has ended (``-N``: signal N), or None after ``timeout`` seconds."""
        if self.exitcode is not None:
            return self.exitcode
        if self.popen is not None:
            try:
                self.exitcode = self.popen.wait(timeout)
            except Exception:  # subprocess.TimeoutExpired
                return None
            return self.exitcode
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            try:
                pid, status = os.waitpid(self.pid, 0 if deadline is None else os.WNOHANG)
            except ChildProcessError:
                self.exitcode = 0
                return 0
            if pid:
                self.exitcode = os.waitstatus_to_exitcode(status)
                return self.exitcode
            if time.monotonic() >= deadline:  # type: ignore[operator]
                return None
            time.sleep(0.05)

    def signal(self, number: int) -> None:
        if self.exitcode is None:
            try:
                os.kill(self.pid, number)
            except ProcessLookupError:
                pass


class Fronts:
    """The first process's side of the other serving processes: it answers
    their queued queries through its pool (with :func:`.sparql.queued`, so
    deadlines and withdrawal are the same as its own requests'), applies their
    fast paths' charges, and replaces a process that was killed.

    ``spawn(number)`` starts a replacement for process ``number`` and returns its :class:`Front`;
    ``clear(number)`` forgets that process's connections (:meth:`.httpguard.SharedConnections.clear`).
    """

    def __init__(self, fronts: list[Front], spawn: Callable[[int], Front], clear: Callable[[int], None]):
        self.fronts = {f.number: f for f in fronts}
        self.spawn, self.clear = spawn, clear
        self.closing = False
        self.failed: str | None = None  # why the server stops, when replacements kept dying
        self.pool: Any = None
        self.fast: Any = None  # the first process's fast path
        self.loop: asyncio.AbstractEventLoop | None = None
        self.threads: list[threading.Thread] = []

    def start(self, pool: Any, fast: Any, loop: asyncio.AbstractEventLoop) -> None:
        """Serve the other processes' queries through ``pool`` on ``loop`` (the first process's), and
        share what ``fast`` (its fast path) and theirs learn of shapes."""
        self.pool, self.fast, self.loop = pool, fast, loop
        if fast is not None:
            fast.tell = lambda shape, seconds: self.tell(shape, seconds)
        for front in self.fronts.values():
            front.send(("ready",))
        for number in self.fronts:
            t = threading.Thread(target=self._link, args=(number,), daemon=True, name=f"front-{number}")
            t.start()
            self.threads.append(t)

    def _link(self, number: int) -> None:
        quick = 0
        while True:
            front = self.fronts[number]
            self._relay(front)
            code = front.wait()
            self.clear(number)  # its connections are gone with it
            if self.closing or code == 0:
                return
            how = f"signal {-code}" if code is not None and code < 0 else f"exit status {code}"
            quick = quick + 1 if time.monotonic() - front.started < QUICK_DEATH else 0
            if quick >= GIVE_UP_AFTER:
                self._give_up(f"serving process {number} stopped {quick} times within {QUICK_DEATH:g} s of "
                              f"starting (last: {how}); the server stops")
                return
            print(f"collabgraph serve: serving process {number} (pid {front.pid}) stopped ({how}); "
                  "starting another in its place", file=sys.stderr, flush=True)
            try:
                self.fronts[number] = self.spawn(number)
                self.fronts[number].send(("ready",))
            except BaseException as exc:
                self._give_up(f"serving process {number} stopped ({how}) and none could start in its place "
                              f"({exc}); the server stops")
                return

    def _give_up(self, why: str) -> None:
        self.failed = why
        print(f"collabgraph serve: {why}", file=sys.stderr, flush=True)
        os.kill(os.getpid(), signal.SIGTERM)  # uvicorn stops as on Ctrl-C; serve() then exits with status 1

    def _relay(self, front: Front) -> None:
        assert self.loop is not None
        while True:
            try:
                message = front.conn.recv()
            except (EOFError, OSError):
                return
            if message[0] == "job":
                _, number, client, job = message
                try:
                    asyncio.run_coroutine_threadsafe(self._answer(front, number, client, job), self.loop)
                except RuntimeError:  # the loop has stopped: the server is going
                    front.send((number, "refused", 503, 1, "the server is shutting down"))
            elif message[0] == "charge":
                for client, seconds in message[1]:
                    self.pool.charge(client, seconds)
            elif message[0] == "shape" and self.fast is not None:
                self.fast.record(message[1], message[2], tell=False)
                self.tell(message[1], message[2], besides=front.number)

    def tell(self, shape: str, seconds: float, besides: int | None = None) -> None:
        """Tell the other processes (but ``besides``, where the run was) of a run of ``shape``."""
        for front in list(self.fronts.values()):
            if front.number != besides:
                front.send(("shape", shape, seconds))

    async def _answer(self, front: Front, number: int, client: str, job: tuple) -> None:
        from .sparql import queued

        try:
            reply, took = await queued(self.pool, client, job)
        except Refused as exc:
            front.send((number, "refused", exc.http_status, exc.retry_after, str(exc)))
            return
        except Exception as exc:  # never leave the other process's request without an answer
            front.send((number, "reply", ("error", "WorkerError", f"the query failed ({type(exc).__name__})", 500),
                        0.0))
            return
        front.send((number, "reply", reply, took))

    def stop(self, grace: float = 10.0) -> None:
        """Stop the other processes (SIGTERM, then SIGKILL after ``grace`` seconds) and reap them."""
        self.closing = True
        for front in self.fronts.values():
            front.signal(signal.SIGTERM)
        # Never started (this process's pool did not start): they still wait for it, and stop only when killed.
        deadline = time.monotonic() + (grace if self.loop is not None else 1.0)
        for front in self.fronts.values():
            if front.wait(max(0.0, deadline - time.monotonic())) is None:
                front.signal(signal.SIGKILL)
                front.wait(5)
            try:
                front.conn.close()
            except OSError:
                pass
