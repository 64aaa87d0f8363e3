"""HTTP/1.1 framing kept apart from I/O: bytes in, requests out.

`RequestParser` is fed whatever a socket produced and yields complete requests.
It never touches a socket, a clock or Anki, so it is tested by feeding it raw
bytes split at every position. Size limits are explicit; breaking one raises
`HttpError` carrying the status code the server answers with.

The buffer is scanned incrementally: a large body costs one copy when it is
complete, not one re-parse per read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_HEADER_BYTES = 64 * 1024
"""Request line plus headers; more is refused with 431."""

_MAX_CHUNK_LINE = 1024


class HttpError(Exception):
    """A request that cannot be framed; the connection answers `status` and closes."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class HttpRequest:
    method: str
    target: str
    http_version: str
    headers: dict[str, str] = field(default_factory=dict)
    """Header names lower-cased; a repeated header keeps its first value."""
    body: bytes = b""

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    @property
    def keep_alive(self) -> bool:
        tokens = {t.strip().lower() for t in self.headers.get("connection", "").split(",")}
        if self.http_version == "HTTP/1.0":
            return "keep-alive" in tokens
        return "close" not in tokens


@dataclass
class _Head:
    request: HttpRequest
    content_length: int
    chunked: bool
    expects_continue: bool


class RequestParser:
    """Incremental parser for a stream of (possibly pipelined) requests."""

    def __init__(self, *, max_header_bytes: int = MAX_HEADER_BYTES, max_body_bytes: int) -> None:
        self.max_header_bytes = max_header_bytes
        self.max_body_bytes = max_body_bytes
        self._buffer = bytearray()
        self._scanned = 0  # bytes of the buffer already searched for the end of the head
        self._head: _Head | None = None
        self._continue_sent = False
        self._chunks = bytearray()  # body of a chunked request decoded so far

    # -- input -------------------------------------------------------------------------

    def feed(self, data: bytes) -> None:
        self._buffer += data

    @property
    def buffered(self) -> int:
        return len(self._buffer)

    @property
    def has_partial_request(self) -> bool:
        """True when some bytes of a request that is not complete yet have arrived."""
        return self._head is not None or bool(self._buffer)

    @property
    def head_received(self) -> bool:
        """True while the head of the current request is parsed and its body is awaited."""
        return self._head is not None

    def wants_continue(self) -> bool:
        """True once, when the client asked for `100 Continue` and its body is still missing."""
        if self._head is None or not self._head.expects_continue or self._continue_sent:
            return False
        self._continue_sent = True
        return True

    # -- output ------------------------------------------------------------------------

    def next_request(self) -> HttpRequest | None:
        """The next complete request, or None until more bytes arrive."""
        if self._head is None:
            self._head = self._parse_head()
            if self._head is None:
                return None
            self._continue_sent = False
        head = self._head
        body = self._read_chunked() if head.chunked else self._read_sized(head.content_length)
        if body is None:
            return None
        self._head = None
        head.request.body = body
        return head.request

    # -- head --------------------------------------------------------------------------

    def _parse_head(self) -> _Head | None:
        buffer = self._buffer
        # Tolerate blank lines between pipelined requests (RFC 9112 §2.2).
        while buffer[:2] == b"\r\n" or buffer[:1] == b"\n":
            del buffer[: 2 if buffer[:2] == b"\r\n" else 1]
        start = max(0, self._scanned - 3)
        # A head never extends past the limit, so neither does the search: a large
        # body that arrived with its head is not scanned.
        end, separator = _find_head_end(buffer, start, self.max_header_bytes + 4)
        if end < 0:
            self._scanned = len(buffer)
            if len(buffer) > self.max_header_bytes:
                raise HttpError(431, "request headers are too large")
            return None
        if end > self.max_header_bytes:
            raise HttpError(431, "request headers are too large")
        raw = bytes(buffer[:end])
        del buffer[: end + separator]
        self._scanned = 0
        return self._interpret_head(raw)

    def _interpret_head(self, raw: bytes) -> _Head:
        try:
            text = raw.decode("latin-1")
        except UnicodeDecodeError:  # pragma: no cover - latin-1 decodes every byte
            raise HttpError(400, "malformed request head") from None
        lines = text.replace("\r\n", "\n").split("\n")
        parts = lines[0].split()
        if len(parts) == 2:
            parts.append("HTTP/1.0")
        if len(parts) != 3 or not parts[2].startswith("HTTP/"):
            raise HttpError(400, "malformed request line")
        method, target, version = parts
        headers: dict[str, str] = {}
        for line in lines[1:]:
            if not line:
                continue
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if not name:
                raise HttpError(400, "malformed header line")
            headers.setdefault(name, value.strip())
        request = HttpRequest(method=method, target=target, http_version=version, headers=headers)

        encoding = headers.get("transfer-encoding", "").lower()
        chunked = "chunked" in [t.strip() for t in encoding.split(",")] if encoding else False
        length = 0
        if not chunked and "content-length" in headers:
            value = headers["content-length"]
            if not value.isdigit():
                raise HttpError(400, "invalid Content-Length")
            length = int(value)
            if length > self.max_body_bytes:
                raise HttpError(413, "request body is too large")
        expects = headers.get("expect", "").lower() == "100-continue" and (chunked or length > 0)
        return _Head(request, length, chunked, expects)

    # -- bodies ------------------------------------------------------------------------

    def _read_sized(self, length: int) -> bytes | None:
        if len(self._buffer) < length:
            return None
        with memoryview(self._buffer) as view:  # one copy of the body, not two
            body = bytes(view[:length])
        del self._buffer[:length]
        return body

    def _read_chunked(self) -> bytes | None:
        buffer = self._buffer  # starts at the next chunk: consumed chunks are deleted
        while True:
            line_end = buffer.find(b"\n")
            if line_end < 0:
                if len(buffer) > _MAX_CHUNK_LINE:
                    raise HttpError(400, "malformed chunk size")
                return None
            size_text = bytes(buffer[:line_end]).split(b";", 1)[0].strip()
            try:
                size = int(size_text, 16)
            except ValueError:
                raise HttpError(400, "malformed chunk size") from None
            if size < 0:
                raise HttpError(400, "malformed chunk size")
            data_start = line_end + 1
            if size == 0:
                trailer_end = _find_trailer_end(buffer, data_start)
                if trailer_end < 0:
                    if len(buffer) - data_start > self.max_header_bytes:
                        raise HttpError(431, "request trailers are too large")
                    return None
                body = bytes(self._chunks)
                del buffer[:trailer_end]
                self._chunks = bytearray()
                return body
            if len(self._chunks) + size > self.max_body_bytes:
                raise HttpError(413, "request body is too large")
            data_end = data_start + size
            # the chunk's data is followed by CRLF (LF tolerated)
            if len(buffer) < data_end + 1:
                return None
            if buffer[data_end : data_end + 1] == b"\n":
                after = data_end + 1
            elif buffer[data_end : data_end + 2] == b"\r\n":
                after = data_end + 2
            elif len(buffer) < data_end + 2:
                return None
            else:
                raise HttpError(400, "malformed chunk")
            self._chunks += buffer[data_start:data_end]
            del buffer[:after]


