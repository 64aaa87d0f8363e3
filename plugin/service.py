"""The API stack for one host: actions, dispatcher, HTTP gateway and server."""

from __future__ import annotations

from .api import AnkiConnect
from .config import Settings
from .host import Host
from .protocol import Dispatcher
from .request_log import open_request_log
from .server import HttpServer, ServerLimits, Watcher
from .web import WebGateway

MIN_BACKLOG = 128
"""The original's backlog of 5 made bursts of simultaneous connections fail."""


def limits_for(settings: Settings) -> ServerLimits:
    return ServerLimits(
        max_request_bytes=settings.webMaxRequestBytes,
        request_timeout=settings.webTimeout / 1000,
    )


class ApiService:
    def __init__(self, host: Host, watcher: Watcher) -> None:
        self.host = host
        settings = host.settings()
        self.api = AnkiConnect(host)
        self.dispatcher = Dispatcher(self.api, host)
        self.request_log = open_request_log(settings.apiLogPath)
        self.gateway = WebGateway(self.dispatcher, host.settings, self.request_log)
        self.server = HttpServer(self.gateway.respond, watcher, limits_for(settings))

    def start(self) -> None:
        """Listen on the configured address; raises OSError when it is taken."""
        settings = self.host.settings()
        self.server.limits = limits_for(settings)
        backlog = max(settings.webBacklog, MIN_BACKLOG)
        self.server.listen(settings.webBindAddress, settings.webBindPort, backlog)

    def stop(self) -> None:
        self.server.stop_listening()

    def close(self) -> None:
        self.server.close()
        if self.request_log:
            self.request_log.close()
