"""The socket server on real loopback sockets, driven by the plain selector loop."""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from typing import Iterator

import pytest

from plugin.http11 import HttpRequest, HttpResponse
from plugin.loop import SelectorLoop, SelectorWatcher
from plugin.server import HttpServer, ServerLimits
from tests.support.client import ResponseReader, read_response, split_response

BIG = 8 * 1024 * 1024


def respond(request: HttpRequest) -> HttpResponse:
    if request.body == b"boom":
        raise RuntimeError("a bug")
    body = b"x" * BIG if request.body == b"big" else json.dumps({"echo": request.body.decode()}).encode()
    return HttpResponse(200, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))], body)


class Harness:
    def __init__(self, limits: ServerLimits) -> None:
        self.watcher = SelectorWatcher()
        self.server = HttpServer(respond, self.watcher, limits)
        self.server.listen("127.0.0.1", 0, 256)
        self.loop = SelectorLoop(self.watcher, tick_seconds=0.02)
        self.thread = threading.Thread(target=self.loop.run, args=(self.server,), daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        port = self.server.port
        assert port is not None
        return port

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=10)

    def stop(self) -> None:
        self.loop.stop()
        self.thread.join(5)
        self.server.close()


@pytest.fixture
def limits() -> ServerLimits:
    return ServerLimits(max_request_bytes=1024 * 1024, request_timeout=0.5, idle_timeout=1.0, max_connections=300)


@pytest.fixture
def harness(limits: ServerLimits) -> Iterator[Harness]:
    harness = Harness(limits)
    yield harness
    harness.stop()


def post(body: bytes, version: str = "HTTP/1.1", extra: bytes = b"") -> bytes:
    return b"POST / " + version.encode() + b"\r\nContent-Length: %d\r\n" % len(body) + extra + b"\r\n" + body


def header(raw: bytes, name: str) -> str | None:
    _, headers, _ = split_response(raw)
    return dict(headers).get(name)


def closed_by_server(sock: socket.socket) -> bool:
    sock.settimeout(5)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True


def test_keep_alive_serves_several_requests_on_one_connection(harness: Harness) -> None:
    with harness.connect() as sock:
        for text in (b"one", b"two"):
            sock.sendall(post(text))
            raw = read_response(sock)
            assert raw.endswith(b'{"echo": "' + text + b'"}')
            assert header(raw, "Connection") == "keep-alive"
            assert header(raw, "Keep-Alive") == "timeout=1"


def test_http_1_0_is_answered_then_closed(harness: Harness) -> None:
    with harness.connect() as sock:
        sock.sendall(post(b"old", "HTTP/1.0"))
        raw = read_response(sock)
        assert header(raw, "Connection") == "close"
        assert closed_by_server(sock)


def test_connection_close_is_honoured(harness: Harness) -> None:
    with harness.connect() as sock:
        sock.sendall(post(b"bye", extra=b"Connection: close\r\n"))
        assert header(read_response(sock), "Connection") == "close"
        assert closed_by_server(sock)


def test_pipelined_requests_are_answered_in_order(harness: Harness) -> None:
    with harness.connect() as sock:
        sock.sendall(post(b"first") + post(b"second"))
        reader = ResponseReader(sock)
        assert reader.next().endswith(b'"first"}')
        assert reader.next().endswith(b'"second"}')


def test_a_request_written_one_byte_at_a_time(harness: Harness) -> None:
    data = post(b"slowly")
    with harness.connect() as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for i in range(len(data)):
            sock.send(data[i : i + 1])
        assert read_response(sock).endswith(b'"slowly"}')


def test_a_chunked_request(harness: Harness) -> None:
    with harness.connect() as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n")
        assert read_response(sock).endswith(b'{"echo": "abcde"}')


def test_expect_100_continue(harness: Harness) -> None:
    with harness.connect() as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
        assert sock.recv(100) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(b"body")
        assert read_response(sock).endswith(b'{"echo": "body"}')


def test_a_silent_client_delays_no_one_and_is_dropped_with_408(harness: Harness) -> None:
    with harness.connect() as silent:
        silent.sendall(b"POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nonly part")
        with harness.connect() as other:
            other.sendall(post(b"meanwhile"))
            assert read_response(other).endswith(b'"meanwhile"}')
        raw = read_response(silent)  # arrives once the request timeout (0.5 s) passes
        assert raw.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
        assert split_response(raw)[2] == b'{"result": null, "error": "request timed out"}'
        assert closed_by_server(silent)