def _find_head_end(buffer: bytearray, start: int, stop: int) -> tuple[int, int]:
    """Offset where the head ends and the length of the blank-line separator, searching up to `stop`."""
    crlf = buffer.find(b"\r\n\r\n", start, stop)
    lf = buffer.find(b"\n\n", start, stop)
    if lf >= 0 and (crlf < 0 or lf < crlf):
        return lf, 2
    if crlf >= 0:
        return crlf, 4
    return -1, 0


def _find_trailer_end(buffer: bytearray, start: int) -> int:
    """Offset just past the blank line that ends a chunked body's trailer section."""
    pos = start
    while True:
        line_end = buffer.find(b"\n", pos)
        if line_end < 0:
            return -1
        if buffer[pos:line_end].strip(b"\r") == b"":
            return line_end + 1
        pos = line_end + 1


# -- responses ----------------------------------------------------------------------------

REASONS = {
    100: "Continue",
    200: "OK",
    400: "Bad Request",
    403: "Forbidden",
    408: "Request Timeout",
    413: "Content Too Large",
    421: "Misdirected Request",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    503: "Service Unavailable",
}

CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


@dataclass
class HttpResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes = b""
    close: bool = False
    """Close the connection once the response is written."""

    def to_bytes(self) -> bytes:
        lines = [f"HTTP/1.1 {self.status} {REASONS.get(self.status, 'Unknown')}"]
        lines += [f"{name}: {value}" for name, value in self.headers]
        head = "\r\n".join(lines) + "\r\n\r\n"
        return head.encode("latin-1") + self.body
