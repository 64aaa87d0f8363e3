"""Calling a `HeadlessServer` over real HTTP from a test, with the collection on one thread.

Why the test thread drives the server's loop (and a helper thread does the
HTTP): in `python -m plugin serve` one thread runs the loop and is the only
one that touches the collection. Tests also look at the collection directly
between requests. If the loop ran on a second thread, actions and those checks
would touch the collection from two threads. Here the test thread *is* the
server's thread: it turns the loop until the helper thread has the whole
reply, so every action and every check of the test runs on it, exactly as in
production, and the HTTP client is a standard one (`http.client`) that knows
nothing of our server.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from plugin.headless.runner import HeadlessServer
from tests.support.client import ApiClient

REPLY_TIMEOUT = 120.0
"""Seconds before a request without a reply fails the test (a hang, not a measurement)."""


class LoopDrivenHttp:
    """One kept-alive HTTP connection to `server`; `send` returns the decoded reply."""

    def __init__(self, server: HeadlessServer, host: str = "127.0.0.1") -> None:
        self.server = server
        if server.server.listener is None:
            server.server.listen(host, 0, 16)
        port = server.server.port
        assert port is not None
        self.port = port
        self.host = host
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="http-client")
        self._connection: http.client.HTTPConnection | None = None

    def send(self, request: Any) -> Any:
        status, body = self.exchange(json.dumps(request).encode("utf-8"))
        assert status == 200, (status, body)
        return json.loads(body)

    def exchange(self, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        """POST `body`; the status and body of the reply."""
        future = self._pool.submit(self._post, body, headers or {})
        self._drive_until_done(future)
        return future.result()

    def _drive_until_done(self, future: Future[Any]) -> None:
        loop = self.server.loop
        # The helper wakes the loop when it is done, so no round waits for a tick.
        future.add_done_callback(lambda _: loop.wake())
        while not future.done():
            loop.run_once(self.server.server, REPLY_TIMEOUT)

    def _post(self, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
        if self._connection is None:
            self._connection = http.client.HTTPConnection(self.host, self.port, timeout=REPLY_TIMEOUT)
        self._connection.request("POST", "/", body, {"Content-Type": "application/json", **headers})
        reply = self._connection.getresponse()
        data = reply.read()
        if reply.will_close:
            self._connection.close()
            self._connection = None
        return reply.status, data

    def close(self) -> None:
        def close_connection() -> None:
            if self._connection is not None:
                self._connection.close()

        future = self._pool.submit(close_connection)
        self._drive_until_done(future)
        self._pool.shutdown(wait=True)


def http_api_client(http: LoopDrivenHttp) -> ApiClient:
    """The fast layer's `call` interface over `http`."""
    return ApiClient(http.send)


# -- `python -m plugin ...` as a separate process ----------------------------------------------

ROOT = Path(__file__).resolve().parents[2]
_SERVING = re.compile(r"serving .* on http://(\S+):(\d+);")


def cli_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment without the variables the add-on reads, plus `extra`."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("ANKICONNECT_")}
    env.update(extra or {})
    return env


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run `python -m plugin ARGS` to the end; its exit status and output."""
    return subprocess.run(
        [sys.executable, "-m", "plugin", *args],
        cwd=ROOT,
        env=cli_environment(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


class ServeProcess:
    """`python -m plugin serve --collection PATH --port 0 ARGS`, with its log collected."""

    def __init__(self, collection: Path, *args: str, env: dict[str, str] | None = None) -> None:
        command = [sys.executable, "-m", "plugin", "serve", "--collection", str(collection), "--port", "0", *args]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=cli_environment(env),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self._port: queue.Queue[int | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read_log, daemon=True)
        self._reader.start()

    def _read_log(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))
            match = _SERVING.search(line)
            if match:
                self._port.put(int(match.group(2)))
        self._port.put(None)  # the process ended

    def wait_until_serving(self, timeout: float = 60) -> int:
        """The port it listens on; fails with its log when it exits or stays silent."""
        try:
            port = self._port.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"the server did not start:\n{self.log}") from None
        if port is None:
            raise AssertionError(f"the server exited with {self.process.wait()}:\n{self.log}")
        self.port = port
        return port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> str:
        return "\n".join(self.lines)

    def wait(self, timeout: float = 60) -> int:
        code = self.process.wait(timeout)
        self._reader.join(timeout)
        return code

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 60) -> int:
        """Send `signum` and wait for the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        return self.wait(timeout)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)
