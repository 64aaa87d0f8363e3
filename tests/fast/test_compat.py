"""Each difference `plugin/compat.py` bridges, exercised on whichever Anki runs the tests."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from anki.collection import Collection

from plugin import compat
from tests.support.client import ApiClient
from tests.support.syncserver import running_sync_server


def test_export_deck_package_writes_an_apkg(col: Collection, tmp_path: Path) -> None:
    note = col.new_note(col.models.by_name("Basic"))  # type: ignore[arg-type]
    note["Front"] = "uno"
    col.add_note(note, 1)  # type: ignore[arg-type]
    path = tmp_path / "default.apkg"
    compat.export_deck_package(col, path=str(path), deck_id=1, with_scheduling=True)
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
    assert {"collection.anki2", "media"} <= names


def test_import_options_keep_only_known_fields() -> None:
    options = compat.import_package_options(with_scheduling=True, merge_notetypes=True, no_such_option=True)
    assert options.with_scheduling is True
    assert options.merge_notetypes is True
    fields = set(type(options).DESCRIPTOR.fields_by_name)
    if "with_deck_configs" in fields:  # Anki 24.x and later
        assert compat.import_package_options(with_deck_configs=True).with_deck_configs is True
    else:  # Anki 23.10: silently left out
        assert compat.import_package_options(with_deck_configs=True) == type(options)()


def test_sync_login_returns_an_auth_naming_the_server_it_logged_in_to(col: Collection, tmp_path: Path) -> None:
    (tmp_path / "server").mkdir()
    note = col.new_note(col.models.by_name("Basic"))  # type: ignore[arg-type]
    note["Front"] = "uno"
    col.add_note(note, 1)  # type: ignore[arg-type]
    with running_sync_server(tmp_path / "server", {"ana": "secret"}) as endpoint:
        auth = compat.sync_login(col, "ana", "secret", endpoint)
        assert auth.endpoint == endpoint  # Anki 23.10 leaves it out: a sync would go to AnkiWeb
        assert len(auth.hkey) == 40
        output = col.sync_collection(auth, False)
    assert output.required == output.FULL_UPLOAD  # that server was reached: it has no collection yet


def test_media_names_keep_their_case_or_are_lower_cased(col: Collection, call: ApiClient) -> None:
    # Not bridged but passed on: Anki 25.09+ lower-cases stored names, 23.10 keeps them. Clients get
    # the stored name, and replacing a file finds it under either spelling (plugin/media_store.py).
    stored = col.media.write_data("Mixed.TXT", b"one")
    assert stored in {"Mixed.TXT", "mixed.txt"}
    assert call("storeMediaFile", filename="Mixed.TXT", data="dHdv") == stored
    assert sorted(os.listdir(col.media.dir())) == [stored]
