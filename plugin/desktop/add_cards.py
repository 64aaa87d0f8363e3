"""Anki's Add dialog, opened and pre-filled by `guiAddCards`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import aqt

from .windows import bring_to_front, open_instance

if TYPE_CHECKING:
    from anki.notes import Note
    from aqt.main import AnkiQt

PLACED_ATTRIBUTE = "_ankiconnect_placed"
"""Remembers on the dialog what the API put in it, to tell it from the user's typing."""


def open_add_cards(mw: AnkiQt, note: Note | None, deck_id: int | None) -> int:
    """Open the Add dialog, pre-filled with `note` in deck `deck_id`; return the note's id.

    An open dialog that holds nothing but what the API placed (or nothing at
    all) is refilled in place. One holding the user's own typing goes through
    Anki's close flow, which asks before discarding it; the new content then
    opens in a fresh dialog.
    """
    if note is None:
        dialog = aqt.dialogs.open("AddCards", mw)
        bring_to_front(dialog)
        return int(dialog.editor.note.id) if dialog.editor.note else 0
    current = open_instance("AddCards")
    if current is None:
        _fill(aqt.dialogs.open("AddCards", mw), note, deck_id)
    elif _holds_only_what_the_api_placed(current):
        _fill(current, note, deck_id)
    else:
        current.closeWithCallback(lambda: _fill(aqt.dialogs.open("AddCards", mw), note, deck_id))
    return int(note.id)


def _fill(dialog: Any, note: Note, deck_id: int | None) -> None:
    dialog.set_note(note, deck_id)
    shown = dialog.editor.note
    setattr(dialog, PLACED_ATTRIBUTE, (list(shown.fields), list(shown.tags)))
    bring_to_front(dialog)


def _holds_only_what_the_api_placed(dialog: Any) -> bool:
    shown = dialog.editor.note
    if shown is None or dialog.editor.fieldsAreBlank():
        return True
    return getattr(dialog, PLACED_ATTRIBUTE, None) == (list(shown.fields), list(shown.tags))
