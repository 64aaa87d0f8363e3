"""Notes and cards made directly through the collection, for the card action tests."""

from __future__ import annotations

from typing import Any

from anki.collection import Collection


def add_note(
    col: Collection, front: str, back: str = "", deck: str = "Default", model: str = "Basic", **extra: str
) -> list[int]:
    """Add a note and return the ids of its cards, by template order."""
    deck_id = col.decks.id(deck)
    assert deck_id is not None
    note_type = col.models.by_name(model)
    assert note_type is not None
    note = col.new_note(note_type)
    note["Front"], note["Back"] = front, back
    for name, value in extra.items():
        note[name] = value
    col.add_note(note, deck_id)
    return sorted(note.card_ids(), key=lambda card_id: col.get_card(card_id).ord)


def card_columns(col: Collection, card_id: int) -> dict[str, Any]:
    """The stored scheduling columns of a card."""
    names = ["type", "queue", "due", "ivl", "factor", "reps", "lapses", "left", "odue", "odid", "flags", "data"]
    row = col.db.first(f"select {', '.join(names)} from cards where id = ?", card_id)
    assert row is not None, card_id
    return dict(zip(names, row))


def revlog_rows(col: Collection, card_id: int) -> list[dict[str, Any]]:
    """The card's review-log rows, oldest first, without their time-dependent id."""
    names = ["ease", "ivl", "lastIvl", "factor", "time", "type"]
    rows = col.db.all(f"select {', '.join(names)} from revlog where cid = ? order by id", card_id)
    return [dict(zip(names, row)) for row in rows]


def use_fsrs(col: Collection, enabled: bool) -> None:
    """Switch the FSRS scheduler on or off through the collection's config."""
    col.set_config("fsrs", enabled)
    assert col.get_config("fsrs") is enabled
