"""A test-only add-on: runs Python sent by the tests on Anki's main thread.

Installed next to the real add-on by the integration fixtures, never shipped.
It listens on 127.0.0.1:$ANKI_PROBE_PORT; a client sends source code and
shuts down its side, the code runs on the main thread with `mw` in scope and
may set `result`; the reply is JSON `{"result": ...}` or `{"error": traceback}`.
Nothing is ever written to stderr, which Anki would show as an error dialog.
"""

import json
import os
import socket
import threading
import traceback

import aqt

PORT = int(os.environ.get("ANKI_PROBE_PORT", "0") or 0)


def _run_on_main(code: str) -> dict:
    outcome: dict = {}
    done = threading.Event()

    def run() -> None:
        try:
            namespace = {"mw": aqt.mw, "aqt": aqt}
            exec(code, namespace)
            outcome["result"] = namespace.get("result")
        except BaseException:  # noqa: BLE001 - reported to the test
            outcome["error"] = traceback.format_exc()
        finally:
            done.set()

    aqt.mw.taskman.run_on_main(run)
    if not done.wait(120):
        outcome["error"] = "probe code did not finish within 120 s"
    return outcome


def _handle(conn: socket.socket) -> None:
    with conn:
        chunks = []
        while True:
            data = conn.recv(65536)
            if not data:
                break
            chunks.append(data)
        outcome = _run_on_main(b"".join(chunks).decode("utf-8"))
        conn.sendall(json.dumps(outcome, default=repr).encode("utf-8"))


def _serve() -> None:
    server = socket.create_server(("127.0.0.1", PORT))
    while True:
        conn, _ = server.accept()
        threading.Thread(target=_handle, args=(conn,), daemon=True).start()


if PORT:
    threading.Thread(target=_serve, daemon=True, name="test-probe").start()
