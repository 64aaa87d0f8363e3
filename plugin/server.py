"""A non-blocking HTTP/1.1 server on standard-library sockets.

The server owns no thread and no loop. Whoever drives it (Anki's Qt event
loop through socket notifiers, or a plain `selectors` loop headless) tells it
which sockets are ready (`on_ready`) and calls `tick` now and then for
timeouts. It tells the driver which sockets to watch through a `Watcher`.
Everything therefore runs on the driver's thread, which for the add-on is
Anki's main thread: the collection is never touched from anywhere else.

Guarantees: no call blocks on a client; many clients are served at once; a
request is answered as soon as its last byte is read; a client that goes
silent mid-request is dropped after the request timeout without delaying
anyone; connections are kept alive (HTTP/1.1) and say so.
"""

from __future__ import annotations

import errno
import json
import logging
import socket
import time
from dataclasses import dataclass
from typing import Callable, Protocol

from .http11 import CONTINUE, MAX_HEADER_BYTES, HttpError, HttpRequest, HttpResponse, RequestParser

log = logging.getLogger(__name__)

READ_SIZE = 256 * 1024
"""Bytes asked of a socket per read: enough for a large upload in few calls, small enough that the
buffer CPython allocates for every call (and for the last one, which finds nothing) stays cheap
(reading a 15 KB request costs 4 µs instead of 14 µs with a 1 MiB buffer)."""
ACCEPTS_PER_WAKE = 256


class Watcher(Protocol):
    """The event loop's side: which sockets to watch for what."""

    def watch(self, sock: socket.socket, read: bool, write: bool) -> None: ...

    def unwatch(self, sock: socket.socket) -> None: ...


@dataclass
class ServerLimits:
    max_request_bytes: int
    request_timeout: float = 10.0
    """Seconds a started request may stay silent (and a head may take) before it is dropped."""
    idle_timeout: float = 120.0
    """Seconds an idle keep-alive connection is kept."""
    max_connections: int = 512


class Connection:
    __slots__ = (
        "busy",
        "close_after_flush",
        "eof",
        "head_started",
        "last_activity",
        "outbox",
        "parser",
        "reading",
        "sock",
    )

    def __init__(self, sock: socket.socket, parser: RequestParser, now: float) -> None:
        self.sock = sock
        self.parser = parser
        self.outbox: list[memoryview] = []
        self.close_after_flush = False
        self.busy = False  # a request of this connection is being answered
        self.eof = False  # the client has shut down its sending side
        self.last_activity = now
        self.head_started: float | None = None
        self.reading = True

    @property
    def has_output(self) -> bool:
        return bool(self.outbox)


