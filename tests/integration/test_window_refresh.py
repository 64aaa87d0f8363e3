"""Windows show changes made through the API without the user refreshing.

The changes are made the way actions make them: a collection call, then
`host.collection_changed(changes)` (see gui_helpers). Each window is checked
with Anki's main window focused (Anki's own refresh path) and with no Anki
window focused, the usual case while a client program drives the API.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Iterator

import pytest

from tests.integration.gui_helpers import add_notes, card_ids_of, change_note_fields, close_windows, js_value
from tests.support.anki import RunningAnki
from tests.support.client import ApiClient

FOCUS = ["anki-focused", "nothing-focused"]


@pytest.fixture(autouse=True)
def windows_closed_afterwards(anki: RunningAnki) -> Iterator[None]:
    yield
    close_windows(anki)


def set_focus(anki: RunningAnki, focus: str) -> None:
    if focus == "anki-focused":
        anki.probe("mw.activateWindow(); mw.web.setFocus()")
        anki.wait_for("from aqt.utils import current_window\nresult = current_window() is mw")
    else:
        anki.probe(
            "from aqt.qt import QApplication\nwidget = QApplication.focusWidget()\nwidget and widget.clearFocus()"
        )
        anki.wait_for("from aqt.utils import current_window\nresult = current_window() is None")


def deck_row_text(anki: RunningAnki, deck_id: int) -> str | None:
    return js_value(anki, "mw.web", f"document.getElementById('{deck_id}')?.innerText ?? null")


@pytest.mark.parametrize("focus", FOCUS)
def test_the_deck_list_shows_new_counts(anki: RunningAnki, api: ApiClient, focus: str) -> None:
    deck = f"Counts {focus}"
    add_notes(anki, deck, [("uno", "one")])
    deck_id = anki.probe(f"result = mw.col.decks.id_for_name({deck!r})")
    assert api("guiDeckBrowser") is None
    assert wait_for_shown(lambda: deck_row_text(anki, deck_id), f"{deck}\t1\t0\t0\t") == f"{deck}\t1\t0\t0\t"
    set_focus(anki, focus)
    add_notes(anki, deck, [("dos", "two"), ("tres", "three")])
    assert wait_for_shown(lambda: deck_row_text(anki, deck_id), f"{deck}\t3\t0\t0\t") == f"{deck}\t3\t0\t0\t"
    # not left dimmed, as Anki leaves a window that is refreshed only when it gets focus
    assert js_value(anki, "mw.web", "document.body.style.opacity") in ("", "1")


def wait_for_shown(read: Callable[[], Any], expected: Any, timeout: float = 30) -> Any:
    """Read what a window shows until it is `expected` (web views render asynchronously)."""
    deadline = time.monotonic() + timeout
    while (value := read()) != expected and time.monotonic() < deadline:
        time.sleep(0.05)
    return value


def cached_browser_text(anki: RunningAnki, card_id: int, column: str) -> str | None:
    """The text the browser's table has for `card_id` in its cache: what it last painted."""
    return anki.probe(
        f"""
        model = aqt.dialogs._dialogs["Browser"][1].table._model
        row = model.get_card_row({card_id})
        cached = model.get_cached_row(model.index(row, 0))
        result = cached and cached.cells[model.active_column_index({column!r})].text
        """
    )


@pytest.mark.parametrize("focus", FOCUS)
def test_an_open_browser_shows_changed_rows(anki: RunningAnki, api: ApiClient, focus: str) -> None:
    deck = f"Rows {focus}"
    (note,) = add_notes(anki, deck, [("antes", "before")])
    (card,) = card_ids_of(anki, [note])
    api("guiBrowse", query=f'"deck:{deck}"')

    def painted() -> str | None:
        anki.probe('aqt.dialogs._dialogs["Browser"][1].table._view.viewport().repaint()')
        return cached_browser_text(anki, card, "noteFld")

    assert wait_for_shown(painted, "antes") == "antes"
    set_focus(anki, focus)
    change_note_fields(anki, note, {"Front": "después"})
    # a row repainted without being told of the change would keep its cached "antes"
    assert wait_for_shown(painted, "después") == "después"


@pytest.mark.parametrize("focus", FOCUS)
def test_the_browser_editor_shows_the_new_text_and_keeps_it(anki: RunningAnki, api: ApiClient, focus: str) -> None:
    deck = f"Browser Editor {focus}"
    (note,) = add_notes(anki, deck, [("viejo", "old")])
    (card,) = card_ids_of(anki, [note])
    api("guiBrowse", query=f'"deck:{deck}"')
    assert api("guiSelectCard", card=card) is True
    anki.wait_for(f'result = (e := aqt.dialogs._dialogs["Browser"][1].editor).note is not None and e.note.id == {note}')
    set_focus(anki, focus)
    change_note_fields(anki, note, {"Front": "nuevo"})
    anki.wait_for('result = aqt.dialogs._dialogs["Browser"][1].editor.note.fields == ["nuevo", "old"]')
    anki.probe('aqt.dialogs._dialogs["Browser"][1].close()')
    anki.wait_for('result = aqt.dialogs._dialogs["Browser"][1] is None')
    assert anki.probe(f"result = mw.col.get_note({note}).fields") == ["nuevo", "old"]


@pytest.mark.parametrize("focus", FOCUS)
def test_the_edit_window_shows_the_new_text_and_keeps_it(anki: RunningAnki, api: ApiClient, focus: str) -> None:
    (note,) = add_notes(anki, f"Edit Window {focus}", [("viejo", "old")])
    assert api("guiEditNote", note=note) is None
    set_focus(anki, focus)
    change_note_fields(anki, note, {"Back": "new"})
    anki.wait_for('result = aqt.dialogs._dialogs["ankiconnect-edit-note"][1].editor.note.fields == ["viejo", "new"]')
    anki.probe('aqt.dialogs._dialogs["ankiconnect-edit-note"][1].close()')
    anki.wait_for('result = aqt.dialogs._dialogs["ankiconnect-edit-note"][1] is None')
    assert anki.probe(f"result = mw.col.get_note({note}).fields") == ["viejo", "new"]


def test_many_changes_in_one_turn_are_announced_once(anki: RunningAnki) -> None:
    calls = anki.probe(
        """
        from anki.collection import OpChanges
        from aqt import gui_hooks
        seen = []
        def record(changes, handler):
            seen.append((changes.note_text, changes.study_queues, changes.deck, handler))
        mw._gui_test_seen = seen
        mw._gui_test_record = record
        gui_hooks.operation_did_execute.append(record)
        host = mw._ankiconnect.host
        host.collection_changed(OpChanges(note_text=True))
        host.collection_changed(OpChanges(study_queues=True))
        result = len(seen)
        """
    )
    assert calls == 0  # nothing before the reply is sent
    seen = anki.wait_for("result = mw._gui_test_seen")
    anki.probe("from aqt import gui_hooks\ngui_hooks.operation_did_execute.remove(mw._gui_test_record)")
    assert seen == [[True, True, False, None]]
