"""The selector loop that drives the server headless: stopping and waking it."""

from __future__ import annotations

import threading

from plugin.http11 import HttpRequest, HttpResponse
from plugin.loop import SelectorLoop, SelectorWatcher
from plugin.server import HttpServer, ServerLimits
from tests.support.client import raw_exchange, split_response

HOUR = 3600.0


def respond(request: HttpRequest) -> HttpResponse:
    return HttpResponse(200, [("Content-Length", "2")], b"ok")


def make(tick: float = HOUR) -> tuple[HttpServer, SelectorLoop, SelectorWatcher]:
    watcher = SelectorWatcher()
    server = HttpServer(respond, watcher, ServerLimits(max_request_bytes=1024))
    server.listen("127.0.0.1", 0, 8)
    return server, SelectorLoop(watcher, tick_seconds=tick), watcher


def close(server: HttpServer, loop: SelectorLoop, watcher: SelectorWatcher) -> None:
    server.close()
    loop.close()
    watcher.close()


def test_a_stop_requested_before_running_returns_at_once() -> None:
    server, loop, watcher = make()
    loop.stop()
    loop.run(server)  # with an hour-long tick, only the stop request can end this
    assert loop.stop_requested
    close(server, loop, watcher)


def test_stop_from_another_thread_interrupts_the_wait() -> None:
    server, loop, watcher = make()
    rounds: list[int] = []
    thread = threading.Thread(target=loop.run, args=(server, lambda: rounds.append(1)))
    thread.start()
    loop.stop()
    thread.join(60)
    assert not thread.is_alive()
    close(server, loop, watcher)


def test_wakes_are_drained_and_clients_still_served() -> None:
    server, loop, watcher = make()
    loop.wake()
    loop.wake()
    loop.run_once(server, 0)
    assert watcher.selector.select(0) == []  # drained: no round is woken twice by one wake
    port = server.port
    assert port is not None
    result: dict[str, bytes] = {}
    client = threading.Thread(
        target=lambda: result.update(reply=raw_exchange(port, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n"))
    )
    client.start()
    while client.is_alive():
        loop.run_once(server, 0.05)
        client.join(0)
    assert split_response(result["reply"])[0] == "HTTP/1.1 200 OK"
    assert split_response(result["reply"])[2] == b"ok"
    close(server, loop, watcher)
