"""The server's life in Anki: profiles opening and closing, a taken port, config changes, install."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest

from tests.support.anki import RunningAnki, start_anki, wait_for_probe
from tests.support.client import ApiClient, http_client, post_raw
from tools.anki_sandbox import ROOT, free_port, prepare_base

ORIGINAL_ID = "2055492159"


def port_is_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def two_profiles(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningAnki]:
    anki = start_anki(tmp_path_factory.mktemp("profiles"), profiles=("User 1", "Work"))
    yield anki
    assert anki.error_dialogs() == []
    anki.stop()


def test_switching_profiles_moves_the_server_to_the_new_collection(two_profiles: RunningAnki) -> None:
    anki = two_profiles
    api = http_client(anki.url)
    assert api("getProfiles") == ["User 1", "Work"]
    with socket.create_connection(("127.0.0.1", anki.port), timeout=10) as kept:
        assert post_raw(kept, {"action": "getActiveProfile"}) == "User 1"
        assert api("loadProfile", name="Work") is True
        anki.wait_for("result = mw.pm.name == 'Work' and mw.col is not None", timeout=60)
        # a connection kept open across the switch is served from the new profile's collection
        assert post_raw(kept, {"action": "getActiveProfile"}) == "Work"
        assert anki.probe("result = mw.col.path.endswith('Work/collection.anki2')")
    deadline = time.monotonic() + 30
    while not port_is_open(anki.port):
        assert time.monotonic() < deadline, "the server did not come back"
        time.sleep(0.05)
    assert api("getActiveProfile") == "Work"
    assert anki.probe("result = mw.col.path.endswith('Work/collection.anki2')")
    assert api("loadProfile", name="Work") is True
    assert api("loadProfile", name="User 1") is True
    anki.wait_for("result = mw.pm.name == 'User 1' and mw.col is not None", timeout=60)
    deadline = time.monotonic() + 30
    while True:
        try:
            if http_client(anki.url)("getActiveProfile") == "User 1":
                break
        except OSError:
            pass
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_closing_the_profile_releases_the_port(two_profiles: RunningAnki) -> None:
    anki = two_profiles
    assert port_is_open(anki.port)
    kept = [socket.create_connection(("127.0.0.1", anki.port), timeout=10) for _ in range(3)]
    try:
        for sock in kept:
            assert post_raw(sock, {"action": "getActiveProfile", "version": 6}) == {"result": "User 1", "error": None}
        # unload without opening another: Anki shows its profile chooser
        anki.probe("mw.unloadProfileAndShowProfileManager()")
        anki.wait_for("result = mw.col is None", timeout=60)
        assert not port_is_open(anki.port)
        # clients already connected get a clear answer, not a hang or a crash
        unavailable = {"result": None, "error": "collection is not available"}
        assert post_raw(kept[0], {"action": "deckNames", "version": 6}) == unavailable
        assert post_raw(kept[1], {"action": "addNote", "version": 6, "params": {"note": {}}}) == unavailable
        profiles = post_raw(kept[2], {"action": "getProfiles", "version": 6})
        assert profiles == {"result": ["User 1", "Work"], "error": None}
        for sock in kept:  # and, the port being closed, the connection then ends
            assert sock.recv(1) == b""
    finally:
        for sock in kept:
            sock.close()
    assert anki.error_dialogs() == []
    anki.probe("mw.pm.load('User 1'); mw.loadProfile(lambda: mw.profileDiag.closeWithoutQuitting())")
    anki.wait_for("result = mw.col is not None", timeout=60)
    # service resumes on the reopened profile
    api = http_client(anki.url)
    api("reloadCollection")
    assert api("getActiveProfile") == "User 1"
    assert "Default" in api("deckNames")


def test_a_taken_port_shows_one_message_and_anki_keeps_working(tmp_path: Path) -> None:
    port = free_port()
    holder = socket.create_server(("127.0.0.1", port))
    try:
        anki = start_anki(tmp_path, port=port, wait=False)
        try:
            wait_for_probe(anki)
            messages = anki.wait_for(
                "from aqt.qt import QApplication\n"
                "result = [w.text() for w in QApplication.topLevelWidgets()"
                " if w.objectName() == 'ankiconnect-port-warning' and w.isVisible()]"
            )
            assert messages == [f"Failed to listen on port {port}.\nMake sure it is available and is not in use."]
            assert anki.probe("result = mw.col is not None and mw.state") == "deckBrowser"
        finally:
            anki.stop()
    finally:
        holder.close()


def test_changing_the_port_in_the_config_moves_the_server(tmp_path: Path) -> None:
    anki = start_anki(tmp_path)
    try:
        new_port = free_port()
        anki.probe(
            f"""
            config = mw.addonManager.getConfig('ankiconnect')
            config['webBindPort'] = {new_port}
            mw.addonManager.writeConfig('ankiconnect', config)
            mw.addonManager.configUpdatedAction('ankiconnect')(config)
            """
        )
        assert http_client(f"http://127.0.0.1:{new_port}")("version") == 6
        assert not port_is_open(anki.port)
    finally:
        anki.stop()


@pytest.mark.smoke
def test_the_packaged_add_on_installs_through_ankis_add_on_manager(tmp_path: Path) -> None:
    archive = Path(
        subprocess.run(
            [sys.executable, "-m", "tools.package", "--output", str(tmp_path / "dist")],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    base = tmp_path / "base"
    prepare_base(base)
    # the original AnkiConnect is installed: both want port 8765, so ours declares the conflict
    original = base / "addons21" / ORIGINAL_ID
    original.mkdir(parents=True)
    (original / "__init__.py").write_text("")
    # first start: Anki without the add-on, which installs the archive like a user would
    anki = start_anki(base, install=False, prepare=False, wait=False)
    try:
        wait_for_probe(anki)
        installed = anki.probe(
            f"""
            manager = mw.addonManager
            outcome = manager.install({str(archive)!r})
            meta = manager.addon_meta("ankiconnect")
            result = [type(outcome).__name__, getattr(outcome, "name", None), sorted(outcome.conflicts),
                      outcome.compatible, manager.isEnabled({ORIGINAL_ID!r}),
                      meta.min_version, meta.max_version, meta.compatible()]
            """
        )
        manifest = json.loads((ROOT / "plugin" / "manifest.json").read_text())
        # this Anki is in the declared range: the add-on loads, the original is switched off
        assert installed == [
            "InstallOk",
            "AnkiConnect (fast, headless-ready)",
            [ORIGINAL_ID],
            True,
            False,
            manifest["min_point_version"],
            manifest["max_point_version"],
            True,
        ]
        port = free_port()
        anki.probe(
            f"""
            config = mw.addonManager.getConfig('ankiconnect')
            config['webBindPort'] = {port}
            mw.addonManager.writeConfig('ankiconnect', config)
            """
        )
    finally:
        anki.stop()
    folder = base / "addons21" / "ankiconnect"
    shipped = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    expected = sorted(
        p.relative_to(ROOT / "plugin").as_posix()
        for p in (ROOT / "plugin").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.name != "meta.json"
    )
    assert shipped == sorted([*expected, "meta.json"])
    # second start: the installed add-on serves
    anki = start_anki(base, install=False, prepare=False, port=port, wait=False)
    try:
        anki.process.wait_until_serving()
        api: ApiClient = http_client(anki.url)
        assert api("version") == 6
        assert anki.probe(f"result = mw.addonManager.isEnabled({ORIGINAL_ID!r})") is False
        assert anki.error_dialogs() == []
    finally:
        anki.stop()
