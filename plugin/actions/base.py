"""What every category of actions shares: the host, the collection accessor, lookups."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable

from ..compat import forget_cached_notetypes
from ..database import database, is_id
from ..errors import COLLECTION_UNAVAILABLE, ActionError
from ..lookups import deck_id_by_name, model_by_name
from ..media_store import MediaStore

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

    # -- several writes as one ----------------------------------------------------------

    def all_or_nothing(self, operations: Iterable[Callable[[], Any]]) -> None:
        """Run several of Anki's operations: all of them, or, if one fails, none.

        Anki commits each operation on its own, so they run inside one database
        transaction that is rolled back when one raises: the collection is then
        exactly as before (modification times and sync state included), and the
        error goes on to the client. When all succeed, each operation stays its
        own undo step, as if done one by one in Anki. An operation returns its
        `OpChanges`.
        """
        col = self.col
        operations = list(operations)
        if len(operations) <= 1:  # one operation is all or nothing by itself
            for operation in operations:
                self.host.collection_changed(operation())
            return
        changes: list[Any] = []

        def run_all() -> None:
            last_step = col.undo_status().last_step
            steps = 0
            try:
                for operation in operations:
                    changes.append(operation())
                    if col.undo_status().last_step != last_step:
                        steps, last_step = steps + 1, col.undo_status().last_step
            except BaseException:
                # Anki empties its undo queue when one of its operations fails; when
                # the failure is ours, the earlier steps are still there and are
                # undone, so that the undo queue matches the rolled-back collection.
                if steps and col.undo_status().last_step == last_step:
                    for _ in range(steps):
                        col.undo()
                raise

        try:
            database(col).transact(run_all)
        except BaseException:
            forget_cached_notetypes(col)  # note types read during the batch may be cached
            self.host.collection_changed(None)
            raise
        for change in changes:
            self.host.collection_changed(change)

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
        return model_by_name(self.col, name)

    def get_deck_id(self, name: Any) -> int:
        return deck_id_by_name(self.col, name)

    @property
    def media_store(self) -> MediaStore:
        """The profile's media folder; `url` downloads bounded by the settings."""
        return MediaStore(self.col, self.settings)


def _as_id(value: Any) -> Any:
    """Ids are JSON integers; anything else would make Anki create a new object."""
    if not is_id(value):
        raise TypeError(f"not an id: {value!r}")
    return value