def test_a_client_that_disconnects_before_its_reply_does_not_hurt_the_server(harness: Harness) -> None:
    for _ in range(20):
        sock = harness.connect()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset on close
        sock.sendall(post(b"big"[:3]))
        sock.close()
    with harness.connect() as sock:
        sock.sendall(post(b"still here"))
        assert read_response(sock).endswith(b'"still here"}')


def test_200_clients_at_once(harness: Harness) -> None:
    clients = [harness.connect() for _ in range(200)]
    try:
        for number, sock in enumerate(clients):
            sock.sendall(post(str(number).encode()))
        for number, sock in enumerate(clients):
            assert read_response(sock).endswith(b'{"echo": "%d"}' % number)
    finally:
        for sock in clients:
            sock.close()


def test_a_large_reply_to_a_slow_reader_does_not_block_others(harness: Harness) -> None:
    with harness.connect() as slow:
        slow.sendall(post(b"big"))
        time.sleep(0.05)  # the server has written what fits and waits for the reader
        with harness.connect() as other:
            other.sendall(post(b"quick"))
            assert read_response(other).endswith(b'"quick"}')
        raw = read_response(slow)
        assert len(split_response(raw)[2]) == BIG


def test_an_error_in_the_handler_is_a_500_and_the_server_goes_on(harness: Harness) -> None:
    with harness.connect() as sock:
        sock.sendall(post(b"boom"))
        raw = read_response(sock)
        assert raw.startswith(b"HTTP/1.1 500 Internal Server Error\r\n")
        assert split_response(raw)[2] == b'{"result": null, "error": "internal server error"}'
    with harness.connect() as sock:
        sock.sendall(post(b"after"))
        assert read_response(sock).endswith(b'"after"}')


def test_a_body_over_the_limit_gets_413_without_being_read(harness: Harness) -> None:
    with harness.connect() as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n")
        raw = read_response(sock)
        assert raw.startswith(b"HTTP/1.1 413 Content Too Large\r\n")
        assert split_response(raw)[2] == b'{"result": null, "error": "request body is too large"}'


def test_headers_over_64_kib_get_431(harness: Harness) -> None:
    with harness.connect() as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nX-Filler: " + b"a" * (65 * 1024) + b"\r\n\r\n")
        assert read_response(sock).startswith(b"HTTP/1.1 431 Request Header Fields Too Large\r\n")


def test_a_malformed_request_gets_400(harness: Harness) -> None:
    with harness.connect() as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nContent-Length: nope\r\n\r\n")
        assert read_response(sock).startswith(b"HTTP/1.1 400 Bad Request\r\n")


def test_idle_keep_alive_connections_are_closed(harness: Harness) -> None:
    with harness.connect() as sock:
        sock.sendall(post(b"once"))
        read_response(sock)
        assert closed_by_server(sock)  # after the idle timeout (1 s)


class TestConnectionLimit:
    @pytest.fixture
    def limits(self) -> ServerLimits:
        return ServerLimits(max_request_bytes=1024, request_timeout=5, idle_timeout=5, max_connections=3)

    def test_connections_over_the_limit_get_503(self, harness: Harness) -> None:
        held = [harness.connect() for _ in range(3)]
        try:
            for sock in held:  # make sure all three are accepted
                sock.sendall(post(b"hold"))
                read_response(sock)
            with harness.connect() as extra:
                raw = read_response(extra)
                assert raw.startswith(b"HTTP/1.1 503 Service Unavailable\r\n")
        finally:
            for sock in held:
                sock.close()


def test_stop_listening_releases_the_port_but_finishes_open_connections(harness: Harness) -> None:
    port = harness.port
    with harness.connect() as sock:
        sock.sendall(post(b"before"))
        read_response(sock)
        harness.server.stop_listening()
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=2)
        sock.sendall(post(b"after"))
        raw = read_response(sock)
        assert raw.endswith(b'"after"}')
        assert header(raw, "Connection") == "close"
