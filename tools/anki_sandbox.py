"""Start real Anki with the add-on on a throwaway profile, headless when there is no display.

Used by `make run`, the integration tests and the benchmark. Everything Anki
writes (profile, collection, its single-instance socket, Qt caches) stays in
one base folder, so several sandboxes run side by side and a developer's own
Anki is never touched.

    python -m tools.anki_sandbox run [--port 8765] [--base DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

ROOT = Path(__file__).resolve().parent.parent
PLUGIN_DIR = ROOT / "plugin"
PROFILE = "User 1"
ADDON_FOLDER = "ankiconnect"

_PREPARE_PROFILE = r"""
import sys
import time
from pathlib import Path
from aqt.profiles import ProfileManager
base, name = Path(sys.argv[1]), sys.argv[2]
pm = ProfileManager(base)
pm.setupMeta()
pm.meta["firstRun"] = False
pm.meta["defaultLang"] = "en_US"
# meta keys rather than setters, which Anki 23.10 lacks; it checks add-ons once a day instead
pm.meta["check_for_updates"] = False
pm.meta["check_for_addon_updates"] = False
pm.meta["last_addon_update_check"] = int(time.time())
pm.create(name)
pm.load(name)
pm.profile["autoSync"] = False
pm.profile["syncKey"] = None
pm.profile["numBackups"] = 0
pm.set_last_loaded_profile_name(name)
pm.save()
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_base(base: Path, python: str = sys.executable, profiles: Iterable[str] = (PROFILE,)) -> None:
    """A base folder whose profile opens straight away: no language chooser, no update checks."""
    base.mkdir(parents=True, exist_ok=True)
    for name in profiles:
        subprocess.run([python, "-c", _PREPARE_PROFILE, str(base), name], check=True, env=_quiet_env(base))


def install_addon(
    base: Path, config: dict[str, Any] | None = None, folder: str = ADDON_FOLDER, source: Path = PLUGIN_DIR
) -> Path:
    """Copy the add-on into `addons21/<folder>`; `config` becomes the user's saved config."""
    target = base / "addons21" / folder
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "meta.json"))
    if config:
        (target / "meta.json").write_text(json.dumps({"config": config}), encoding="utf-8")
    return target


def _quiet_env(base: Path) -> dict[str, str]:
    env = dict(os.environ)
    home = base / "home"
    for sub in ("tmp", "config", "cache", "data", "runtime"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    (home / "runtime").chmod(0o700)
    env.update(
        HOME=str(home),
        TMPDIR=str(home / "tmp"),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_RUNTIME_DIR=str(home / "runtime"),
        ANKI_SINGLE_INSTANCE_KEY=f"ankiconnect-sandbox-{uuid.uuid4().hex}",
        QTWEBENGINE_CHROMIUM_FLAGS="--no-sandbox --disable-gpu",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONUNBUFFERED="1",
    )
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env


@dataclass
class AnkiProcess:
    """A running Anki; `url` serves the add-on's API."""

    base: Path
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    extra_env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(self, action: str, timeout: float = 30, **params: Any) -> Any:
        body = json.dumps({"action": action, "version": 6, "params": params}).encode()
        with urllib.request.urlopen(urllib.request.Request(self.url, body), timeout=timeout) as reply:
            answer = json.loads(reply.read())
        if answer["error"] is not None:
            raise RuntimeError(answer["error"])
        return answer["result"]

    def wait_until_serving(self, timeout: float = 90) -> None:
        """Until a collection action succeeds (the port alone opens before the profile)."""
        deadline = time.monotonic() + timeout
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Anki exited with code {self.process.returncode}:\n{self.log_tail()}")
            try:
                self.request("reloadCollection", timeout=5)
                return
            except Exception as error:  # noqa: BLE001 - keep polling
                last_error = error
                time.sleep(0.1)
        raise TimeoutError(f"Anki did not serve within {timeout}s ({last_error}):\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM: Anki closes the profile cleanly and exits."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def launch(
    base: Path,
    *,
    port: int | None = None,
    config: dict[str, Any] | None = None,
    extra_addons: dict[str, Path] | None = None,
    extra_env: dict[str, str] | None = None,
    python: str = sys.executable,
    profile: str = PROFILE,
    prepare: bool = True,
    install: bool = True,
    log_path: Path | None = None,
) -> AnkiProcess:
    """Prepare `base`, install the add-on (and `extra_addons`), start Anki; do not wait."""
    port = port or free_port()
    if prepare:
        prepare_base(base, python)
    if install:
        install_addon(base, {"webBindPort": port, **(config or {})})
    for folder, source in (extra_addons or {}).items():
        install_addon(base, folder=folder, source=source)
    env = _quiet_env(base)
    env.update(extra_env or {})
    log_path = log_path or base / "anki.log"
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(
            [python, "-c", "import aqt; aqt.run()", "-b", str(base), "-p", profile],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    return AnkiProcess(base=base, port=port, process=process, log_path=log_path, extra_env=extra_env or {})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run Anki with the add-on until interrupted")
    run.add_argument("--port", type=int, default=8765)
    run.add_argument("--base", type=Path, help="base folder to use (default: a new temporary one)")
    args = parser.parse_args(argv)

    base = args.base or Path(tempfile.mkdtemp(prefix="ankiconnect-run-"))
    anki = launch(base, port=args.port, log_path=base / "anki.log")
    stopping = False

    def on_signal(signum: int, _frame: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        anki.wait_until_serving()
    except (RuntimeError, TimeoutError) as error:
        print(error, file=sys.stderr)
        anki.stop()
        return 1
    print(f"Anki is serving the API on {anki.url} (profile folder {base}). Ctrl-C stops it.", flush=True)
    while not stopping and anki.process.poll() is None:
        time.sleep(0.2)
    code = anki.stop()
    print(f"Anki stopped (exit code {code}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
