"""The plain event loop that drives the server without Qt (headless mode, tests)."""

from __future__ import annotations

import selectors
import socket
from typing import Callable

from .server import HttpServer


class SelectorWatcher:
    """A `Watcher` backed by the standard library's `selectors`."""

    def __init__(self) -> None:
        self.selector = selectors.DefaultSelector()

    def watch(self, sock: socket.socket, read: bool, write: bool) -> None:
        events = (selectors.EVENT_READ if read else 0) | (selectors.EVENT_WRITE if write else 0)
        key = self._key(sock)
        if events == 0:
            if key is not None:
                self.selector.unregister(sock)
        elif key is None:
            self.selector.register(sock, events)
        elif key.events != events:
            self.selector.modify(sock, events)

    def unwatch(self, sock: socket.socket) -> None:
        if self._key(sock) is not None:
            self.selector.unregister(sock)

    def _key(self, sock: socket.socket) -> selectors.SelectorKey | None:
        try:
            return self.selector.get_key(sock)
        except KeyError:
            return None

    def close(self) -> None:
        self.selector.close()


class SelectorLoop:
    """Runs an `HttpServer` until `stop()` is called (from a handler or a signal)."""

    def __init__(self, watcher: SelectorWatcher, tick_seconds: float = 0.25) -> None:
        self.watcher = watcher
        self.tick_seconds = tick_seconds
        self._running = False

    def run(self, server: HttpServer, between_ticks: Callable[[], None] | None = None) -> None:
        self._running = True
        while self._running:
            self.run_once(server, self.tick_seconds)
            if between_ticks:
                between_ticks()

    def run_once(self, server: HttpServer, timeout: float) -> None:
        for key, events in self.watcher.selector.select(timeout):
            server.on_ready(key.fileobj, bool(events & selectors.EVENT_READ), bool(events & selectors.EVENT_WRITE))  # type: ignore[arg-type]
        server.tick()

    def stop(self) -> None:
        self._running = False
