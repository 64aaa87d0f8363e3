"""Headless sync against the sync server that ships inside the `anki` package, on loopback.

The round trip: a headless collection goes up (the first sync is a full
upload, done by `python -m plugin sync --full-sync upload`), a second fresh
collection comes down, both are compared (notes and media), then changes
travel between them through the `sync` action of headless servers, using the
login kept from the first sync.
"""

from __future__ import annotations

import json
import logging
import stat
import time
from pathlib import Path
from typing import Any, Iterator

import pytest
from anki.collection import Collection

from plugin.headless.cli import main
from plugin.headless.host import CollectionHost
from plugin.headless.runner import HeadlessServer
from plugin.headless.syncing import DOWNLOAD, UPLOAD, LoginStore, SavedLogin, choose_full_sync, login_path_for
from plugin.sync import FULL_DOWNLOAD, FULL_SYNC, FULL_UPLOAD
from tests.support.client import ApiClient
from tests.support.collections import new_collection
from tests.support.headless import LoopDrivenHttp, http_api_client, run_cli
from tests.support.syncserver import running_sync_server

USERS = {"alice": "wonderland", "bob": "builder", "carol": "singer"}
SYNC_STATUS_DOC = (
    "see SyncCollectionResponse.ChangesRequired for list of sync statuses: "
    "https://github.com/ankitects/anki/blob/e41c4573d789afe8b020fab5d9d1eede50c3fa3d/proto/anki/sync.proto#L57-L65"
)


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Anki's own sync server with three accounts."""
    with running_sync_server(tmp_path_factory.mktemp("sync-server"), USERS) as url:
        yield url


def credentials(user: str, endpoint: str, password: str | None = None) -> dict[str, str]:
    return {
        "ANKICONNECT_SYNC_USER": user,
        "ANKICONNECT_SYNC_PASSWORD": USERS[user] if password is None else password,
        "ANKICONNECT_SYNC_ENDPOINT": endpoint,
    }


def add_note(col: Collection, front: str, back: str, deck: str = "Default", tags: tuple[str, ...] = ()) -> int:
    deck_id = col.decks.id(deck)
    assert deck_id is not None
    note = col.new_note(col.models.by_name("Basic"))  # type: ignore[arg-type]
    note["Front"], note["Back"] = front, back
    note.tags = list(tags)
    col.add_note(note, deck_id)
    return note.id


def snapshot(col: Collection) -> dict[str, Any]:
    """What must be equal on both sides: notes with their cards' decks, and the media files."""
    notes = {}
    for note_id in col.find_notes(""):
        note = col.get_note(note_id)
        decks = sorted(col.decks.name(card.did) for card in note.cards())
        notes[note.guid] = {"id": note.id, "fields": note.fields, "tags": note.tags, "decks": decks}
    media_dir = Path(col.media.dir())
    media = {path.name: path.read_bytes() for path in media_dir.iterdir() if path.is_file()}
    return {"notes": notes, "media": media}


def last_lines(log: str, count: int) -> list[str]:
    return [line.split(" ", 3)[3] for line in log.splitlines()[-count:]]


class Served:
    """A headless server on a collection, called over HTTP from the thread that owns the collection."""

    def __init__(self, col: Collection, config: dict[str, Any], environ: dict[str, str]) -> None:
        self.col = col
        self.host = CollectionHost(col, config=config, environ=environ)
        self.server = HeadlessServer(self.host)
        self.http = LoopDrivenHttp(self.server)
        self.call: ApiClient = http_api_client(self.http)

    def wait_for_media(self) -> None:
        while self.col.media_sync_status().active:
            time.sleep(0.05)
            self.host.poll_background()

    def close(self) -> None:
        self.http.close()
        self.server.close()
        self.host.close_collection()


# -- the round trip ---------------------------------------------------------------------------


