"""Graphical actions in real Anki: what the windows show after each action."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from anki.collection import Collection

from tests.integration.gui_helpers import (
    add_notes,
    browser_rows,
    card_ids_of,
    close_windows,
    visible_windows,
)
from tests.support.anki import RunningAnki, start_anki
from tests.support.client import ApiClient, http_client


@pytest.fixture(autouse=True)
def windows_closed_afterwards(anki: RunningAnki) -> Iterator[None]:
    yield
    close_windows(anki)


# -- browser -------------------------------------------------------------------------------


def test_browse_shows_the_query_and_answers_its_cards(anki: RunningAnki, api: ApiClient) -> None:
    notes = add_notes(anki, "Browse One", [("uno", "one"), ("dos", "two"), ("tres", "three")])
    cards = card_ids_of(anki, notes)
    assert sorted(api("guiBrowse", query='deck:"Browse One"')) == sorted(cards)
    assert sorted(browser_rows(anki)) == sorted(cards)
    # the search box shows the search as Anki normalises it
    assert anki.probe("result = aqt.dialogs._dialogs['Browser'][1].current_search()") == '"deck:Browse One"'
    assert api("guiBrowse", query='deck:"Browse One" front:dos') == [cards[1]]
    assert browser_rows(anki) == [cards[1]]


def test_browse_without_a_query_opens_the_browser_and_answers_nothing(anki: RunningAnki, api: ApiClient) -> None:
    assert api("guiBrowse") == []
    assert "Browser" in visible_windows(anki)


def test_a_bad_search_is_an_error_and_opens_nothing(anki: RunningAnki, api: ApiClient) -> None:
    error = api.error("guiBrowse", query="deck:(")
    assert error == anki.probe(
        """
        try:
            mw.col.find_cards("deck:(")
        except Exception as anki_error:
            result = str(anki_error)
        """
    )
    assert "opening bracket" in error
    assert visible_windows(anki) == []


def test_reorder_cards_sorts_the_browser_by_a_shown_column(anki: RunningAnki, api: ApiClient) -> None:
    notes = add_notes(anki, "Browse Sort", [("b-word", "1"), ("c-word", "2"), ("a-word", "3")])
    cards = card_ids_of(anki, notes)
    query = 'deck:"Browse Sort"'
    descending = api("guiBrowse", query=query, reorderCards={"columnId": "noteFld", "order": "descending"})
    assert sorted(descending) == sorted(cards)
    assert browser_rows(anki) == [cards[1], cards[0], cards[2]]
    api("guiBrowse", query=query, reorderCards={"columnId": "noteFld", "order": "ascending"})
    assert browser_rows(anki) == [cards[2], cards[0], cards[1]]


def test_bad_reorder_cards_is_reported_after_the_search_ran(anki: RunningAnki, api: ApiClient) -> None:
    notes = add_notes(anki, "Browse Bad Sort", [("solo", "alone")])
    query = 'deck:"Browse Bad Sort"'
    assert api.error("guiBrowse", query=query, reorderCards={"columnId": "nope", "order": "ascending"}) == (
        "invalid columnId: nope"
    )
    assert browser_rows(anki) == card_ids_of(anki, notes)
    assert api.error("guiBrowse", query=query, reorderCards={"columnId": "noteFld", "order": "up"}) == (
        "invalid card order: up"
    )
    assert api.error("guiBrowse", query=query, reorderCards=["noteFld"]) == "reorderCards should be a dict: ['noteFld']"
    assert api.error("guiBrowse", query=query, reorderCards={"columnId": "noteFld"}) == (
        'Must provide a "columnId" and a "order" property"'
    )
    assert anki.error_dialogs() == []


def test_select_card_and_selected_notes(anki: RunningAnki, api: ApiClient) -> None:
    assert api("guiSelectCard", card=1) is False
    assert api("guiSelectedNotes") == []
    notes = add_notes(anki, "Browse Select", [("rojo", "red"), ("azul", "blue")])
    cards = card_ids_of(anki, notes)
    api("guiBrowse", query='deck:"Browse Select"')
    assert api("guiSelectCard", card=cards[1]) is True
    assert api("guiSelectedNotes") == [notes[1]]
    assert api("guiSelectNote", note=cards[0]) is True
    assert api("guiSelectedNotes") == [notes[0]]
    anki.probe("aqt.dialogs._dialogs['Browser'][1].table.select_all()")
    assert sorted(api("guiSelectedNotes")) == sorted(notes)


# -- editing -------------------------------------------------------------------------------


def add_dialog_state(anki: RunningAnki) -> dict:
    return anki.probe(
        """
        dialog = aqt.dialogs._dialogs["AddCards"][1]
        note = dialog.editor.note
        result = {"fields": note.fields, "tags": note.tags,
                  "deck": mw.col.decks.name(dialog.deck_chooser.selected_deck_id),
                  "model": mw.col.models.get(dialog.notetype_chooser.selected_notetype_id)["name"]}
        """
    )


def test_add_cards_prefills_the_dialog(anki: RunningAnki, api: ApiClient) -> None:
    anki.probe("mw.col.decks.id('Add Target')")
    note = {
        "deckName": "Add Target",
        "modelName": "Cloze",
        "fields": {"Text": "Paris is the capital of {{c1::France}}", "Unknown": "ignored"},
        "tags": ["geo", "europe"],
    }
    assert api("guiAddCards", note=note) == 0
    assert add_dialog_state(anki) == {
        "fields": ["Paris is the capital of {{c1::France}}", ""],
        "tags": ["geo", "europe"],
        "deck": "Add Target",
        "model": "Cloze",
    }
    # a second request replaces what the first one placed, without asking
    second = {"deckName": "Default", "modelName": "Basic", "fields": {"Front": "hola", "Back": "hello"}}
    assert api("guiAddCards", note=second) == 0
    assert add_dialog_state(anki) == {"fields": ["hola", "hello"], "tags": [], "deck": "Default", "model": "Basic"}
    assert visible_windows(anki).count("AddCards") == 1


def test_add_cards_stores_media_and_references_it_in_the_dialog(anki: RunningAnki, api: ApiClient) -> None:
    note = {
        "deckName": "Default",
        "modelName": "Basic",
        "fields": {"Front": "perro"},
        "picture": [{"data": "aGVsbG8gZG9n", "filename": "_gui_perro.jpg", "fields": ["Back"]}],
        "audio": {"data": "c291bmQ=", "filename": "_gui_perro.mp3", "fields": ["Front"]},
    }
    assert api("guiAddCards", note=note) == 0
    assert add_dialog_state(anki)["fields"] == ["perro[sound:_gui_perro.mp3]", '<img src="_gui_perro.jpg">']
    assert api("retrieveMediaFile", filename="_gui_perro.jpg") == "aGVsbG8gZG9n"


def test_add_cards_asks_before_discarding_what_the_user_typed(anki: RunningAnki, api: ApiClient) -> None:
    api("guiAddCards", note={"deckName": "Default", "modelName": "Basic", "fields": {"Front": "mine"}})
    anki.probe('aqt.dialogs._dialogs["AddCards"][1].editor.note["Back"] = "typed by the user"')
    assert api("guiAddCards", note={"deckName": "Default", "modelName": "Basic", "fields": {"Front": "new"}}) == 0
    question = anki.wait_for(
        """
        from aqt.qt import QApplication, QMessageBox
        result = [w.text() for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
        """
    )
    # Anki's own question: "Discard current input?" (Discard / Keep editing); Anki 23.10 asked
    # "Close and lose current input?" (Yes / No)
    asked = anki.probe(
        "from aqt.utils import tr\n"
        "result = (getattr(tr, 'adding_discard_current_input', None) or tr.adding_close_and_lose_current_input)()"
    )
    assert question == [asked]
    anki.probe(
        """
        from aqt.qt import QApplication, QMessageBox
        box = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()][0]
        buttons = QMessageBox.StandardButton
        (box.button(buttons.Discard) or box.button(buttons.Yes)).click()
        """
    )
    anki.wait_for('result = (d := aqt.dialogs._dialogs["AddCards"][1]) is not None and d.editor.note["Front"] == "new"')
    assert add_dialog_state(anki)["fields"] == ["new", ""]


def test_add_cards_without_a_note_opens_the_plain_dialog(anki: RunningAnki, api: ApiClient) -> None:
    assert api("guiAddCards") == 0
    assert visible_windows(anki) == ["AddCards"]


def test_add_cards_errors_change_nothing(anki: RunningAnki, api: ApiClient) -> None:
    before = anki.probe("result = mw.col.decks.current()['name']")
    assert api.error("guiAddCards", note={"deckName": "Default", "modelName": "Nope"}) == "model was not found: Nope"
    assert api.error("guiAddCards", note={"deckName": "Nope", "modelName": "Basic"}) == "deck was not found: Nope"
    assert api.error("guiAddCards", note={"modelName": "Basic"}) == "'deckName'"
    assert anki.probe("result = mw.col.decks.current()['name']") == before
    assert visible_windows(anki) == []


def edit_window_state(anki: RunningAnki) -> dict:
    return anki.probe(
        """
        window = aqt.dialogs._dialogs["ankiconnect-edit-note"][1]
        result = {"note": window.editor.note.id, "fields": window.editor.note.fields,
                  "history": window.history, "previous": window.previous_button.isEnabled(),
                  "next": window.next_button.isEnabled()}
        """
    )


def test_edit_note_opens_one_window_that_walks_its_history(anki: RunningAnki, api: ApiClient) -> None:
    first, second = add_notes(anki, "Edit Walk", [("primero", "first"), ("segundo", "second")])
    assert api("guiEditNote", note=first) is None
    assert edit_window_state(anki) == {
        "note": first,
        "fields": ["primero", "first"],
        "history": [first],
        "previous": False,
        "next": False,
    }
    assert api("guiEditNote", note=second) is None
    anki.wait_for(f'result = aqt.dialogs._dialogs["ankiconnect-edit-note"][1].editor.note.id == {second}')
    assert visible_windows(anki) == ["EditNoteWindow"]
    assert edit_window_state(anki)["history"] == [first, second]
    anki.probe('aqt.dialogs._dialogs["ankiconnect-edit-note"][1].previous_button.click()')
    anki.wait_for(f'result = aqt.dialogs._dialogs["ankiconnect-edit-note"][1].editor.note.id == {first}')
    assert edit_window_state(anki)["next"] is True
    anki.probe('aqt.dialogs._dialogs["ankiconnect-edit-note"][1].preview_button.click()')
    assert "NotePreviewer" in visible_windows(anki)
    anki.probe('aqt.dialogs._dialogs["ankiconnect-edit-note"][1].browse_button.click()')
    anki.wait_for("result = aqt.dialogs._dialogs['Browser'][1] is not None")
    assert browser_rows(anki) == card_ids_of(anki, [first])


def test_edit_note_of_an_unknown_note(anki: RunningAnki, api: ApiClient) -> None:
    assert api.error("guiEditNote", note=123) == "Note was not found: 123"
    assert visible_windows(anki) == []


# -- review --------------------------------------------------------------------------------


@pytest.fixture
def next_day_far_away(anki: RunningAnki) -> Iterator[None]:
    """Move the day's rollover half a day from now, so minute-long learning steps stay minutes.

    Near the rollover, a step that would end after the next day starts turns into "1d".
    """
    previous = anki.probe(
        """
        import time
        prefs = mw.col.get_preferences()
        result = prefs.scheduling.rollover
        prefs.scheduling.rollover = (time.localtime().tm_hour + 12) % 24
        mw.col.set_preferences(prefs)
        """
    )
    yield
    anki.probe(
        f"prefs = mw.col.get_preferences(); prefs.scheduling.rollover = {previous}; mw.col.set_preferences(prefs)"
    )


@pytest.mark.usefixtures("next_day_far_away")
def test_the_review_flow_answers_cards_and_records_reviews(anki: RunningAnki, api: ApiClient) -> None:
    notes = add_notes(anki, "Review Flow", [("gato", "cat"), ("perro", "dog")])
    cards = card_ids_of(anki, notes)
    assert api("guiReviewActive") is False
    assert api.error("guiCurrentCard") == "Gui review is not currently active."
    assert [api(name) for name in ("guiShowQuestion", "guiShowAnswer", "guiStartCardTimer", "guiPlayAudio")] == [
        False,
        False,
        False,
        False,
    ]
    assert api("guiAnswerCard", ease=3) is False

    assert api("guiDeckReview", name="Review Flow") is True
    assert api("guiReviewActive") is True
    current = api("guiCurrentCard")
    first = current["cardId"]
    assert first in cards
    front = "gato" if first == cards[0] else "perro"
    assert current["fields"]["Front"] == {"value": front, "order": 0}
    assert (current["modelName"], current["deckName"], current["template"]) == ("Basic", "Review Flow", "Card 1")
    assert current["buttons"] == [1, 2, 3, 4]
    assert current["nextReviews"][:3] == ["<1m", "<6m", "<10m"]
    assert current["question"].endswith(front)

    assert api("guiAnswerCard", ease=3) is False  # the answer is not shown yet
    assert api("guiShowAnswer") is True
    assert anki.probe("result = mw.reviewer.state") == "answer"
    assert api("guiAnswerCard", ease=5) is False
    assert api("guiAnswerCard", ease=0) is False
    assert api("guiStartCardTimer") is True
    assert api("guiAnswerCard", ease=3) is True
    assert anki.wait_for(f"result = mw.col.db.all('select cid, ease from revlog where cid = {first}')") == [[first, 3]]
    anki.wait_for(f"result = mw.reviewer.card is not None and mw.reviewer.card.id != {first}")
    assert api("guiCurrentCard")["cardId"] == next(card for card in cards if card != first)
    assert api("guiShowQuestion") is True
    assert anki.probe("result = mw.reviewer.state") == "question"
    assert api("guiPlayAudio") is True

    assert api("guiDeckBrowser") is None
    assert anki.probe("result = mw.state") == "deckBrowser"
    assert api("guiReviewActive") is False


def test_deck_overview_and_review_of_unknown_decks(anki: RunningAnki, api: ApiClient) -> None:
    add_notes(anki, "Overview Deck", [("uno", "one")])
    assert api("guiDeckOverview", name="Overview Deck") is True
    assert anki.probe("result = [mw.state, mw.col.decks.current()['name']]") == ["overview", "Overview Deck"]
    assert api("guiDeckOverview", name="No Such Deck") is False
    assert api("guiDeckReview", name="No Such Deck") is False
    assert anki.probe("result = mw.state") == "overview"


# -- commands ------------------------------------------------------------------------------


def test_undo_reverts_the_last_operation(anki: RunningAnki, api: ApiClient) -> None:
    (note,) = add_notes(anki, "Undo Deck", [("borrar", "delete")])
    assert anki.probe("result = mw.col.undo_status().undo") == "Add Note"
    assert api("guiUndo") is True
    anki.wait_for(f"result = not mw.col.find_notes('nid:{note}')")


def test_import_file_opens_anki_import_dialog(anki: RunningAnki, api: ApiClient, tmp_path: Path) -> None:
    words = tmp_path / "words.txt"
    words.write_text("hola\thello\n", encoding="utf-8")
    assert api("guiImportFile", path=words.as_posix()) is None
    anki.wait_for(
        "from aqt.import_export.import_dialog import ImportDialog\n"
        "result = any(isinstance(w, ImportDialog) and w.isVisible() for w in mw.app.topLevelWidgets())"
    )
    missing = (tmp_path / "missing.txt").as_posix()
    assert api.error("guiImportFile", path=missing) == f"file was not found: {missing}"
    strange = tmp_path / "words.xyz"
    strange.write_text("x", encoding="utf-8")
    assert api.error("guiImportFile", path=strange.as_posix()) == (
        f"Anki cannot import this type of file: {strange.as_posix()}"
    )


def test_check_database_runs_anki_check(anki: RunningAnki, api: ApiClient) -> None:
    anki.probe("import aqt.utils; aqt.utils.closeTooltip()")
    assert api("guiCheckDatabase") is True
    message = anki.wait_for(
        "import aqt.utils\nresult = aqt.utils._tooltipLabel and aqt.utils._tooltipLabel.text()", timeout=60
    )
    assert "Database rebuilt and optimized" in message


def test_exit_anki_closes_anki_cleanly(tmp_path: Path) -> None:
    own = start_anki(tmp_path / "base")
    try:
        (note,) = add_notes(own, "Kept", [("guardar", "keep")])
        assert http_client(own.url)("guiExitAnki") is None
        code = own.process.process.wait(60)
    finally:
        own.stop()
    assert code == 0
    col = Collection(str(tmp_path / "base" / "User 1" / "collection.anki2"))
    try:
        assert col.get_note(note).fields == ["guardar", "keep"]
    finally:
        col.close()
