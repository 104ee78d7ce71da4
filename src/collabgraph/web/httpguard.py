"""Connection limits for ``collabgraph serve``, below the ASGI app: a deadline
for a request's headers and one for its body, and caps on open connections
overall and per client address, kept under the process's open-file limit.

Why here and not in uvicorn's options: uvicorn has no timeout for reading a
request (its ``timeout_keep_alive`` runs only *between* requests and is
cancelled by the first byte of the next one, so a client sending a byte a
second holds its connection for ever), and its ``limit_concurrency`` answers
503 only once a whole request has arrived, which a slow client never sends.
ASGI middleware cannot help either: it runs after the headers are parsed. So
:func:`guarded_protocol` subclasses uvicorn's h11 protocol (the one it uses
when httptools is absent, and the one :func:`collabgraph.web.server.serve` asks
for) and arms a timer when a request starts and when its headers are in.
It uses the protocol's ``conn`` (the h11 connection), ``cycle``,
``transport``, ``client`` and ``handle_events``, stable across uvicorn's
releases; ``tests/test_server_slow.py`` fails if they change.

>>> limits = ConnectionLimits(header_timeout=10, body_timeout=30, total=1000, per_client=100)
>>> limits.within_fd_limit(soft=1024, workers=2)
ConnectionLimits(header_timeout=10, body_timeout=30, total=692, per_client=100, backlog=128)
>>> limits.within_fd_limit(soft=256, workers=1)
ConnectionLimits(header_timeout=10, body_timeout=30, total=120, per_client=60, backlog=32)
"""

from __future__ import annotations

import asyncio
import dataclasses
import socket
from dataclasses import dataclass

__all__ = ["ConnectionLimits", "guarded_protocol", "raise_open_file_limit", "one_framing"]


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


def guarded_protocol(limits: ConnectionLimits):
    """A uvicorn h11 protocol class that enforces ``limits``: a request whose
    headers (or body) do not arrive in time gets ``408`` and its connection
    is closed; a connection past the caps gets ``503`` with ``Retry-After`` at
    once and is closed, before anything is read from it."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    open_by_client: dict[str, int] = {}
    counted = [0]

    class GuardedH11Protocol(H11Protocol):
        _timer: asyncio.TimerHandle | None = None
        _phase: str | None = None
        _address: str | None = None

        def connection_made(self, transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            _no_delay(transport)
            address = self.client[0] if self.client else "-"
            if counted[0] >= limits.total:
                self._refuse(f"the server has {limits.total} connections open (--max-connections); retry later")
                return
            if open_by_client.get(address, 0) >= limits.per_client:
                self._refuse(f"this address has {limits.per_client} connections open "
                             "(--max-client-connections); close some or retry later")
                return
            self._address = address
            counted[0] += 1
            open_by_client[address] = open_by_client.get(address, 0) + 1
            self._arm("header")  # a connection that never sends a byte is cut too

        def connection_lost(self, exc) -> None:
            self._disarm()
            if self._address is not None:
                counted[0] -= 1
                left = open_by_client.get(self._address, 1) - 1
                if left:
                    open_by_client[self._address] = left
                else:
                    open_by_client.pop(self._address, None)
                self._address = None
            super().connection_lost(exc)

        def data_received(self, data: bytes) -> None:
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

        def _arm(self, phase: str) -> None:
            self._disarm()
            seconds = limits.header_timeout if phase == "header" else limits.body_timeout
            self._phase = phase
            self._timer = self.loop.call_later(seconds, self._expired)

        def _disarm(self) -> None:
            if self._timer is not None:
                self._timer.cancel()
            self._timer, self._phase = None, None

        def _expired(self) -> None:
            phase, self._timer, self._phase = self._phase, None, None
            if self.transport.is_closing():
                return
            if phase == "header":
                text = (f"the request's headers did not arrive within {limits.header_timeout:g} s "
                        "(--header-timeout); the connection is closed")
            else:
                text = (f"the request's body did not arrive within {limits.body_timeout:g} s "
                        "(--body-timeout); the connection is closed")
            cycle = self.cycle
            answering = phase == "body" and cycle is not None and cycle.response_started
            if not answering:  # the app has not begun an answer: this one is the answer
                self.transport.write(_raw_response(408, "Request Timeout", text))
            self.transport.close()  # the app, if it waits for the body, sees the client gone

        def _refuse(self, text: str) -> None:
            self.transport.write(_raw_response(503, "Service Unavailable", text, "retry-after: 5\r\n"))
            self.transport.close()

    return GuardedH11Protocol


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
