"""Bringing windows up to date after the API changed the collection.

Anki refreshes the focused window at once after an operation and the others
when they next get focus (dimming the main window's page meanwhile). A change
that arrives over the API comes from outside Anki, usually while another
program has focus, so nobody would see it until they clicked into Anki. When
none of Anki's windows has focus, the screens that show collection data are
therefore refreshed straight away.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aqt.utils import current_window

from .windows import open_instance

if TYPE_CHECKING:
    from aqt.main import AnkiQt

__all__ = ["current_window", "refresh_unfocused_windows"]


def refresh_unfocused_windows(mw: AnkiQt) -> None:
    """After `operation_did_execute`: redraw what Anki left for the next focus change."""
    screen: Any = {"deckBrowser": mw.deckBrowser, "overview": mw.overview, "review": mw.reviewer}.get(mw.state)
    if screen is not None:
        screen.refresh_if_needed()
        mw.fade_in_webview()
    browser = open_instance("Browser")
    if browser is not None:
        browser.table.redraw_cells()
