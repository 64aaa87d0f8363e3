"""Starts the server when a profile opens and stops it when the profile closes."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ..server import is_address_in_use
from ..service import ApiService
from . import dialogs
from .host import DesktopHost
from .qt_driver import Housekeeping, QtWatcher

if TYPE_CHECKING:
    from aqt.main import AnkiQt

log = logging.getLogger(__name__)


class AddonController:
    def __init__(self, mw: AnkiQt, module: str) -> None:
        self.mw = mw
        self.host = DesktopHost(mw, module)
        self.watcher = QtWatcher(mw)
        self.service: ApiService | None = None
        self.housekeeping: Housekeeping | None = None
        self.warning: Any = None
        self._listening_on: tuple[str, int, int] | None = None

    def on_profile_open(self) -> None:
        if self.service is None:
            self.service = ApiService(self.host, self.watcher)
            self.watcher.on_ready = self._on_ready
            interval = self.host.settings().apiPollInterval
            self.housekeeping = Housekeeping(self.mw, interval, self._tick)
        self._listen()

    def _on_ready(self, sock: Any, readable: bool, writable: bool) -> None:
        assert self.service is not None and self.housekeeping is not None
        self.service.server.on_ready(sock, readable, writable)
        if self.service.server.connections:
            self.housekeeping.start()  # timeouts matter only while someone is connected

    def _tick(self) -> None:
        assert self.service is not None and self.housekeeping is not None
        self.service.server.tick()
        if not self.service.server.connections:
            self.housekeeping.stop()  # no wake-ups while Anki sits idle

    def on_profile_close(self) -> None:
        if self.service is not None:
            self.service.stop()
        self._listening_on = None

    def on_config_updated(self, _config: Any) -> None:
        self.host.invalidate_settings()
        settings = self.host.settings()
        wanted = (settings.webBindAddress, settings.webBindPort, settings.webBacklog)
        if self._listening_on is not None and wanted != self._listening_on:
            self._listen()

    def _listen(self) -> None:
        assert self.service is not None
        settings = self.host.settings()
        for problem in settings.problems:
            log.warning(problem)
        try:
            self.service.start()
        except OSError as error:
            self._listening_on = None
            text = cannot_listen_text(settings.webBindAddress, settings.webBindPort, error)
            self.warning = dialogs.warn_cannot_listen(self.mw, text)
            return
        self._listening_on = (settings.webBindAddress, settings.webBindPort, settings.webBacklog)


def cannot_listen_text(address: str, port: int, error: OSError) -> str:
    if is_address_in_use(error):
        return f"Failed to listen on port {port}.\nMake sure it is available and is not in use."
    return f"Failed to listen on {address}:{port}.\n{error.strerror or error}"
