"""A web server on 127.0.0.1 serving fixed routes, for media downloads in tests (never the internet)."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Iterator

Route = tuple[int, dict[str, str], bytes]


class RouteHandler(BaseHTTPRequestHandler):
    """Answers GET from `routes` (`path: (status, headers, body)`); subclasses add routes or behaviour."""

    routes: dict[str, Route] = {}
    missing: Route = (404, {}, b"")

    def do_GET(self) -> None:
        self.reply(*self.routes.get(self.path, self.missing))

    def reply(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean


@contextmanager
def local_web_server(handler: type[RouteHandler]) -> Iterator[str]:
    """Serve `handler` in a thread; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
