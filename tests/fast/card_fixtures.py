"""Notes and cards made directly through the collection, for the card action tests."""

from __future__ import annotations

import time
from typing import Any

from anki.collection import Collection


def add_note(col: Collection, front: str, back: str = "", deck: str = "Default", model: str = "Basic") -> list[int]:
    """Add a note (first field `front`, second `back`) and return its card ids by template order."""
    deck_id = col.decks.id(deck)
    assert deck_id is not None
    note_type = col.models.by_name(model)
    assert note_type is not None
    note = col.new_note(note_type)
    note.fields[0], note.fields[1] = front, back
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


def next_day_far_away(col: Collection) -> None:
    """Move the day's rollover half a day from now.

    A learning step that would end after the next day starts turns into a
    day-long step; this keeps minute-long steps minute-long whenever tests run.
    """
    prefs = col.get_preferences()
    prefs.scheduling.rollover = (time.localtime().tm_hour + 12) % 24
    col.set_preferences(prefs)
    assert col.sched.day_cutoff - time.time() > 6 * 3600


def expected_labels(col: Collection, card_id: int) -> list[str]:
    """Anki's own answer-button labels for a card, without Unicode isolation marks."""
    states = col._backend.get_scheduling_states(card_id)
    labels = col.sched.describe_next_states(states)  # type: ignore[union-attr]
    return [label.replace("\u2068", "").replace("\u2069", "") for label in labels]


def use_fsrs(col: Collection, enabled: bool) -> None:
    """Switch the FSRS scheduler on or off through the collection's config."""
    col.set_config("fsrs", enabled)
    assert col.get_config("fsrs") is enabled
