"""The card browser as the graphical actions drive it: search, sort, select."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aqt
from anki.collection import BrowserColumns
from aqt.qt import Qt

from ..errors import ActionError
from .windows import bring_to_front, open_instance

if TYPE_CHECKING:
    from aqt.browser.browser import Browser
    from aqt.main import AnkiQt


def open_browser(mw: AnkiQt, search: str | None) -> Browser:
    """Open (or raise) the browser; with `search`, show it in the search box and run it at once.

    The search runs synchronously, so the rows match the reply and a following
    `guiSelectCard` finds them. `search` must already be valid.
    """
    browser = aqt.dialogs.open("Browser", mw)
    if search is not None:
        browser.search_for(search)
        browser.update_history()
    bring_to_front(browser)
    return browser


def sort_browser(browser: Browser, column_key: str, descending: bool) -> None:
    """Sort the table by one of its shown columns, in the requested direction."""
    table = browser.table
    model = table._model
    section = model.active_column_index(column_key)
    if section is None:
        raise ActionError(f"invalid columnId: {column_key}")
    column = model.column_at_section(section)
    if _sorting_of(column, table.is_notes_mode()) == BrowserColumns.SORTING_NONE:
        # Anki would answer a click on this column with a modal message
        raise ActionError(f"the browser cannot sort by column: {column_key}")
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    table._on_sort_column_changed(section, order)
    if table._state.sort_backwards != descending:
        # switching columns picks the column's own default direction; apply ours
        table._on_sort_column_changed(section, order)


def _sorting_of(column: BrowserColumns.Column, notes_mode: bool) -> object:
    return column.sorting_notes if notes_mode else column.sorting_cards


def select_card(card_id: int) -> bool:
    """Select only `card_id` in the open browser; False when no browser is open."""
    browser = open_instance("Browser")
    if browser is None:
        return False
    browser.table.clear_selection()
    browser.table.select_single_card(card_id)
    return True


def selected_note_ids() -> list[int]:
    browser = open_instance("Browser")
    if browser is None:
        return []
    return list(browser.table.get_selected_note_ids())
