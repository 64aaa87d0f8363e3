"""What every category of actions shares: the host, the collection accessor, lookups."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import COLLECTION_UNAVAILABLE, ActionError

if TYPE_CHECKING:
    from anki.cards import Card
    from anki.collection import Collection
    from anki.models import NotetypeDict
    from anki.notes import Note

    from ..config import Settings
    from ..host import Host
    from ..protocol import Dispatcher


class ActionsBase:
    """Mixin base of the API class; category modules subclass it."""

    host: Host
    dispatcher: Dispatcher

    @property
    def col(self) -> Collection:
        """The open collection; every collection action goes through here."""
        col = self.host.collection()
        if col is None:
            raise ActionError(COLLECTION_UNAVAILABLE)
        return col

    @property
    def settings(self) -> Settings:
        return self.host.settings()

    @property
    def window(self) -> Any:
        """Anki's main window, for actions that drive the desktop GUI."""
        window = self.host.main_window
        if window is None:
            raise ActionError(f"this action needs Anki's windows; it is not available in {self.host.kind} mode")
        return window

    # -- lookups with the protocol's error texts ---------------------------------------

    def get_note(self, note_id: Any) -> Note:
        from anki.errors import NotFoundError

        try:
            return self.col.get_note(_as_id(note_id))
        except (NotFoundError, TypeError, ValueError, OverflowError):
            raise ActionError(f"Note was not found: {note_id}") from None

    def get_card(self, card_id: Any) -> Card:
        from anki.errors import NotFoundError

        try:
            return self.col.get_card(_as_id(card_id))
        except (NotFoundError, TypeError, ValueError, OverflowError):
            raise ActionError(f"Card was not found: {card_id}") from None

    def get_model(self, name: Any) -> NotetypeDict:
        model = self.col.models.by_name(name) if isinstance(name, str) else None
        if model is None:
            raise ActionError(f"model was not found: {name}")
        return model

    def get_deck_id(self, name: Any) -> int:
        deck_id = self.col.decks.id_for_name(name) if isinstance(name, str) else None
        if deck_id is None:
            raise ActionError(f"deck was not found: {name}")
        return deck_id


def _as_id(value: Any) -> Any:
    """Ids are JSON integers; anything else would make Anki create a new object."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"not an id: {value!r}")
    return value
