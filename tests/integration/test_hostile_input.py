"""Bad input and misbehaving clients against real Anki: a clear answer, nothing lost, service goes on."""

from __future__ import annotations

import json
import socket
import struct
import threading
from pathlib import Path
from typing import Iterator

import pytest

from tests.support.anki import RunningAnki, start_anki
from tests.support.client import ResponseReader, http_client, raw_exchange, read_response, split_response

MAX_BODY = 1024 * 1024


@pytest.fixture(scope="module")
def anki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningAnki]:
    running = start_anki(
        tmp_path_factory.mktemp("hostile"),
        config={"webTimeout": 1000, "webMaxRequestBytes": MAX_BODY, "apiKey": None},
    )
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def collection_stays_intact(anki: RunningAnki) -> Iterator[None]:
    yield
    assert anki.probe("result = mw.col.db.scalar('pragma integrity_check')") == "ok"
    assert anki.error_dialogs() == []
    # and the server still answers
    assert http_client(anki.url)("version") == 6


def post(body: bytes, *headers: bytes, length: int | None = None) -> bytes:
    size = len(body) if length is None else length
    lines = [b"POST / HTTP/1.1", b"Host: 127.0.0.1", b"Content-Length: %d" % size, *headers]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def reply_of(anki: RunningAnki, body: bytes, *headers: bytes) -> tuple[str, bytes]:
    status, _, payload = split_response(raw_exchange(anki.port, post(body, *headers)))
    return status, payload


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"{not json", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
        (b"[1, 2, 3]", "[1, 2, 3] is not of type 'object'"),
        (b'"deckNames"', "'deckNames' is not of type 'object'"),
        (b"\xc3\x28", "'utf-8' codec can't decode byte 0xc3 in position 0: invalid continuation byte"),
        (b'{"action": "version", "params": "x"}', "'x' is not of type 'object'"),
        (b"[" * 50_000 + b"]" * 50_000, "request is nested too deeply"),
    ],
)
def test_malformed_bodies_get_a_json_error(anki: RunningAnki, body: bytes, error: str) -> None:
    status, payload = reply_of(anki, body)
    assert status == "HTTP/1.1 200 OK"
    assert json.loads(payload) == {"result": None, "error": error}


def test_wrong_parameter_types_get_a_clear_error(anki: RunningAnki) -> None:
    status, payload = reply_of(anki, b'{"action": "apiReflect", "version": 6, "params": {"scopes": 5}}')
    assert (status, json.loads(payload)) == ("HTTP/1.1 200 OK", {"result": None, "error": "scopes has invalid value"})
    _, payload = reply_of(anki, b'{"action": "multi", "version": 6, "params": {"actions": 5}}')
    assert json.loads(payload) == {"result": None, "error": "actions has invalid value"}


def test_a_content_length_shorter_than_the_body(anki: RunningAnki) -> None:
    body = b'{"action": "version", "version": 6}'
    with socket.create_connection(("127.0.0.1", anki.port), timeout=10) as sock:
        sock.sendall(post(body, length=10))  # the server reads 10 bytes; the rest is not a request
        reader = ResponseReader(sock)
        first = json.loads(split_response(reader.next())[2])
        assert first == {"result": None, "error": "Expecting value: line 1 column 11 (char 10)"}
        # the leftover bytes never form a request head: dropped after webTimeout
        second = reader.next()
        assert second.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
        assert sock.recv(1) == b""  # and the connection is closed


def test_a_content_length_longer_than_the_body_times_out_with_408(anki: RunningAnki) -> None:
    with socket.create_connection(("127.0.0.1", anki.port), timeout=10) as sock:
        sock.sendall(post(b'{"action": "version"}', length=100))
        # meanwhile others are served
        assert http_client(anki.url)("version") == 6
        raw = read_response(sock)  # after webTimeout (1 s here)
        assert raw.startswith(b"HTTP/1.1 408 Request Timeout\r\n")
        assert split_response(raw)[2] == b'{"result": null, "error": "request timed out"}'


def test_headers_over_64_kib_get_431(anki: RunningAnki) -> None:
    raw = raw_exchange(anki.port, post(b"{}", b"X-Filler: " + b"a" * (65 * 1024)))
    assert raw.startswith(b"HTTP/1.1 431 Request Header Fields Too Large\r\n")


