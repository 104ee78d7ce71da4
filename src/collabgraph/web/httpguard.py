"""Connection limits for ``collabgraph serve``, below the ASGI app: a deadline
for a request's headers and one for its body, and caps on open connections
overall and per client address, kept under the process's open-file limit.

Why here and not in uvicorn's options: uvicorn has no timeout for reading a
request (its ``timeout_keep_alive`` runs only *between* requests and is
cancelled by the first byte of the next one, so a client sending a byte a
second holds its connection for ever), and its ``limit_concurrency`` answers
503 only once a whole request has arrived, which a slow client never sends.
ASGI middleware cannot help either: it runs after the headers are parsed. So
:func:`guarded_protocol` subclasses uvicorn's httptools protocol (llhttp, in C;
issue 23: less CPU per request than h11 in Python), or its h11 protocol when
httptools is absent, and arms a timer when a request starts and when its
headers are in. It uses the protocols' ``cycle``, ``transport``, ``client``,
the parser's callbacks (httptools) or ``conn`` and ``handle_events`` (h11),
stable across uvicorn's releases; ``tests/test_server_slow.py`` fails if they
change. llhttp has no limit on a request's line and headers: the guard keeps
16 KiB of header fields (431 past it), as h11 has nominally, and 64 KiB of
request target (414 past it, saying to POST a long query: the URL parser behind
httptools holds a target's offsets in 16 bits, so a longer one could not be
read anyway; a SPARQL query sent by GET is in the target).

>>> limits = ConnectionLimits(header_timeout=10, body_timeout=30, total=1000, per_client=100)
>>> limits.within_fd_limit(soft=1024, workers=2)
ConnectionLimits(header_timeout=10, body_timeout=30, total=692, per_client=100, backlog=128)
>>> limits.within_fd_limit(soft=256, workers=1)
ConnectionLimits(header_timeout=10, body_timeout=30, total=120, per_client=60, backlog=32)
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import socket
from dataclasses import dataclass

__all__ = ["ConnectionLimits", "SharedConnections", "guarded_protocol", "raise_open_file_limit", "one_framing"]

#: Bytes of a request's header fields at most (h11's nominal limit in uvicorn; llhttp has none).
MAX_HEADER_BYTES = 16 * 1024
#: Bytes of a request's target at most (http_parser_parse_url's offsets are 16-bit: 65,535).
MAX_TARGET_BYTES = 65_535
#: Seconds a connection answered before its request's body was read keeps reading
#: (and dropping) what the client still sends, at most; and the pause in its sending
#: that ends that sooner. See :class:`_Guard` ("lingering close").
LINGER_SECONDS = 5.0
LINGER_IDLE_SECONDS = 1.0


@dataclass(frozen=True)
class ConnectionLimits:
    """:param header_timeout: seconds from a request's first byte (or the
        connection's opening) to the end of its headers.
    :param body_timeout: seconds from the end of the headers to the end of the body.
    :param total: connections open at once, from everyone.
    :param per_client: connections open at once from one IP address.
    :param backlog: connections the kernel queues, and so the most the event
        loop accepts in one go before it can refuse any (each takes a file).
    """

    header_timeout: float = 10.0
    body_timeout: float = 30.0
    total: int = 1000
    per_client: int = 100
    backlog: int = 128

    def within_fd_limit(self, soft: int, workers: int) -> "ConnectionLimits":
        """These limits fitted under an open-file limit of ``soft``: room is
        kept for what the server itself holds open (the listening socket,
        pipes to ``workers`` and the standby, log and page files: 64 plus 4
        per worker) and for connections accepted before the ones past the
        caps are closed (the event loop accepts up to ``backlog`` at a time,
        and may do so twice before it closes them: 2 x ``backlog``, itself
        at most an eighth of ``soft``). One address never gets more than half
        of the connections, so one client cannot shut out the others."""
        backlog = min(self.backlog, max(16, soft // 8))
        total = min(self.total, max(8, soft - 64 - 4 * (workers + 1) - 2 * backlog))
        return dataclasses.replace(self, total=total, per_client=min(self.per_client, max(1, total // 2)),
                                   backlog=backlog)


class SharedConnections:
    """The connection counts of a server with several serving processes on one
    port (``serve --http-processes``), kept in one shared memory file, so that
    a client's connections count against its cap whichever process accepted
    them. Each process adds to its own row only (a killed process's row is
    cleared when it is replaced, its connections being gone); the check and the
    count happen under a POSIX record lock on the file, which the kernel
    releases if its holder dies. An address is counted in one of
    :attr:`BUCKETS` buckets chosen by a hash keyed with a secret of this
    server, so no one can pick addresses that share a bucket with another's;
    two addresses that do share one are held to one cap (a refusal early,
    never a connection past a cap).

    >>> book = SharedConnections(2, key=bytes(16))  # a fixed key: these three addresses in three buckets
    >>> book.use_row(0); [book.admit("10.0.0.1", total=3, per_client=2) for _ in range(3)]
    [None, None, 'client']
    >>> book.use_row(1); book.admit("10.0.0.1", total=3, per_client=2), book.admit("10.0.0.2", 3, 2)
    ('client', None)
    >>> book.admit("10.0.0.3", 3, 2)
    'total'
    >>> book.clear(0); book.admit("10.0.0.1", 3, 2)
    """

    BUCKETS = 1 << 14

    def __init__(self, processes: int, *, fd: int | None = None, key: bytes | None = None):
        import mmap
        import secrets

        self.processes, self.stride, self.row = processes, 1 + self.BUCKETS, 0
        self.fd = os.memfd_create("collabgraph-connections") if fd is None else fd
        size = processes * self.stride * 8
        if fd is None:
            os.ftruncate(self.fd, size)
        self.key = key or secrets.token_bytes(16)
        self.map = mmap.mmap(self.fd, size)
        self.counts = memoryview(self.map).cast("q")  # row r: [connections, bucket 0, bucket 1, ...]

    def use_row(self, row: int) -> None:
        """Count this process's connections in ``row`` (its number among the serving processes)."""
        self.row = row

    def _bucket(self, address: str) -> int:
        import hashlib

        digest = hashlib.blake2b(address.encode("utf-8", "surrogatepass"), key=self.key, digest_size=8).digest()
        return 1 + int.from_bytes(digest, "little") % self.BUCKETS

    @contextlib.contextmanager
    def _locked(self):
        import fcntl

        fcntl.lockf(self.fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.lockf(self.fd, fcntl.LOCK_UN)

    def admit(self, address: str, total: int, per_client: int) -> str | None:
        """Count a connection from ``address``, or say why not: ``"total"`` (``total``
        connections open in all processes) or ``"client"`` (``per_client`` from this address)."""
        bucket, counts, stride = self._bucket(address), self.counts, self.stride
        with self._locked():
            if sum(counts[r * stride] for r in range(self.processes)) >= total:
                return "total"
            if sum(counts[r * stride + bucket] for r in range(self.processes)) >= per_client:
                return "client"
            counts[self.row * stride] += 1
            counts[self.row * stride + bucket] += 1
        return None

    def release(self, address: str) -> None:
        """A connection from ``address`` that :meth:`admit` counted here is closed."""
        bucket, counts, at = self._bucket(address), self.counts, self.row * self.stride
        with self._locked():
            counts[at] = max(0, counts[at] - 1)
            counts[at + bucket] = max(0, counts[at + bucket] - 1)

    def clear(self, row: int) -> None:
        """Forget the connections of ``row``'s process (it is gone, and they with it)."""
        with self._locked():
            self.counts[row * self.stride:(row + 1) * self.stride] = memoryview(bytes(self.stride * 8)).cast("q")


def raise_open_file_limit() -> int:
    """Raise this process's soft limit on open files to its hard limit where
    the system allows it; return the soft limit then in force."""
    try:
        import resource
    except ImportError:  # not on this platform: nothing to raise
        return 1 << 16
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else 1 << 20
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):  # e.g. above the kernel's nr_open: keep what we have
            pass
    return soft if soft != resource.RLIM_INFINITY else 1 << 20


