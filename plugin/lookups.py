"""Note types and decks by name, with the protocol's errors when there is none."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import ActionError

if TYPE_CHECKING:
    from anki.collection import Collection
    from anki.decks import DeckId
    from anki.models import NotetypeDict


def model_by_name(col: Collection, name: Any) -> NotetypeDict:
    model = col.models.by_name(name) if isinstance(name, str) else None
    if model is None:
        raise ActionError(f"model was not found: {name}")
    return model


def deck_id_by_name(col: Collection, name: Any) -> DeckId:
    deck_id = col.decks.id_for_name(name) if isinstance(name, str) else None
    if deck_id is None:
        raise ActionError(f"deck was not found: {name}")
    return deck_id


class Lookups:
    """The same lookups, cached for one request (a batch of notes names the same few)."""

    def __init__(self, col: Collection) -> None:
        self.col = col
        self._models: dict[str, NotetypeDict] = {}
        self._decks: dict[str, DeckId] = {}

    def model(self, name: Any) -> NotetypeDict:
        if isinstance(name, str) and name in self._models:
            return self._models[name]
        model = self._models[name] = model_by_name(self.col, name)
        return model

    def deck_id(self, name: Any) -> DeckId:
        if isinstance(name, str) and name in self._decks:
            return self._decks[name]
        deck_id = self._decks[name] = deck_id_by_name(self.col, name)
        return deck_id
