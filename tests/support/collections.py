"""Real collections in temporary folders for the fast test layer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from anki.collection import Collection

from plugin.headless.host import CollectionHost
from plugin.host import op_changes

PROFILE = "User 1"


def new_collection(folder: Path, profile: str = PROFILE) -> Collection:
    """A fresh collection laid out like Anki's (`<base>/<profile>/collection.anki2`)."""
    profile_dir = folder / profile
    profile_dir.mkdir(parents=True, exist_ok=True)
    return Collection(str(profile_dir / "collection.anki2"))


class RecordingHost(CollectionHost):
    """A headless host that remembers what the actions reported as changed (`changes`).

    Results are recorded as a host takes them in: the `OpChanges` inside (`op_changes`).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.changes: list[Any] = []

    def collection_changed(self, changes: Any = None) -> None:
        self.changes.append(op_changes(changes))


def add_card(col: Collection, front: str, deck: str = "Default") -> int:
    """A Basic note (back "back") in `deck`, created if needed; returns its card id."""
    deck_id = col.decks.id(deck)
    assert deck_id is not None
    note = col.new_note(col.models.by_name("Basic"))  # type: ignore[arg-type]
    note["Front"], note["Back"] = front, "back"
    col.add_note(note, deck_id)
    return note.card_ids()[0]
