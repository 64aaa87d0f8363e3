"""Each difference `plugin/compat.py` bridges, exercised on whichever Anki runs the tests."""

from __future__ import annotations

import zipfile
from pathlib import Path

from anki.collection import Collection

from plugin import compat


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
