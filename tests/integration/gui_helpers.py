"""Probe snippets shared by the graphical integration tests: notes, windows, what they show."""

from __future__ import annotations

import json
import time
from typing import Any

from tests.support.anki import RunningAnki

MANAGED_WINDOWS = ("AddCards", "Browser", "EditCurrent", "ankiconnect-edit-note")


def add_notes(anki: RunningAnki, deck: str, pairs: list[tuple[str, str]], tags: list[str] | None = None) -> list[int]:
    """Basic notes in `deck` (created if needed), announced to the windows like an API action would."""
    return anki.probe(
        f"""
        from anki.collection import OpChanges
        col = mw.col
        deck_id = col.decks.id({deck!r})
        ids = []
        for front, back in {pairs!r}:
            note = col.new_note(col.models.by_name("Basic"))
            note["Front"], note["Back"] = front, back
            note.tags = {tags or []!r}
            col.add_note(note, deck_id)
            ids.append(note.id)
        mw._ankiconnect.host.collection_changed(OpChanges(card=True, note=True, deck=True,
            browser_table=True, note_text=True, study_queues=True))
        result = ids
        """
    )


def change_note_fields(anki: RunningAnki, note_id: int, fields: dict[str, str]) -> None:
    """What `updateNoteFields` does, until it is merged: update the note, tell the windows."""
    anki.probe(
        f"""
        note = mw.col.get_note({note_id})
        for name, value in {fields!r}.items():
            note[name] = value
        changes = mw.col.update_note(note)
        mw._ankiconnect.host.collection_changed(changes)
        """
    )


def card_ids_of(anki: RunningAnki, note_ids: list[int]) -> list[int]:
    return anki.probe(f"result = [c for n in {note_ids!r} for c in mw.col.card_ids_of_note(n)]")


def note_fields(anki: RunningAnki, note_id: int) -> list[str]:
    return anki.probe(f"result = mw.col.get_note({note_id}).fields")


def browser_rows(anki: RunningAnki) -> list[int]:
    """Card ids of the open browser's rows, top to bottom."""
    return anki.probe(
        """
        model = aqt.dialogs._dialogs["Browser"][1].table._model
        result = list(model.get_card_ids([model.index(row, 0) for row in range(model.len_rows())]))
        """
    )


def browser_cell_texts(anki: RunningAnki, column: str) -> list[str]:
    """What the open browser shows in `column`, row by row (rows are fetched as Qt paints them)."""
    return anki.probe(
        f"""
        from aqt.qt import Qt
        table = aqt.dialogs._dialogs["Browser"][1].table
        model = table._model
        section = model.active_column_index({column!r})
        result = [model.data(model.index(row, section), Qt.ItemDataRole.DisplayRole)
                  for row in range(model.len_rows())]
        """
    )


def visible_windows(anki: RunningAnki) -> list[str]:
    return anki.probe(
        """
        from aqt.qt import QApplication
        result = sorted(type(w).__name__ for w in QApplication.topLevelWidgets()
                        if w.isVisible() and w is not mw)
        """
    )


def close_windows(anki: RunningAnki) -> None:
    """Close every window a test may have opened, without questions, and go back to the deck list."""
    anki.probe(
        f"""
        from aqt.qt import QApplication, QDialog, QMessageBox
        for box in QApplication.topLevelWidgets():
            if isinstance(box, QMessageBox) and box.isVisible():
                box.reject()
        add = aqt.dialogs._dialogs["AddCards"][1]
        if add is not None:
            add._close()  # skips "discard current input?"
        for name in {MANAGED_WINDOWS!r}:
            entry = aqt.dialogs._dialogs.get(name)
            if entry and entry[1] is not None:
                entry[1].close()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        mw.moveToState("deckBrowser")
        """
    )
    anki.wait_for(f"result = all(aqt.dialogs._dialogs.get(n, [None, None])[1] is None for n in {MANAGED_WINDOWS!r})")
    anki.wait_for("result = not mw.progress.busy()")


def js_value(anki: RunningAnki, webview: str, script: str, timeout: float = 30) -> Any:
    """Evaluate `script` in one of Anki's web views (e.g. `mw.web`) and return its JSON value.

    A page that reloads while the script runs drops its callback, so the script is sent
    again until an answer arrives.
    """
    deadline = time.monotonic() + timeout
    while True:
        anki.probe(
            f"""
            mw._gui_test_js = None
            {webview}.evalWithCallback({f"JSON.stringify({script})"!r},
                                       lambda value: setattr(mw, "_gui_test_js", [value]))
            """
        )
        try:
            value = anki.wait_for("result = mw._gui_test_js", timeout=3)[0]
        except TimeoutError:
            if time.monotonic() > deadline:
                raise
            continue
        return json.loads(value) if value is not None else None