def test_up_down_and_incremental_round_trip(tmp_path: Path, endpoint: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    first = new_collection(tmp_path / "first")
    add_note(first, "perro", "dog", "Spanish", tags=("animals",))
    add_note(first, 'gato <img src="cat.png">', "cat", "Spanish")
    add_note(first, "hello", "hola")
    first.media.write_data("cat.png", b"\x89PNG a cat")
    first.media.write_data("sound.mp3", b"ID3 meow")
    first_path, before = first.path, snapshot(first)
    first.close()

    # -- the first sync of a collection is a full upload, asked for explicitly
    assert main(["sync", "--collection", first_path], environ=credentials("alice", endpoint)) == 1
    assert caplog.messages[-1] == (
        "a full sync is needed: the server has no collection yet, so this one must be uploaded; "
        "run the sync command with --full-sync upload"
    )
    uploaded = run_cli("sync", "--collection", first_path, "--full-sync", UPLOAD, env=credentials("alice", endpoint))
    assert uploaded.returncode == 0, uploaded.stderr
    assert last_lines(uploaded.stderr, 1) == ["sync finished: full upload"]

    # only the host key is kept, readable by its owner alone
    login_file = Path(login_path_for(first_path))
    kept = json.loads(login_file.read_text())
    assert set(kept) == {"user", "hkey", "endpoint", "configuredEndpoint"}
    assert (kept["user"], kept["endpoint"], kept["configuredEndpoint"]) == ("alice", endpoint, endpoint)
    assert USERS["alice"] not in login_file.read_text()
    assert stat.S_IMODE(login_file.stat().st_mode) == 0o600

    # -- a second, fresh collection comes down
    second_path = tmp_path / "second" / "User 1" / "collection.anki2"
    wrong_way = ["sync", "--collection", str(second_path), "--create", "--full-sync", UPLOAD]
    assert main(wrong_way, environ=credentials("alice", endpoint)) == 1
    assert caplog.messages[-1] == (
        "a full sync is needed: this collection is empty, so the server's must be downloaded; "
        "refusing to upload, which would leave the server's collection empty"
    )
    download = ["sync", "--collection", str(second_path), "--full-sync", DOWNLOAD]
    assert main(download, environ=credentials("alice", endpoint)) == 0
    assert caplog.messages[-1] == "sync finished: full download"

    second = Collection(str(second_path))
    try:
        after = snapshot(second)
    finally:
        second.close()
    assert after == before
    assert sorted(after["media"]) == ["cat.png", "sound.mp3"]
    assert sorted(note["fields"][0] for note in after["notes"].values()) == [
        'gato <img src="cat.png">',
        "hello",
        "perro",
    ]

    # -- incremental syncs through the `sync` action, with the kept logins and no password
    config = {"syncEndpoint": endpoint}
    served_first = Served(Collection(first_path), config, environ={})
    try:
        new_id = add_note(served_first.col, "tercero", "third", "Spanish")
        served_first.col.media.write_data("third.png", b"\x89PNG three")
        basic = served_first.col.models.by_name("Basic")
        assert basic is not None
        basic["css"] = ".card { color: teal; }"
        served_first.col.models.update_dict(basic)
        assert served_first.call("sync") is None
        served_first.wait_for_media()
        assert served_first.call("sync") is None  # nothing left to do is fine too
    finally:
        served_first.close()

    served_second = Served(Collection(str(second_path)), config, environ={})
    try:
        assert served_second.col.models.by_name("Basic")["css"] != ".card { color: teal; }"  # type: ignore[index]
        assert served_second.call("sync") is None
        # what Anki keeps of note types in memory was refreshed too
        assert served_second.col.models.by_name("Basic")["css"] == ".card { color: teal; }"  # type: ignore[index]
        served_second.wait_for_media()
        note = served_second.col.get_note(new_id)
        assert note.fields == ["tercero", "third"]
        assert served_second.col.decks.name(note.cards()[0].did) == "Spanish"
        assert (Path(served_second.col.media.dir()) / "third.png").read_bytes() == b"\x89PNG three"
        # and back: a change made on the second side reaches the first
        served_second.col.remove_notes([new_id])
        assert served_second.call("sync") is None
    finally:
        served_second.close()

    first = Collection(first_path)
    try:
        assert first.find_notes("") and new_id in first.find_notes("")  # not synced back yet
    finally:
        first.close()
    assert main(["sync", "--collection", first_path, "--set", f"syncEndpoint={endpoint}"], environ={}) == 0
    assert caplog.messages[-1] == "sync finished: normal sync"
    first = Collection(first_path)
    try:
        assert new_id not in first.find_notes("")
        assert len(first.find_notes("")) == 3
    finally:
        first.close()


# -- the sync action's errors -------------------------------------------------------------------


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Collection]:
    col = new_collection(tmp_path / "fresh")
    add_note(col, "only here", "x")
    yield col
    if col.db is not None:
        col.close()


def serve(col: Collection, environ: dict[str, str], config: dict[str, Any] | None = None) -> Served:
    return Served(col, config or {}, environ)


def test_a_full_sync_is_refused_by_the_action_with_the_original_error(fresh: Collection, endpoint: str) -> None:
    served = serve(fresh, credentials("bob", endpoint))
    try:
        assert served.call.error("sync") == f"Sync status 4 not one of [0, 1] - {SYNC_STATUS_DOC}"
        # the login itself worked and is kept for when the full sync has been done
        assert LoginStore(login_path_for(fresh.path)).load() is not None
        assert fresh.find_notes("")  # nothing was replaced
    finally:
        served.http.close()
        served.server.close()


