"""Drives the server from Qt's event loop on Anki's main thread.

Each socket gets a read `QSocketNotifier`, so a request is handled the moment
it is readable rather than at the next timer tick, and a write notifier only
once a reply does not fit in the socket's buffer (rare: creating a notifier
costs 20-35 µs, a sixth of the main thread's work for a small request on a
new connection). A timer at `apiPollInterval` only handles timeouts, and runs
only while clients are connected, so an idle Anki is not woken 40 times a second.
"""

from __future__ import annotations

import logging
import socket
from typing import Callable

from aqt.qt import QObject, QSocketNotifier, QTimer

log = logging.getLogger(__name__)

OnReady = Callable[[socket.socket, bool, bool], None]


class QtWatcher:
    """A server `Watcher` made of socket notifiers."""

    def __init__(self, parent: QObject) -> None:
        self.parent = parent
        self.on_ready: OnReady | None = None
        # per socket: its read and write notifiers, each created when first needed
        self._notifiers: dict[socket.socket, list[QSocketNotifier | None]] = {}

    def watch(self, sock: socket.socket, read: bool, write: bool) -> None:
        pair = self._notifiers.setdefault(sock, [None, None])
        for index, wanted in enumerate((read, write)):
            notifier = pair[index]
            if notifier is None:
                if not wanted:
                    continue
                notifier = pair[index] = self._notifier(sock, readable=index == 0)
            if notifier.isEnabled() != wanted:
                notifier.setEnabled(wanted)

    def unwatch(self, sock: socket.socket) -> None:
        pair = self._notifiers.pop(sock, None)
        if pair is None:
            return
        for notifier in pair:
            if notifier is not None:
                notifier.setEnabled(False)
                notifier.deleteLater()

    def _notifier(self, sock: socket.socket, *, readable: bool) -> QSocketNotifier:
        kind = QSocketNotifier.Type.Read if readable else QSocketNotifier.Type.Write
        notifier = QSocketNotifier(sock.fileno(), kind, self.parent)  # type: ignore[call-overload]
        notifier.setEnabled(False)
        notifier.activated.connect(lambda *_: self._ready(sock, readable))
        return notifier

    def _ready(self, sock: socket.socket, readable: bool) -> None:
        if self.on_ready is None:
            return
        try:
            self.on_ready(sock, readable, not readable)
        except Exception:
            log.exception("socket event failed")


class Housekeeping:
    """A repeating timer that can be started and stopped at will; the reference keeps Qt from dropping it."""

    def __init__(self, parent: QObject, interval_ms: int, callback: Callable[[], None]) -> None:
        self.timer = QTimer(parent)
        self.timer.setInterval(max(interval_ms, 1))
        self.timer.timeout.connect(self._fire)
        self.callback = callback

    def _fire(self) -> None:
        try:
            self.callback()
        except Exception:
            log.exception("housekeeping failed")

    def start(self) -> None:
        if not self.timer.isActive():
            self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