def _raw_response(status: int, reason: str, text: str, extra: str = "") -> bytes:
    body = (text + "\n").encode("utf-8")
    return (f"HTTP/1.1 {status} {reason}\r\ncontent-type: text/plain; charset=utf-8\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\nx-content-type-options: nosniff\r\n"
            f"content-security-policy: default-src 'none'\r\n{extra}\r\n").encode("ascii") + body


def _no_delay(transport) -> None:
    """TCP_NODELAY on a connection's socket, whatever socket it was accepted
    from (one passed in by a caller may not say it is TCP, and asyncio then
    leaves Nagle on): a response's small last write must not wait for the
    client's delayed acknowledgement."""
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:  # the peer may already be gone; nothing to speed up then
            pass


class _LingeringTransport:
    """The connection's transport as the protocol and the app see it: its
    ``close`` is the guard's lingering close (:meth:`_Guard._close_answered`)."""

    __slots__ = ("_transport", "_guard")

    def __init__(self, transport, guard: "_Guard"):
        self._transport, self._guard = transport, guard

    def __getattr__(self, name: str):
        return getattr(self._transport, name)

    def close(self) -> None:
        self._guard._close_answered()

    def is_closing(self) -> bool:
        return self._guard._lingering or self._transport.is_closing()


class _Guard:
    """What both guarded protocols share: the caps on connections, counted
    when a connection opens and freed when it closes, and the one timer that
    cuts a request whose headers or body do not arrive in time.

    And a *lingering close*, as nginx and Apache do: a request answered
    before its body was read (413 for a body past ``--max-body``, or any
    answer with ``Connection: close``) would have its connection closed with
    the client's bytes unread, and the kernel then resets it: the client,
    still sending, gets "broken pipe" or "connection reset" instead of the
    answer (most clients, urllib and requests among them, read the answer only
    once they have sent the whole body). So the answer is sent, the sending
    side shut (the client sees the answer's end), and what the client still
    sends is read and dropped until it stops (its end of the connection, or
    :data:`LINGER_IDLE_SECONDS` without a byte), for :data:`LINGER_SECONDS`
    at most; then the connection is closed. A client whose body is still
    arriving after that gets the reset, as from nginx after its
    ``lingering_time``. Connections cut by the guard itself (timeouts, caps)
    are closed at once: they are the slow or the too many."""

    limits: ConnectionLimits
    open_by_client: dict[str, int]
    counted: list[int]
    book: SharedConnections | None  # with several serving processes: the counts they share
    _timer: asyncio.TimerHandle | None = None
    _phase: str | None = None
    _address: str | None = None
    _raw: asyncio.Transport
    _lingering = False
    _linger_ends = 0.0
    _linger_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        self._raw = transport
        self.transport = _LingeringTransport(transport, self)  # type: ignore[has-type]
        self._admit(transport)

    def connection_lost(self, exc) -> None:
        self._release()
        if self._linger_timer is not None:
            self._linger_timer.cancel()
            self._linger_timer = None
        super().connection_lost(exc)  # type: ignore[misc]

    def _body_unread(self) -> bool:
        """Whether the request being read has body bytes still to come."""
        raise NotImplementedError

    def _close_answered(self) -> None:
        """``transport.close()`` as the protocol and the app call it: at once,
        unless the request's body is still arriving (then linger, above)."""
        raw = self._raw
        if self._lingering or raw.is_closing():
            return
        if not self._body_unread() or not raw.can_write_eof():
            raw.close()
            return
        self._lingering = True
        self._disarm()
        loop = self.loop  # type: ignore[attr-defined]
        self._linger_ends = loop.time() + LINGER_SECONDS
        try:
            raw.write_eof()  # after what is buffered: the answer goes out whole, then the client sees its end
        except OSError:
            raw.close()
            return
        raw.resume_reading()  # uvicorn may have paused reading while the app held the body unread
        self._linger_timer = loop.call_later(LINGER_IDLE_SECONDS, raw.close)

    def _drop(self, data: bytes) -> None:
        """Bytes that arrived while lingering: dropped; the idle deadline moves on."""
        if self._linger_timer is not None:
            self._linger_timer.cancel()
        loop = self.loop  # type: ignore[attr-defined]
        wait = min(LINGER_IDLE_SECONDS, self._linger_ends - loop.time())
        if wait <= 0:
            self._linger_timer = None
            self._raw.close()
        else:
            self._linger_timer = loop.call_later(wait, self._raw.close)

    def _admit(self, transport) -> None:
        _no_delay(transport)
        limits = self.limits
        address = self.client[0] if self.client else "-"  # type: ignore[attr-defined]
        if self.book is not None:
            why = self.book.admit(address, limits.total, limits.per_client)
            if why is not None:
                self._refuse_for(why)
                return
            self._address = address
            self._arm("header")
            return
        if self.counted[0] >= limits.total:
            self._refuse_for("total")
            return
        if self.open_by_client.get(address, 0) >= limits.per_client:
            self._refuse_for("client")
            return
        self._address = address
        self.counted[0] += 1
        self.open_by_client[address] = self.open_by_client.get(address, 0) + 1
        self._arm("header")  # a connection that never sends a byte is cut too

    def _refuse_for(self, why: str) -> None:
        if why == "total":
            self._refuse(f"the server has {self.limits.total} connections open (--max-connections); retry later")
        else:
            self._refuse(f"this address has {self.limits.per_client} connections open "
                         "(--max-client-connections); close some or retry later")

    def _release(self) -> None:
        self._disarm()
        if self._address is not None and self.book is not None:
            self.book.release(self._address)
            self._address = None
        elif self._address is not None:
            self.counted[0] -= 1
            left = self.open_by_client.get(self._address, 1) - 1
            if left:
                self.open_by_client[self._address] = left
            else:
                self.open_by_client.pop(self._address, None)
            self._address = None

    def _arm(self, phase: str) -> None:
        self._disarm()
        seconds = self.limits.header_timeout if phase == "header" else self.limits.body_timeout
        self._phase = phase
        self._timer = self.loop.call_later(seconds, self._expired)  # type: ignore[attr-defined]

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer, self._phase = None, None

    def _expired(self) -> None:
        phase, self._timer, self._phase = self._phase, None, None
        transport = self.transport  # type: ignore[attr-defined]
        if transport.is_closing():
            return
        if phase == "header":
            text = (f"the request's headers did not arrive within {self.limits.header_timeout:g} s "
                    "(--header-timeout); the connection is closed")
        else:
            text = (f"the request's body did not arrive within {self.limits.body_timeout:g} s "
                    "(--body-timeout); the connection is closed")
        cycle = self.cycle  # type: ignore[attr-defined]
        answering = phase == "body" and cycle is not None and cycle.response_started
        if not answering:  # the app has not begun an answer: this one is the answer
            transport.write(_raw_response(408, "Request Timeout", text))
        self._raw.close()  # at once (no lingering for the slow); the app, if it waits for the body, sees the client gone

    def _refuse(self, text: str) -> None:
        self._raw.write(_raw_response(503, "Service Unavailable", text, "retry-after: 5\r\n"))
        self._raw.close()


