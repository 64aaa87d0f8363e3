"""Real Anki for the integration layer: started offscreen with the add-on and the test probe."""

from __future__ import annotations

import json
import socket
import textwrap
import time
from pathlib import Path
from typing import Any

from tools.anki_sandbox import AnkiProcess, free_port, launch, prepare_base

PROBE_DIR = Path(__file__).resolve().parent / "probe_addon"


class ProbeError(Exception):
    pass


class RunningAnki:
    """An `AnkiProcess` plus the probe that runs code inside it."""

    def __init__(self, process: AnkiProcess, probe_port: int) -> None:
        self.process = process
        self.probe_port = probe_port

    @property
    def port(self) -> int:
        return self.process.port

    @property
    def url(self) -> str:
        return self.process.url

    def probe(self, code: str, timeout: float = 130) -> Any:
        """Run `code` on Anki's main thread (with `mw`); return what it put in `result`."""
        with socket.create_connection(("127.0.0.1", self.probe_port), timeout=timeout) as sock:
            sock.sendall(textwrap.dedent(code).encode("utf-8"))
            sock.shutdown(socket.SHUT_WR)
            data = b""
            while chunk := sock.recv(65536):
                data += chunk
        outcome = json.loads(data)
        if "error" in outcome:
            raise ProbeError(outcome["error"])
        return outcome.get("result")

    def wait_for(self, code: str, timeout: float = 30, interval: float = 0.05) -> Any:
        """Probe until `result` is truthy."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.probe(code)
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"condition not met within {timeout}s:\n{code}")
            time.sleep(interval)

    def error_dialogs(self) -> list[str]:
        """Texts of error dialogs Anki shows, plus anything its error handler collected."""
        return self.probe(
            """
            from aqt.qt import QApplication, QMessageBox
            texts = [w.text() for w in QApplication.topLevelWidgets()
                     if isinstance(w, QMessageBox) and w.isVisible()
                     and w.objectName() != "ankiconnect-permission"]
            pool = mw.errorHandler.pool
            result = texts + ([pool] if pool.strip() else [])
            """
        )

    def stop(self) -> int:
        return self.process.stop()


def start_anki(
    base: Path,
    *,
    config: dict[str, Any] | None = None,
    profiles: tuple[str, ...] = ("User 1",),
    port: int | None = None,
    wait: bool = True,
    install: bool = True,
    prepare: bool = True,
) -> RunningAnki:
    if prepare:
        prepare_base(base, profiles=profiles)
    probe_port = free_port()
    process = launch(
        base,
        port=port,
        config=config,
        extra_addons={"ankiconnect_test_probe": PROBE_DIR},
        extra_env={"ANKI_PROBE_PORT": str(probe_port)},
        prepare=False,
        install=install,
    )
    anki = RunningAnki(process, probe_port)
    if wait:
        try:
            process.wait_until_serving()
        except Exception:
            process.stop()
            raise
    return anki


def wait_for_probe(anki: RunningAnki, timeout: float = 90) -> None:
    """For an Anki that does not serve the API (e.g. its port is taken)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if anki.probe("result = mw.col is not None"):
                return
        except OSError:
            pass
        if anki.process.process.poll() is not None:
            raise RuntimeError(f"Anki exited:\n{anki.process.log_tail()}")
        if time.monotonic() > deadline:
            raise TimeoutError(anki.process.log_tail())
        time.sleep(0.1)
