"""The shared lookups and their protocol error texts."""

from __future__ import annotations

import pytest
from anki.collection import Collection

from plugin.errors import ActionError
from plugin.service import ApiService


def test_lookups_find_what_exists(col: Collection, service: ApiService) -> None:
    api = service.api
    note = col.new_note(col.models.by_name("Basic"))  # type: ignore[arg-type]
    note["Front"] = "uno"
    col.add_note(note, 1)
    assert api.get_note(note.id)["Front"] == "uno"
    assert api.get_card(note.card_ids()[0]).nid == note.id
    assert api.get_model("Basic")["name"] == "Basic"
    assert api.get_deck_id("Default") == 1


@pytest.mark.parametrize(
    ("lookup", "value", "message"),
    [
        ("get_note", 123, "Note was not found: 123"),
        ("get_note", "abc", "Note was not found: abc"),
        ("get_card", 456, "Card was not found: 456"),
        ("get_card", None, "Card was not found: None"),
        ("get_model", "Vocab", "model was not found: Vocab"),
        ("get_model", 5, "model was not found: 5"),
        ("get_deck_id", "Nowhere", "deck was not found: Nowhere"),
    ],
)
def test_lookups_fail_with_the_protocol_texts(service: ApiService, lookup: str, value: object, message: str) -> None:
    with pytest.raises(ActionError) as raised:
        getattr(service.api, lookup)(value)
    assert str(raised.value) == message