def guarded_protocol(limits: ConnectionLimits, *, parser: str = "auto", book: SharedConnections | None = None):
    """A uvicorn HTTP protocol class that enforces ``limits``: a request whose
    headers (or body) do not arrive in time gets ``408`` and its connection
    is closed; a connection past the caps gets ``503`` with ``Retry-After`` at
    once and is closed, before anything is read from it.

    :param book: with several serving processes, the counts they share (the
        caps are then the server's, not each process's).
    :param parser: ``"httptools"`` (uvicorn's protocol over llhttp, in C: less
        CPU per request than h11), ``"h11"`` (pure Python), or
        ``"auto"``: httptools when it is installed.
    """
    if parser == "auto":
        try:
            import httptools  # noqa: F401
            parser = "httptools"
        except ImportError:  # pragma: no cover - a dependency; kept for platforms without its wheel
            parser = "h11"
    shared = {"limits": limits, "open_by_client": {}, "counted": [0], "book": book}
    return (_httptools_protocol if parser == "httptools" else _h11_protocol)(shared)


def _h11_protocol(shared: dict):
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class GuardedH11Protocol(_Guard, H11Protocol):  # type: ignore[misc]  # transport: the lingering wrapper
        def _body_unread(self) -> bool:
            return self.conn.their_state is h11.SEND_BODY

        def data_received(self, data: bytes) -> None:
            if self._lingering:
                self._drop(data)
                return
            if self._timer is None and self.conn.their_state is h11.IDLE:
                self._arm("header")  # the first byte of the next request on a kept-alive connection
            super().data_received(data)

        def handle_events(self) -> None:
            super().handle_events()
            if self.transport.is_closing():
                self._disarm()
                return
            state = self.conn.their_state
            if state is h11.SEND_BODY:
                if self._phase != "body":
                    self._arm("body")
            elif state is h11.IDLE:
                if self._phase != "header" and self.conn.trailing_data[0]:
                    self._arm("header")  # a pipelined request, begun but not whole
            else:  # the request is whole (or the connection is done): nothing more to wait for
                self._disarm()

    for name, value in shared.items():
        setattr(GuardedH11Protocol, name, value)
    return GuardedH11Protocol


