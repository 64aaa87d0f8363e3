"""HTTP framing, fed raw bytes: split at every position, oversized, malformed."""

from __future__ import annotations

import pytest

from plugin.http11 import CONTINUE, HttpError, HttpRequest, HttpResponse, RequestParser

LIMIT = 1024


def parse_all(*pieces: bytes, max_body: int = LIMIT) -> list[HttpRequest]:
    parser = RequestParser(max_body_bytes=max_body)
    requests = []
    for piece in pieces:
        parser.feed(piece)
        while (request := parser.next_request()) is not None:
            requests.append(request)
    return requests


def every_split(data: bytes) -> list[list[bytes]]:
    return [[data[:i], data[i:]] for i in range(len(data) + 1)]


POST = b'POST / HTTP/1.1\r\nHost: localhost:8765\r\nContent-Length: 20\r\n\r\n{"action":"version"}'


def test_a_request_with_content_length() -> None:
    (request,) = parse_all(POST)
    assert request.method == "POST"
    assert request.target == "/"
    assert request.http_version == "HTTP/1.1"
    assert request.headers == {"host": "localhost:8765", "content-length": "20"}
    assert request.body == b'{"action":"version"}'


@pytest.mark.parametrize("pieces", every_split(POST))
def test_split_at_every_position_gives_the_same_request(pieces: list[bytes]) -> None:
    (request,) = parse_all(*pieces)
    assert request.body == b'{"action":"version"}'
    assert request.header("Host") == "localhost:8765"


def test_one_byte_at_a_time() -> None:
    (request,) = parse_all(*[POST[i : i + 1] for i in range(len(POST))])
    assert request.body == b'{"action":"version"}'


def test_bare_line_feeds_are_accepted() -> None:
    (request,) = parse_all(b"POST / HTTP/1.1\nContent-Length: 2\n\n{}")
    assert request.body == b"{}"


def test_missing_content_length_means_an_empty_body() -> None:
    (request,) = parse_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert request.body == b""


def test_pipelined_requests_come_out_in_order() -> None:
    first = b"POST /a HTTP/1.1\r\nContent-Length: 1\r\n\r\n1"
    second = b"POST /b HTTP/1.1\r\nContent-Length: 1\r\n\r\n2"
    requests = parse_all(first + second)
    assert [(r.target, r.body) for r in requests] == [("/a", b"1"), ("/b", b"2")]


def test_header_names_are_case_insensitive_and_the_first_value_wins() -> None:
    (request,) = parse_all(b"GET / HTTP/1.1\r\nORIGIN: a\r\norigin: b\r\nX-Empty:\r\n\r\n")
    assert request.header("origin") == "a"
    assert request.header("x-empty") == ""


CHUNKED = (
    b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
    b'7;ext=1\r\n{"actio\r\n'
    b'c\r\nn": "version\r\n'
    b'2\r\n"}\r\n'
    b"0\r\nX-Trailer: yes\r\n\r\n"
)


def test_chunked_body() -> None:
    (request,) = parse_all(CHUNKED)
    assert request.body == b'{"action": "version"}'


@pytest.mark.parametrize("pieces", every_split(CHUNKED))
def test_chunked_body_split_anywhere(pieces: list[bytes]) -> None:
    (request,) = parse_all(*pieces)
    assert request.body == b'{"action": "version"}'


def test_chunked_then_another_request() -> None:
    data = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n0\r\n\r\n" + POST
    requests = parse_all(data)
    assert [r.body for r in requests] == [b"ab", b'{"action":"version"}']


def test_headers_over_the_limit_are_refused_with_431() -> None:
    parser = RequestParser(max_body_bytes=LIMIT)
    parser.feed(b"GET / HTTP/1.1\r\nX-Big: " + b"a" * (64 * 1024 + 1))
    with pytest.raises(HttpError) as raised:
        parser.next_request()
    assert raised.value.status == 431


def test_a_content_length_over_the_limit_is_refused_before_the_body_arrives() -> None:
    parser = RequestParser(max_body_bytes=LIMIT)
    parser.feed(b"POST / HTTP/1.1\r\nContent-Length: 1025\r\n\r\n")
    with pytest.raises(HttpError) as raised:
        parser.next_request()
    assert (raised.value.status, raised.value.message) == (413, "request body is too large")


def test_a_chunked_body_over_the_limit_is_refused() -> None:
    parser = RequestParser(max_body_bytes=10)
    parser.feed(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n")
    with pytest.raises(HttpError) as raised:
        parser.next_request()
    assert raised.value.status == 413


@pytest.mark.parametrize(
    "data",
    [
        b"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
        b"POST / HTTP/1.1\r\nContent-Length: ten\r\n\r\n",
        b"NONSENSE\r\n\r\n",
        b"POST / FTP/1.0\r\n\r\n",
        b"POST / HTTP/1.1\r\n: no name\r\n\r\n",
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY",
    ],
)
def test_malformed_requests_are_refused_with_400(data: bytes) -> None:
    parser = RequestParser(max_body_bytes=LIMIT)
    parser.feed(data)
    with pytest.raises(HttpError) as raised:
        parser.next_request()
    assert raised.value.status == 400


def test_a_body_shorter_than_its_content_length_waits() -> None:
    parser = RequestParser(max_body_bytes=LIMIT)
    parser.feed(b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n12345")
    assert parser.next_request() is None
    assert parser.has_partial_request
    assert parser.head_received


def test_expect_100_continue_is_asked_once_while_the_body_is_missing() -> None:
    parser = RequestParser(max_body_bytes=LIMIT)
    parser.feed(b"POST / HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
    assert parser.next_request() is None
    assert parser.wants_continue() is True
    assert parser.wants_continue() is False
    parser.feed(b"{}")
    request = parser.next_request()
    assert request is not None and request.body == b"{}"
    assert CONTINUE == b"HTTP/1.1 100 Continue\r\n\r\n"


@pytest.mark.parametrize(
    ("version", "connection", "keep_alive"),
    [
        ("HTTP/1.1", None, True),
        ("HTTP/1.1", "close", False),
        ("HTTP/1.1", "Keep-Alive, Upgrade", True),
        ("HTTP/1.0", None, False),
        ("HTTP/1.0", "keep-alive", True),
    ],
)
def test_keep_alive(version: str, connection: str | None, keep_alive: bool) -> None:
    headers = {"connection": connection} if connection else {}
    assert HttpRequest("POST", "/", version, headers).keep_alive is keep_alive


def test_response_bytes() -> None:
    response = HttpResponse(200, [("Content-Type", "application/json"), ("Content-Length", "1")], b"6")
    assert response.to_bytes() == b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1\r\n\r\n6"