class HttpServer:
    def __init__(
        self,
        respond: Callable[[HttpRequest], HttpResponse],
        watcher: Watcher,
        limits: ServerLimits,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.respond = respond
        self.watcher = watcher
        self.limits = limits
        self.clock = clock
        self.listener: socket.socket | None = None
        self.connections: dict[socket.socket, Connection] = {}

    # -- lifecycle ---------------------------------------------------------------------

    def listen(self, address: str, port: int, backlog: int) -> None:
        """Bind and listen; raises OSError when the address is taken."""
        self.stop_listening()
        self.listener = open_listener(address, port, backlog)
        self.watcher.watch(self.listener, True, False)

    @property
    def port(self) -> int | None:
        return self.listener.getsockname()[1] if self.listener else None

    def stop_listening(self) -> None:
        """Release the port; open connections keep being served."""
        if self.listener is not None:
            self.watcher.unwatch(self.listener)
            self.listener.close()
            self.listener = None

    def close(self) -> None:
        self.stop_listening()
        for conn in list(self.connections.values()):
            self._close(conn)

    # -- events ------------------------------------------------------------------------

    def on_ready(self, sock: socket.socket, readable: bool, writable: bool) -> None:
        if sock is self.listener:
            self._accept()
            return
        conn = self.connections.get(sock)
        if conn is None:
            return
        if writable and conn.has_output:
            self._flush(conn)
        if readable and conn.sock.fileno() != -1:
            self._read(conn)

    def tick(self) -> None:
        """Drop connections that are silent mid-request, idle too long, or not reading replies."""
        now = self.clock()
        limits = self.limits
        for conn in list(self.connections.values()):
            if conn.busy:
                continue
            silent = now - conn.last_activity
            if conn.has_output:
                if silent > limits.request_timeout:
                    self._close(conn)
            elif conn.parser.has_partial_request:
                head_slow = (
                    not conn.parser.head_received
                    and conn.head_started is not None
                    and now - conn.head_started > limits.request_timeout
                )
                if silent > limits.request_timeout or head_slow:
                    self._fail(conn, HttpError(408, "request timed out"))
            elif silent > limits.idle_timeout:
                self._close(conn)

    # -- accepting ---------------------------------------------------------------------

    def _accept(self) -> None:
        listener = self.listener
        if listener is None:
            return
        for _ in range(ACCEPTS_PER_WAKE):
            try:
                sock, _address = listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as error:  # e.g. EMFILE: try again on the next wake
                log.warning("accept failed: %s", error)
                return
            sock.setblocking(False)
            if len(self.connections) >= self.limits.max_connections:
                _refuse(sock)
                continue
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:
                pass
            parser = RequestParser(max_header_bytes=MAX_HEADER_BYTES, max_body_bytes=self.limits.max_request_bytes)
            conn = Connection(sock, parser, self.clock())
            self.connections[sock] = conn
            # The request often arrives with the connection: answer it now. Reading
            # ends by watching the socket for what comes next, or by closing it.
            self._read(conn)

    # -- reading -----------------------------------------------------------------------

    def _read(self, conn: Connection) -> None:
        received = False
        while True:
            try:
                data = conn.sock.recv(READ_SIZE)
            except (BlockingIOError, InterruptedError):
                break
            except OSError:
                self._close(conn)
                return
            if not data:
                conn.eof = True
                break
            received = True
            conn.parser.feed(data)
            if conn.busy and conn.parser.buffered > self.limits.max_request_bytes:
                break  # wait for the answer in progress before buffering more
        now = self.clock()
        if received:
            conn.last_activity = now
            if conn.head_started is None:
                conn.head_started = now
        if conn.busy:
            # Answering a request of this connection is in progress further up the
            # stack (a modal dialog runs Qt's loop). Its loop picks up the rest.
            self._update_watch(conn)
            return
        self._process(conn)

    def _process(self, conn: Connection) -> None:
        while conn.sock.fileno() != -1 and not conn.close_after_flush:
            try:
                request = conn.parser.next_request()
                if request is None and conn.parser.wants_continue():
                    self._send(conn, CONTINUE)
            except HttpError as error:
                self._fail(conn, error)
                return
            if request is None:
                break
            conn.head_started = None
            self._answer(conn, request)
        if conn.sock.fileno() == -1:
            return
        if conn.eof and not conn.close_after_flush:
            if conn.has_output:
                conn.close_after_flush = True
            else:
                self._close(conn)
                return
        self._update_watch(conn)

    def _answer(self, conn: Connection, request: HttpRequest) -> None:
        conn.busy = True
        try:
            response = self.respond(request)
        except Exception:
            log.exception("unhandled error answering a request")
            response = _error_response(500, "internal server error")
        finally:
            conn.busy = False
        keep_alive = request.keep_alive and not response.close and self.listener is not None
        response.headers.append(("Connection", "keep-alive" if keep_alive else "close"))
        if keep_alive:
            response.headers.append(("Keep-Alive", f"timeout={int(self.limits.idle_timeout)}"))
        conn.last_activity = self.clock()
        self._send(conn, response.to_bytes())
        if not keep_alive:
            conn.close_after_flush = True
            if not conn.has_output:
                self._close(conn)

    # -- writing -----------------------------------------------------------------------

    def _send(self, conn: Connection, data: bytes) -> None:
        if conn.sock.fileno() == -1:
            return
        conn.outbox.append(memoryview(data))
        self._flush(conn)

    def _flush(self, conn: Connection) -> None:
        while conn.outbox:
            chunk = conn.outbox[0]
            try:
                sent = conn.sock.send(chunk)
            except (BlockingIOError, InterruptedError):
                break
            except OSError:  # the client went away before reading its reply
                self._close(conn)
                return
            conn.last_activity = self.clock()
            if sent < len(chunk):
                conn.outbox[0] = chunk[sent:]
                break
            conn.outbox.pop(0)
        if not conn.outbox and conn.close_after_flush:
            self._close(conn)
            return
        self._update_watch(conn)

    def _update_watch(self, conn: Connection) -> None:
        if conn.sock.fileno() == -1:
            return
        # Stop reading while a reply waits to be taken or after EOF (a level-triggered
        # notifier would otherwise fire without end), and while too much is buffered.
        reading = not conn.eof and not conn.close_after_flush
        if conn.busy and conn.parser.buffered > self.limits.max_request_bytes:
            reading = False
        self.watcher.watch(conn.sock, reading, conn.has_output)
        conn.reading = reading

    # -- closing -----------------------------------------------------------------------

    def _fail(self, conn: Connection, error: HttpError) -> None:
        """Answer a framing error and close."""
        conn.outbox.clear()
        conn.close_after_flush = True
        response = _error_response(error.status, error.message)
        response.headers.append(("Connection", "close"))
        self._send(conn, response.to_bytes())

    def _close(self, conn: Connection) -> None:
        if self.connections.pop(conn.sock, None) is None:
            return
        if conn.sock.fileno() != -1:
            self.watcher.unwatch(conn.sock)
        try:
            conn.sock.close()
        except OSError:
            pass


def _error_response(status: int, message: str) -> HttpResponse:
    body = json.dumps({"result": None, "error": message}).encode("ascii")
    return HttpResponse(
        status,
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
        body,
        close=True,
    )


def _refuse(sock: socket.socket) -> None:
    response = _error_response(503, "too many connections")
    response.headers.append(("Connection", "close"))
    try:
        sock.send(response.to_bytes())
    except OSError:
        pass
    sock.close()


def open_listener(address: str, port: int, backlog: int) -> socket.socket:
    """A non-blocking listening socket; IPv6 when the address says so."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if hasattr(socket, "SO_EXCLUSIVEADDRUSE"):  # Windows: never share the port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
        else:  # POSIX: allow restarting while old connections linger in TIME_WAIT
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((address, port))
        sock.listen(max(backlog, 1))
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


def is_address_in_use(error: OSError) -> bool:
    return error.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1))