def test_a_wrong_password_is_reported_and_nothing_is_kept(fresh: Collection, endpoint: str) -> None:
    served = serve(fresh, credentials("bob", endpoint, password="guess"))
    try:
        assert served.call.error("sync") == f"sync: login failed: {fresh.tr.sync_wrong_pass()}"
        assert not Path(login_path_for(fresh.path)).exists()
    finally:
        served.http.close()
        served.server.close()


def test_without_credentials_or_kept_login(fresh: Collection, endpoint: str) -> None:
    served = serve(fresh, {"ANKICONNECT_SYNC_USER": "bob", "ANKICONNECT_SYNC_ENDPOINT": endpoint})
    try:
        assert served.call.error("sync") == "sync: auth not configured"
    finally:
        served.http.close()
        served.server.close()


def test_a_refused_kept_login_is_replaced_when_the_password_is_given(fresh: Collection, endpoint: str) -> None:
    store = LoginStore(login_path_for(fresh.path))
    store.save(SavedLogin(hkey="stale", user="carol", endpoint=endpoint, configured_endpoint=endpoint))
    served = serve(fresh, credentials("carol", endpoint))
    try:
        # a fresh login, then the server asks for the first (full) sync
        assert served.call.error("sync").startswith("Sync status 4 not one of [0, 1]")
        kept = store.load()
        assert kept is not None and kept.hkey != "stale"
    finally:
        served.http.close()
        served.server.close()


def test_a_refused_kept_login_without_password_is_forgotten(fresh: Collection, endpoint: str) -> None:
    store = LoginStore(login_path_for(fresh.path))
    store.save(SavedLogin(hkey="stale", user="carol", endpoint=endpoint, configured_endpoint=endpoint))
    served = serve(fresh, {}, config={"syncEndpoint": endpoint})
    try:
        message = served.call.error("sync")
        assert message.startswith("sync: the server refused the kept login (")
        assert message.endswith(
            "); give the user and password again (ANKICONNECT_SYNC_USER and ANKICONNECT_SYNC_PASSWORD) to log in"
        )
        assert store.load() is None
        assert served.call.error("sync") == "sync: auth not configured"
    finally:
        served.http.close()
        served.server.close()


def test_a_kept_login_for_another_server_is_not_used(fresh: Collection, endpoint: str) -> None:
    store = LoginStore(login_path_for(fresh.path))
    store.save(
        SavedLogin(hkey="k", user="carol", endpoint="http://192.0.2.1/", configured_endpoint="http://192.0.2.1/")
    )
    served = serve(fresh, {}, config={"syncEndpoint": endpoint})
    try:
        assert served.call.error("sync") == "sync: auth not configured"
        assert store.load() is not None  # kept, in case the config goes back
    finally:
        served.http.close()
        served.server.close()


def test_the_sync_command_without_a_login(fresh: Collection, endpoint: str, caplog: pytest.LogCaptureFixture) -> None:
    path = fresh.path
    fresh.close()
    assert main(["sync", "--collection", path, "--set", f"syncEndpoint={endpoint}"], environ={}) == 1
    assert caplog.messages == [
        "no sync login: set ANKICONNECT_SYNC_USER and ANKICONNECT_SYNC_PASSWORD (or syncUser and syncPassword "
        "in the config file)"
    ]


# -- choosing the direction of a full sync ------------------------------------------------------


@pytest.mark.parametrize(
    ("required", "direction", "outcome"),
    [
        (FULL_UPLOAD, UPLOAD, "upload"),
        (FULL_DOWNLOAD, DOWNLOAD, "download"),
        (FULL_SYNC, UPLOAD, "upload"),
        (FULL_SYNC, DOWNLOAD, "download"),
        (
            FULL_UPLOAD,
            None,
            "a full sync is needed: the server has no collection yet, so this one must be uploaded; "
            "run the sync command with --full-sync upload",
        ),
        (
            FULL_UPLOAD,
            DOWNLOAD,
            "a full sync is needed: the server has no collection yet, so this one must be "
            "uploaded; refusing to download, which would leave this collection empty",
        ),
        (
            FULL_DOWNLOAD,
            None,
            "a full sync is needed: this collection is empty, so the server's must be "
            "downloaded; run the sync command with --full-sync download",
        ),
        (
            FULL_SYNC,
            None,
            "a full sync is needed: this collection and the server's have changes that cannot be "
            "merged. Choose the one to keep: --full-sync upload replaces the server's with this one, "
            "--full-sync download replaces this one with the server's",
        ),
    ],
)
def test_choose_full_sync(required: int, direction: str | None, outcome: str) -> None:
    if outcome in (UPLOAD, DOWNLOAD):
        assert choose_full_sync(required, direction) is (outcome == UPLOAD)
    else:
        with pytest.raises(Exception, match="^" + outcome.replace(".", r"\.") + "$"):
            choose_full_sync(required, direction)
