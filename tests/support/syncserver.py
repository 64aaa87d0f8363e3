"""Anki's own sync server (`python -m anki.syncserver`) on loopback, for real sync tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping

from tools.anki_sandbox import free_port


@contextmanager
def running_sync_server(base: Path, users: Mapping[str, str]) -> Iterator[str]:
    """A sync server with `users` ({name: password}) keeping its data in `base`; yields its endpoint."""
    port = free_port()
    env = dict(os.environ, SYNC_HOST="127.0.0.1", SYNC_PORT=str(port), SYNC_BASE=str(base))
    for number, (user, password) in enumerate(users.items(), start=1):
        env[f"SYNC_USER{number}"] = f"{user}:{password}"
    log_path = base / "server.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen([sys.executable, "-m", "anki.syncserver"], env=env, stdout=log, stderr=log)
    endpoint = f"http://127.0.0.1:{port}/"
    try:
        _wait_for_health(endpoint, server, log_path)
        yield endpoint
    finally:
        server.terminate()
        server.wait(30)


def _wait_for_health(endpoint: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(endpoint + "health", timeout=5) as reply:
                if reply.status == 200:
                    return
        except urllib.error.HTTPError:
            return  # it answers: Anki 23.10's server has no health page
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"the sync server did not start:\n{log.read_text()}")
        time.sleep(0.05)
