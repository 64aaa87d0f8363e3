"""Small helpers shared by the windows the graphical actions drive."""

from __future__ import annotations

from typing import Any

import aqt
from aqt.qt import Qt, QWidget


def open_instance(name: str) -> Any | None:
    """The open instance of one of Anki's managed dialogs ("Browser", "AddCards", ...), or None."""
    entry = aqt.dialogs._dialogs.get(name)
    return entry[1] if entry else None


def bring_to_front(window: QWidget) -> None:
    """Show `window` un-minimised, raised and active, as Anki does for its own dialogs."""
    if window.windowState() & Qt.WindowState.WindowMinimized:
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
