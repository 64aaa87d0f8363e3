"""Graphical actions headless: the protocol's parameter checks first, then one error naming headless mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from anki.collection import Collection

from tests.fast.anki_wording import search_error
from tests.support.client import ApiClient

HEADLESS = "this action needs Anki's windows; it is not available in headless mode"

VALID_CALLS = [
    ("guiBrowse", {}),
    ("guiBrowse", {"query": "deck:Default", "reorderCards": {"columnId": "noteFld", "order": "ascending"}}),
    ("guiSelectCard", {"card": 1}),
    ("guiSelectNote", {"note": 1}),
    ("guiSelectedNotes", {}),
    ("guiAddCards", {}),
    ("guiAddCards", {"note": {"deckName": "Default", "modelName": "Basic", "fields": {"Front": "x"}}}),
    ("guiReviewActive", {}),
    ("guiCurrentCard", {}),
    ("guiStartCardTimer", {}),
    ("guiShowQuestion", {}),
    ("guiShowAnswer", {}),
    ("guiAnswerCard", {"ease": 3}),
    ("guiPlayAudio", {}),
    ("guiDeckOverview", {"name": "Default"}),
    ("guiDeckBrowser", {}),
    ("guiDeckReview", {"name": "Default"}),
    ("guiUndo", {}),
    ("guiImportFile", {}),
    ("guiCheckDatabase", {}),
    ("guiExitAnki", {}),
]


@pytest.mark.parametrize(("action", "params"), VALID_CALLS, ids=[f"{a}-{len(p)}" for a, p in VALID_CALLS])
def test_valid_requests_need_the_desktop(call: ApiClient, action: str, params: dict) -> None:
    assert call.error(action, **params) == HEADLESS


def test_every_graphical_action_is_covered_above() -> None:
    from plugin.registry import REGISTRY

    gui = {name for name in REGISTRY.names() if name.startswith("gui")}
    assert gui == {action for action, _ in VALID_CALLS} | {"guiEditNote"}
    assert len(gui) == 20


def test_editing_an_existing_note_needs_the_desktop(call: ApiClient, col: Collection) -> None:
    note = col.new_note(col.models.by_name("Basic"))  # type: ignore[arg-type]
    note["Front"] = "gato"
    col.add_note(note, col.decks.id_for_name("Default"))  # type: ignore[arg-type]
    assert call.error("guiEditNote", note=note.id) == HEADLESS


def test_missing_parameters_are_reported_before_headless_mode(call: ApiClient) -> None:
    assert call.error("guiSelectCard") == "AnkiConnect.guiSelectCard() missing 1 required positional argument: 'card'"
    assert call.error("guiAnswerCard") == "AnkiConnect.guiAnswerCard() missing 1 required positional argument: 'ease'"
    assert call.error("guiDeckReview") == "AnkiConnect.guiDeckReview() missing 1 required positional argument: 'name'"
    assert call.error("guiEditNote") == "AnkiConnect.guiEditNote() missing 1 required positional argument: 'note'"
    assert call.error("guiBrowse", search="x") == "AnkiConnect.guiBrowse() got an unexpected keyword argument 'search'"


def test_add_cards_checks_the_note_in_the_protocols_order(call: ApiClient) -> None:
    assert call.error("guiAddCards", note={"modelName": "Nope"}) == "'deckName'"
    assert call.error("guiAddCards", note={"deckName": "Nope"}) == "deck was not found: Nope"
    assert call.error("guiAddCards", note={"deckName": "Default"}) == "'modelName'"
    assert call.error("guiAddCards", note={"deckName": "Default", "modelName": "Nope"}) == "model was not found: Nope"
    note = {"deckName": "Default", "modelName": "Basic"}
    assert call.error("guiAddCards", note={**note, "fields": {"Front": 5}}) == "fields has invalid value"
    assert call.error("guiAddCards", note={**note, "tags": "geo"}) == "tags has invalid value"
    assert call.error("guiAddCards", note="Basic") == "note has invalid value"


def test_add_cards_stores_no_media_when_there_is_no_window(call: ApiClient, col: Collection) -> None:
    picture = {"data": "aGVsbG8=", "filename": "_hello.png", "fields": ["Front"]}
    note = {"deckName": "Default", "modelName": "Basic", "picture": [picture]}
    assert call.error("guiAddCards", note=note) == (
        "this action needs Anki's windows; it is not available in headless mode"
    )
    assert not (Path(col.media.dir()) / "_hello.png").exists()


def test_add_cards_changes_nothing_when_it_fails(call: ApiClient, col: Collection) -> None:
    col.decks.id("Other")
    current = col.decks.current()["name"]
    call.error("guiAddCards", note={"deckName": "Other", "modelName": "Nope"})
    assert col.decks.current()["name"] == current


def test_browse_checks_its_search_and_sort_first(call: ApiClient, col: Collection) -> None:
    assert call.error("guiBrowse", query="deck:(") == search_error(col, "deck:(")
    assert call.error("guiBrowse", query=5) == "query has invalid value"
    assert call.error("guiBrowse", reorderCards="noteFld") == "reorderCards should be a dict: noteFld"
    assert call.error("guiBrowse", reorderCards={"order": "ascending"}) == (
        'Must provide a "columnId" and a "order" property"'
    )
    assert call.error("guiBrowse", reorderCards={"columnId": "noteFld", "order": "sideways"}) == (
        "invalid card order: sideways"
    )


def test_other_parameters_are_checked_first(call: ApiClient, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert call.error("guiEditNote", note=404) == "Note was not found: 404"
    assert call.error("guiSelectCard", card="1") == "Card was not found: 1"
    assert call.error("guiAnswerCard", ease="3") == "ease must be an integer: 3"
    missing = tmp_path / "missing.apkg"
    assert call.error("guiImportFile", path=str(missing)) == f"file was not found: {missing}"
    assert call.error("guiImportFile", path=3) == "path has invalid value"
