"""Serving one collection headless: the add-on's own API stack, driven by the selector loop.

Nothing here answers requests: `ApiService` (the server, HTTP gateway,
protocol dispatcher, registry and action modules of the add-on) does. This
module only supplies the event loop that Qt supplies in the desktop app, and
stops it cleanly on a signal.
"""

from __future__ import annotations

import contextlib
import logging
import signal
from typing import Any, Callable, Iterator

from ..loop import SelectorLoop, SelectorWatcher
from ..server import HttpServer
from ..service import ApiService
from .host import CollectionHost

log = logging.getLogger(__name__)

STOP_SIGNALS = ("SIGINT", "SIGTERM")


class HeadlessServer:
    """The API for one `CollectionHost`, served on the thread that calls `serve_forever`.

    Every action runs on that thread, between two `select` calls; it is the only
    thread that touches the collection, as Anki's main thread is in the desktop app.
    """

    def __init__(self, host: CollectionHost, *, tick_seconds: float = 0.25) -> None:
        self.host = host
        self.watcher = SelectorWatcher()
        self.service = ApiService(host, self.watcher)
        self.loop = SelectorLoop(self.watcher, tick_seconds)

    @property
    def server(self) -> HttpServer:
        return self.service.server

    def listen(self) -> tuple[str, int]:
        """Listen where the settings say; raises OSError when the address is taken."""
        self.service.start()
        port = self.server.port
        assert port is not None
        return self.host.settings().webBindAddress, port

    def serve_forever(self) -> None:
        """Answer requests until `stop()`; the request being answered is always finished first."""
        self.loop.run(self.server, between_ticks=self.host.poll_background)

    def stop(self) -> None:
        """Safe from signal handlers and other threads."""
        self.loop.stop()

    def close(self) -> None:
        """Release the port and the connections (the collection is its owner's to close)."""
        self.service.close()
        self.loop.close()
        self.watcher.close()


@contextlib.contextmanager
def stopping_on_signals(stop: Callable[[], None]) -> Iterator[None]:
    """SIGINT and SIGTERM call `stop` instead of interrupting whatever runs.

    The default SIGINT handler would raise KeyboardInterrupt in the middle of an
    action and SIGTERM would end the process with the collection open; here both
    only ask the loop to finish, so the caller closes the collection.
    """
    previous: dict[int, Any] = {}

    def handler(signum: int, _frame: Any) -> None:
        log.info("%s received; stopping after the current request", signal.Signals(signum).name)
        stop()

    for name in STOP_SIGNALS:
        number = getattr(signal, name, None)
        if number is not None:
            previous[number] = signal.signal(number, handler)
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, old)
