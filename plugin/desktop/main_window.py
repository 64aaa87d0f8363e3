"""The main window's screens and menu commands, as the graphical actions use them."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ..errors import ActionError
from .windows import bring_to_front

if TYPE_CHECKING:
    from aqt.main import AnkiQt

EXIT_DELAY_MS = 1000
"""Long enough for the reply to reach the client before the server stops."""


def show_deck_overview(mw: AnkiQt, name: str) -> bool:
    """Select the deck and show its overview; False when there is no such deck."""
    assert mw.col is not None
    deck_id = mw.col.decks.id_for_name(name) if isinstance(name, str) else None
    if deck_id is None:
        return False
    mw.col.decks.select(deck_id)
    mw.moveToState("overview")
    return True


def start_deck_review(mw: AnkiQt, name: str) -> bool:
    if not show_deck_overview(mw, name):
        return False
    mw.moveToState("review")
    return True


def show_deck_browser(mw: AnkiQt) -> None:
    mw.moveToState("deckBrowser")


def undo(mw: AnkiQt) -> None:
    """Edit > Undo. Runs as Anki's own operation, which refreshes every window."""
    from aqt.operations.collection import undo as undo_operation

    undo_operation(parent=mw)


def check_database(mw: AnkiQt) -> None:
    """Tools > Check Database; runs in the background and reports in Anki."""
    mw.onCheckDB()


def import_file(mw: AnkiQt, path: str | None) -> None:
    """Start Anki's import flow for `path`, or its file picker, once the reply is sent.

    The flow may ask questions in modal dialogs (a file picker, "replace the
    collection?"), which must not hold up the reply.
    """
    from aqt.import_export.importing import import_file as import_path
    from aqt.import_export.importing import prompt_for_file_then_import

    if path is not None:
        _check_importable(path)

    def start() -> None:
        bring_to_front(mw)
        if path is None:
            prompt_for_file_then_import(mw)
        else:
            import_path(mw, path)

    mw.progress.single_shot(0, start, False)


def _check_importable(path: str) -> None:
    """Anki answers an unknown file type with a modal warning; the client gets an error instead."""
    if not os.path.isfile(path):
        raise ActionError(f"file was not found: {path}")
    from aqt.import_export.importing import IMPORTERS

    name = os.path.basename(path).lower()
    if not any(importer.can_import(name) for importer in IMPORTERS):
        raise ActionError(f"Anki cannot import this type of file: {path}")


def exit_anki(mw: AnkiQt) -> None:
    """Close Anki as File > Exit does (the profile is closed and saved), after the reply is sent."""
    mw.progress.single_shot(EXIT_DELAY_MS, lambda: _close(mw), False)


def _close(mw: AnkiQt) -> None:
    mw.close()