def _httptools_protocol(shared: dict):
    import httptools
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class GuardedHttpToolsProtocol(_Guard, HttpToolsProtocol):  # type: ignore[misc]  # transport: the lingering wrapper
        # Where the request being read is: "idle" (between requests), "headers" (begun, headers not
        # whole), "body" (headers whole, body not). The timer follows it after each chunk is parsed.
        _reading = "idle"
        _header_bytes = 0
        _too_large: str | bool = False

        def _body_unread(self) -> bool:
            return self._reading == "body"

        def data_received(self, data: bytes) -> None:
            if self._lingering:
                self._drop(data)
                return
            if self._timer is None and self._reading == "idle":
                self._arm("header")  # the first byte of the next request on a kept-alive connection
            self._unset_keepalive_if_required()
            try:
                self.parser.feed_data(data)
            except httptools.HttpParserUpgrade:  # as uvicorn's own protocol does: the request is answered
                self._disarm()
                if self._should_upgrade():
                    self.handle_websocket_upgrade()
                else:
                    self._unsupported_upgrade_warning()
                return
            except httptools.HttpParserError:
                if self._too_large == "target":
                    self.transport.write(_raw_response(
                        414, "URI Too Long",
                        f"the request's target is longer than {MAX_TARGET_BYTES} bytes; send a long query in a "
                        "POST body"))
                    self.transport.close()
                elif self._too_large:
                    self.transport.write(_raw_response(
                        431, "Request Header Fields Too Large",
                        f"the request's header fields are longer than {MAX_HEADER_BYTES} bytes"))
                    self.transport.close()
                else:
                    self.send_400_response("Invalid HTTP request received.")
            if self.transport.is_closing():
                self._disarm()
            elif self._reading == "body":
                if self._phase != "body":
                    self._arm("body")
            elif self._reading == "headers":
                if self._phase != "header":
                    self._arm("header")  # a pipelined request, begun but not whole
            else:  # the request is whole: nothing more to wait for
                self._disarm()

        # llhttp keeps no limit on a request's line and headers: MAX_HEADER_BYTES is kept here.
        def on_message_begin(self) -> None:
            self._reading, self._header_bytes, self._target_bytes = "headers", 0, 0
            super().on_message_begin()

        def on_url(self, url: bytes) -> None:  # called for each piece of the target as it arrives
            self._target_bytes += len(url)
            if self._target_bytes > MAX_TARGET_BYTES:
                self._too_large = "target"
                raise ValueError("target too long")  # stops the parser: feed_data raises HttpParserError
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._header_bytes += len(name) + len(value) + 4
            if self._header_bytes > MAX_HEADER_BYTES:
                self._too_large = "headers"
                raise ValueError("headers too large")
            super().on_header(name, value)

        def on_headers_complete(self) -> None:
            self._reading = "body"
            super().on_headers_complete()

        def on_message_complete(self) -> None:
            self._reading = "idle"
            super().on_message_complete()

    for name, value in shared.items():
        setattr(GuardedHttpToolsProtocol, name, value)
    return GuardedHttpToolsProtocol


def one_framing(app):
    """ASGI middleware: a request with both ``Content-Length`` and
    ``Transfer-Encoding`` gets 400 and its connection is closed. h11 lets the
    second win (RFC 9112 allows that), but a proxy in front may have read the
    first, and the bytes after the body would then be another request to one
    and part of this one to the other (request smuggling); RFC 9112 says a
    server ought to treat it as an error."""

    async def guarded(scope, receive, send):
        if scope["type"] == "http":
            names = {k for k, _ in scope["headers"]}
            if b"content-length" in names and b"transfer-encoding" in names:
                body = b"refused: a request with both Content-Length and Transfer-Encoding (ambiguous framing)\n"
                await send({"type": "http.response.start", "status": 400,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close"),
                                        (b"content-length", str(len(body)).encode()),
                                        (b"x-content-type-options", b"nosniff"),
                                        (b"content-security-policy", b"default-src 'none'")]})
                await send({"type": "http.response.body", "body": body})
                return
        await app(scope, receive, send)

    return guarded