def test_a_body_over_the_configured_limit_gets_413_before_it_is_sent(anki: RunningAnki) -> None:
    with socket.create_connection(("127.0.0.1", anki.port), timeout=10) as sock:
        sock.sendall(post(b"", length=MAX_BODY + 1))
        raw = read_response(sock)
    assert raw.startswith(b"HTTP/1.1 413 Content Too Large\r\n")
    assert split_response(raw)[2] == b'{"result": null, "error": "request body is too large"}'


def test_a_request_split_into_one_byte_writes(anki: RunningAnki) -> None:
    data = post(b'{"action": "multi", "version": 6, "params": {"actions": [{"action": "version"}]}}')
    with socket.create_connection(("127.0.0.1", anki.port), timeout=10) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for i in range(len(data)):
            sock.send(data[i : i + 1])
        assert split_response(read_response(sock))[2] == b'{"result": [6], "error": null}'


def test_multi_nested_too_deeply(anki: RunningAnki) -> None:
    request: dict = {"action": "version", "version": 6}
    for _ in range(40):
        request = {"action": "multi", "version": 6, "params": {"actions": [request]}}
    status, payload = reply_of(anki, json.dumps(request).encode())
    text = payload.decode()
    assert status == "HTTP/1.1 200 OK"
    assert '"error": "multi is nested more than 16 levels deep"' in text


def test_a_silent_half_request_delays_no_one(anki: RunningAnki) -> None:
    with socket.create_connection(("127.0.0.1", anki.port), timeout=10) as silent:
        silent.sendall(b"POST / HTTP/1.1\r\nContent-Le")
        api = http_client(anki.url)
        assert [api("version") for _ in range(20)] == [6] * 20
        assert read_response(silent).startswith(b"HTTP/1.1 408 Request Timeout\r\n")


def test_clients_that_vanish_before_their_reply(anki: RunningAnki) -> None:
    body = b'{"action": "apiReflect", "version": 6, "params": {"scopes": ["actions"]}}'
    for _ in range(50):
        sock = socket.create_connection(("127.0.0.1", anki.port), timeout=10)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.sendall(post(body))
        sock.close()
    assert http_client(anki.url)("version") == 6


def test_200_clients_connecting_at_once(anki: RunningAnki) -> None:
    clients = [socket.create_connection(("127.0.0.1", anki.port), timeout=30) for _ in range(200)]
    try:
        for sock in clients:
            sock.sendall(post(b'{"action": "version", "version": 6}'))
        replies = [split_response(read_response(sock))[2] for sock in clients]
    finally:
        for sock in clients:
            sock.close()
    assert replies == [b'{"result": 6, "error": null}'] * 200


def test_200_clients_in_parallel_threads(anki: RunningAnki) -> None:
    results: list[object] = []
    lock = threading.Lock()

    def client() -> None:
        value = http_client(anki.url)("getActiveProfile")
        with lock:
            results.append(value)

    threads = [threading.Thread(target=client) for _ in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert results == ["User 1"] * 200


def test_a_rebinding_host_is_refused(anki: RunningAnki) -> None:
    raw = raw_exchange(
        anki.port, b'POST / HTTP/1.1\r\nHost: attacker.example:8765\r\nContent-Length: 21\r\n\r\n{"action": "version"}'
    )
    assert raw.startswith(b"HTTP/1.1 403 Forbidden\r\n")


def test_a_disallowed_origin_is_refused_before_anything_runs(anki: RunningAnki, tmp_path: Path) -> None:
    target = tmp_path / "exported.apkg"
    body = json.dumps(
        {"action": "exportPackage", "version": 6, "params": {"deck": "Default", "path": str(target)}}
    ).encode()
    status, payload = reply_of(anki, body, b"Origin: https://attacker.example")
    assert (status, payload) == ("HTTP/1.1 403 Forbidden", b"")
    assert not target.exists()
    # the same request without an Origin runs
    status, payload = reply_of(anki, body)
    assert json.loads(payload) == {"result": True, "error": None}
    assert target.exists()
