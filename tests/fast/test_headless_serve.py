"""`python -m plugin serve`: a real server process on a collection file.

Opening safely, stopping cleanly on SIGINT and SIGTERM (with a load of writes
in flight), config from a file, the environment and flags.
"""

from __future__ import annotations

import http.client
import json
import signal
import socket
import threading
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection

from plugin import compat
from plugin.headless.cli import main
from tests.support.client import http_client
from tests.support.collections import new_collection
from tests.support.headless import ServeProcess, run_cli

LOCKED = (
    "the collection {path} is open in another program (Anki's desktop app, another server or a sync in "
    "progress); close it there first. Anki says: Anki already open, or media currently syncing."
)


def closed_collection(folder: Path, profile: str = "User 1") -> Path:
    col = new_collection(folder, profile)
    path = Path(col.path)
    col.close()
    return path


@pytest.fixture
def collection_path(tmp_path: Path) -> Path:
    return closed_collection(tmp_path)


@pytest.fixture
def serving(collection_path: Path) -> Any:
    server = ServeProcess(collection_path)
    server.wait_until_serving()
    yield server
    server.kill()


def log_lines(log: str) -> list[str]:
    """The messages of a log, without the time stamp and level."""
    return [line.split(" ", 3)[3] for line in log.splitlines() if line.count(" ") >= 3]


# -- serving and stopping -------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_serves_the_collection_and_closes_it_on_a_signal(
    serving: ServeProcess, collection_path: Path, signum: int
) -> None:
    api = http_client(serving.url)
    assert api("version") == 6
    assert api("getProfiles") == ["User 1"]
    assert api("getActiveProfile") == "User 1"
    assert api("loadProfile", name="User 1") is True
    assert api("loadProfile", name="Other") is False
    assert api("reloadCollection") is None

    assert serving.stop(signum) == 0
    name = signal.Signals(signum).name
    assert log_lines(serving.log)[-2:] == [
        f"{name} received; stopping after the current request",
        f"closed {collection_path}",
    ]
    # closed for real: Anki opens it again, and the write-ahead log was folded in
    assert not Path(f"{collection_path}-wal").exists()
    Collection(str(collection_path)).close()


def test_sigterm_in_the_middle_of_writes_loses_no_acknowledged_write(tmp_path: Path, collection_path: Path) -> None:
    server = ServeProcess(collection_path)
    packages = deck_packages(tmp_path / "packages", count=24)  # while the server starts
    port = server.wait_until_serving()
    acknowledged: list[str] = []
    pending = list(packages)
    lock = threading.Lock()
    enough = threading.Event()

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                if not pending:
                    return
                front, path = pending.pop(0)
            body = json.dumps({"action": "importPackage", "version": 6, "params": {"path": str(path)}})
            try:
                connection.request("POST", "/", body)
                reply = json.loads(connection.getresponse().read())
            except (OSError, http.client.HTTPException, ValueError):
                return  # the server stopped; this write was not acknowledged
            assert reply == {"result": True, "error": None}
            with lock:
                acknowledged.append(front)
                if len(acknowledged) >= 6:
                    enough.set()

    clients = [threading.Thread(target=client) for _ in range(4)]
    for thread in clients:
        thread.start()
    try:
        assert enough.wait(120), server.log
        assert server.stop(signal.SIGTERM) == 0, server.log
    finally:
        server.kill()
        for thread in clients:
            thread.join(60)

    assert 6 <= len(acknowledged) < len(packages), "the signal should land in the middle of the load"
    col = Collection(str(collection_path))
    try:
        assert col.db.scalar("pragma integrity_check") == "ok"
        stored = {col.get_note(note_id)["Front"] for note_id in col.find_notes("")}
        assert set(acknowledged) <= stored
        assert stored <= {front for front, _ in packages}
    finally:
        col.close()


