"""The plain event loop that drives the server without Qt (headless mode, tests)."""

from __future__ import annotations

import selectors
import socket
from typing import Callable

from .server import HttpServer

_WAKER = "waker"
"""Selector data marking the loop's own wake-up socket (the server's sockets carry none)."""


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
    """Runs an `HttpServer` until `stop()` is called (from a handler, a signal or another thread).

    `wake()` interrupts a `select` in progress through a socket pair, so that
    `stop()` takes effect at once and another thread can hand the loop work
    without waiting for the next tick.
    """

    def __init__(self, watcher: SelectorWatcher, tick_seconds: float = 0.25) -> None:
        self.watcher = watcher
        self.tick_seconds = tick_seconds
        self._stop_requested = False
        self._wake_in, self._wake_out = socket.socketpair()
        for sock in (self._wake_in, self._wake_out):
            sock.setblocking(False)
        watcher.selector.register(self._wake_in, selectors.EVENT_READ, _WAKER)

    def run(self, server: HttpServer, between_ticks: Callable[[], None] | None = None) -> None:
        while not self._stop_requested:
            self.run_once(server, self.tick_seconds)
            if between_ticks:
                between_ticks()

    def run_once(self, server: HttpServer, timeout: float) -> None:
        for key, events in self.watcher.selector.select(timeout):
            if key.data == _WAKER:
                self._drain_wakes()
                continue
            server.on_ready(key.fileobj, bool(events & selectors.EVENT_READ), bool(events & selectors.EVENT_WRITE))  # type: ignore[arg-type]
        server.tick()

    def stop(self) -> None:
        """End `run` after the current round; a stop requested before `run` makes it return at once."""
        self._stop_requested = True
        self.wake()

    @property
    def stop_requested(self) -> bool:
        return self._stop_requested

    def wake(self) -> None:
        """Make the current or next `select` return now; safe from signal handlers and threads."""
        try:
            self._wake_out.send(b"\0")
        except OSError:  # the pipe is full (a wake is pending anyway) or closed
            pass

    def _drain_wakes(self) -> None:
        try:
            while self._wake_in.recv(4096):
                pass
        except OSError:  # nothing more to read
            pass

    def close(self) -> None:
        """Release the wake-up sockets (the watcher and the server are closed by their owners)."""
        try:
            self.watcher.selector.unregister(self._wake_in)
        except (KeyError, ValueError, RuntimeError):  # already closed or unregistered
            pass
        self._wake_in.close()
        self._wake_out.close()
