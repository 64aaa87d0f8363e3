"""Calling the API in tests: in-process through the dispatcher, or over HTTP."""

from __future__ import annotations

import json
import socket
import urllib.request
from typing import Any, Callable


class ApiError(Exception):
    """The reply carried an error; `str()` is the error text."""


class ApiClient:
    """`call("deckNames")` returns the result at version 6 or raises `ApiError`.

    `call.error("addNote", note=...)` returns the error text and fails the test
    if the action succeeded. `call.raw(request)` returns the reply as sent.
    """

    def __init__(self, send: Callable[[dict[str, Any]], Any]) -> None:
        self._send = send

    def raw(self, request: dict[str, Any]) -> Any:
        return self._send(request)

    def __call__(self, action: str, **params: Any) -> Any:
        reply = self._send({"action": action, "version": 6, "params": params})
        assert isinstance(reply, dict) and set(reply) == {"result", "error"}, reply
        if reply["error"] is not None:
            raise ApiError(reply["error"])
        return reply["result"]

    def error(self, action: str, **params: Any) -> str:
        reply = self._send({"action": action, "version": 6, "params": params})
        assert isinstance(reply, dict) and set(reply) == {"result", "error"}, reply
        assert reply["error"] is not None, f"{action} succeeded with {reply['result']!r}"
        assert reply["result"] is None
        return reply["error"]


def dispatcher_client(dispatcher: Any) -> ApiClient:
    """In-process: the same pipeline as HTTP minus the sockets."""
    return ApiClient(dispatcher.handle)


def http_client(url: str, timeout: float = 60) -> ApiClient:
    def send(request: dict[str, Any]) -> Any:
        body = json.dumps(request).encode()
        with urllib.request.urlopen(urllib.request.Request(url, body), timeout=timeout) as reply:
            return json.loads(reply.read())

    return ApiClient(send)


def raw_exchange(port: int, data: bytes, timeout: float = 10, host: str = "127.0.0.1") -> bytes:
    """Send raw bytes, read until the server closes or a full response arrives."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(data)
        return read_response(sock)


def read_response(sock: socket.socket) -> bytes:
    """One HTTP response (head, then Content-Length bytes, or until close)."""
    return ResponseReader(sock).next()


class ResponseReader:
    """Reads consecutive responses from one connection, keeping what was read ahead."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def _fill(self) -> bool:
        chunk = self.sock.recv(65536)
        self.buffer += chunk
        return bool(chunk)

    def next(self) -> bytes:
        while b"\r\n\r\n" not in self.buffer:
            if not self._fill():
                data, self.buffer = self.buffer, b""
                return data
        head, _, _rest = self.buffer.partition(b"\r\n\r\n")
        length = None
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        if length is None:  # delimited by the connection closing
            while self._fill():
                pass
            data, self.buffer = self.buffer, b""
            return data
        end = len(head) + 4 + length
        while len(self.buffer) < end and self._fill():
            pass
        data, self.buffer = self.buffer[:end], self.buffer[end:]
        return data


def post_raw(sock: socket.socket, request: Any) -> Any:
    """Send one JSON request on an open connection and return the decoded reply body."""
    body = json.dumps(request).encode()
    sock.sendall(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    return json.loads(split_response(ResponseReader(sock).next())[2])


def split_response(raw: bytes) -> tuple[str, list[tuple[str, str]], bytes]:
    """Status line, headers in order, body."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = [tuple(part.strip() for part in line.split(":", 1)) for line in lines[1:]]
    return lines[0], headers, body  # type: ignore[return-value]