def deck_packages(folder: Path, count: int) -> list[tuple[str, Path]]:
    """`count` .apkg files, each holding one deck with one note of its own."""
    source = new_collection(folder)
    packages = []
    try:
        basic = source.models.by_name("Basic")
        assert basic is not None
        for number in range(count):
            deck_id = source.decks.id(f"Load::{number:03}")
            assert deck_id is not None
            note = source.new_note(basic)
            note["Front"], note["Back"] = f"load {number}", "x"
            source.add_note(note, deck_id)
            path = folder / f"load-{number:03}.apkg"
            compat.export_deck_package(source, path=str(path), deck_id=deck_id, with_scheduling=False)
            packages.append((f"load {number}", path))
    finally:
        source.close()
    return packages


# -- opening safely ---------------------------------------------------------------------------


def test_a_collection_served_elsewhere_is_refused_clearly(serving: ServeProcess, collection_path: Path) -> None:
    second = run_cli("serve", "--collection", str(collection_path), "--port", "0")
    assert second.returncode == 1
    assert log_lines(second.stderr) == [LOCKED.format(path=collection_path)]
    # the first server is unharmed
    assert http_client(serving.url)("getActiveProfile") == "User 1"


def test_a_missing_collection_is_not_created_by_accident(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "typo" / "collection.anki2"
    assert main(["serve", "--collection", str(path)], environ={}) == 1
    assert caplog.messages == [f"there is no collection at {path} (pass --create to start a new one there)"]
    assert not path.parent.exists()


def test_create_starts_a_new_collection(tmp_path: Path) -> None:
    path = tmp_path / "Work" / "collection.anki2"
    server = ServeProcess(path, "--create")
    try:
        server.wait_until_serving()
        assert http_client(server.url)("getProfiles") == ["Work"]
        assert server.stop() == 0
    finally:
        server.kill()
    Collection(str(path)).close()


def test_a_taken_port_is_reported_and_the_collection_closed(
    collection_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        assert main(["serve", "--collection", str(collection_path), "--port", str(port)], environ={}) == 1
    assert caplog.messages == [f"cannot listen on 127.0.0.1 port {port}: it is taken (by Anki with AnkiConnect?)"]
    Collection(str(collection_path)).close()


# -- config -----------------------------------------------------------------------------------


def test_flags_win_over_the_environment_and_the_file(tmp_path: Path, collection_path: Path) -> None:
    config = tmp_path / "ankiconnect.json"
    config.write_text(json.dumps({"apiKey": "from-file", "webBindAddress": "192.0.2.1", "colour": "blue"}))
    server = ServeProcess(
        collection_path,
        "--config",
        str(config),
        "--set",
        "apiKey=from-flag",
        "--set",
        'webCorsOriginList=["https://app.example"]',
        "--bind",
        "127.0.0.1",
        env={"ANKICONNECT_BIND_ADDRESS": "192.0.2.2"},
    )
    try:
        server.wait_until_serving()
        api = http_client(server.url)
        assert api.error("version") == "valid api key must be provided"
        assert api.raw({"action": "version", "version": 6, "key": "from-flag"}) == {"result": 6, "error": None}
        assert server.stop() == 0
    finally:
        server.kill()
    assert "unknown config key 'colour' is ignored" in log_lines(server.log)
    assert (
        f"serving {collection_path} (profile 'User 1') on http://127.0.0.1:{server.port}; SIGINT or SIGTERM stops"
        in log_lines(server.log)
    )
    # the file is read, never rewritten with the flags
    assert json.loads(config.read_text())["apiKey"] == "from-file"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "{not json",
            "cannot read the config file {path}: "
            "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
        ),
        ("[1, 2]", "the config file {path} must hold a JSON object"),
        (None, "the config file {path} does not exist"),
    ],
    ids=["bad-json", "not-an-object", "missing"],
)
def test_a_bad_config_file_stops_before_opening(
    tmp_path: Path, collection_path: Path, content: str | None, message: str, caplog: pytest.LogCaptureFixture
) -> None:
    config = tmp_path / "config.json"
    if content is not None:
        config.write_text(content)
    assert main(["serve", "--collection", str(collection_path), "--config", str(config)], environ={}) == 2
    assert caplog.messages == [message.format(path=config)]


def test_set_needs_a_key_and_a_value(collection_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    assert main(["serve", "--collection", str(collection_path), "--set", "apiKey"], environ={}) == 2
    assert caplog.messages == ["--set needs KEY=VALUE, not 'apiKey'"]
