"""The `sync` action in Anki's desktop app, against Anki's own sync server on loopback.

It shares `plugin/sync.py` with headless mode; in the desktop app a successful
check is followed by Anki's own sync (as in the original), which refreshes the
windows.
"""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection

from plugin.headless.cli import main
from tests.support.anki import start_anki
from tests.support.client import http_client
from tests.support.syncserver import running_sync_server

USER, PASSWORD = "dora", "explorer"
STATUS_DOC = (
    "see SyncCollectionResponse.ChangesRequired for list of sync statuses: "
    "https://github.com/ankitects/anki/blob/e41c4573d789afe8b020fab5d9d1eede50c3fa3d/proto/anki/sync.proto#L57-L65"
)

ADD_NOTE = """
note = mw.col.new_note(mw.col.models.by_name("Basic"))
note["Front"], note["Back"] = {front!r}, "from Anki"
mw.col.add_note(note, mw.col.decks.id("Default"))
result = note.id
"""


def test_sync_in_the_desktop_app(tmp_path: Path) -> None:
    (tmp_path / "server").mkdir()
    with running_sync_server(tmp_path / "server", {USER: PASSWORD}) as endpoint:
        anki = start_anki(tmp_path / "anki")
        try:
            api = http_client(anki.url)
            assert api.error("sync") == "sync: auth not configured"

            # log in the way Anki's sync dialog does, to the self-hosted server
            anki.probe(
                f"""
                mw.pm.set_custom_sync_url({endpoint!r})
                auth = mw.col.sync_login({USER!r}, {PASSWORD!r}, mw.pm.sync_endpoint())
                mw.pm.set_sync_key(auth.hkey)
                mw.pm.set_sync_username({USER!r})
                """
            )
            first = anki.probe(ADD_NOTE.format(front="first"))
            # the first sync is a full upload, which the action leaves to the person at the desk
            assert api.error("sync") == f"Sync status 4 not one of [0, 1] - {STATUS_DOC}"
            anki.probe(
                """
                mw.col.close_for_full_sync()
                try:
                    mw.col.full_upload_or_download(auth=mw.pm.sync_auth(), server_usn=None, upload=True)
                finally:
                    mw.reopen(after_full_sync=True)
                from aqt import gui_hooks
                mw._test_gui_syncs = []
                gui_hooks.sync_did_finish.append(lambda: mw._test_gui_syncs.append(True))
                """
            )
            second = anki.probe(ADD_NOTE.format(front="second"))

            assert api("sync") is None
            # then Anki's own sync ran, once
            anki.wait_for("result = len(mw._test_gui_syncs) == 1 and not mw.media_syncer.is_syncing()", timeout=60)
            assert anki.error_dialogs() == []
        finally:
            anki.stop()

        # what reached the server, seen from a fresh headless collection
        copy = tmp_path / "copy" / "collection.anki2"
        environ = {
            "ANKICONNECT_SYNC_USER": USER,
            "ANKICONNECT_SYNC_PASSWORD": PASSWORD,
            "ANKICONNECT_SYNC_ENDPOINT": endpoint,
        }
        assert main(["sync", "--collection", str(copy), "--create", "--full-sync", "download"], environ=environ) == 0
        col = Collection(str(copy))
        try:
            assert sorted(col.find_notes("")) == sorted([first, second])
            assert [col.get_note(second)["Front"]] == ["second"]
        finally:
            col.close()
