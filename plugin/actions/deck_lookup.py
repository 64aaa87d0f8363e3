"""Turning deck names from requests into deck ids, the two ways the protocol does it.

* Exact lookup in the list of deck names (`getDeckConfig`, `setDeckConfigId`,
  `deleteDecks`): a name must match a deck's full name exactly, or it is unknown.
* Get-or-create (`createDeck`, `changeDeck`, `getDeckStats`, `cardReviews`,
  `getLatestReviewID`): Anki's lookup, which ignores case; a name no deck has is
  created, parents included. The original did this even in read-only actions, and
  clients may rely on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import ActionError
from .id_params import shown

if TYPE_CHECKING:
    from anki.collection import Collection, OpChanges


def checked_deck_name(name: Any) -> str:
    """A name Anki can create as written, or an error.

    Anki turns an empty name, or an empty part between `::`, into a deck called
    "blank"; a request naming such a deck is a mistake, so it is refused instead.
    """
    if not isinstance(name, str) or any(not part.strip() for part in name.split("::")):
        raise ActionError(f"invalid deck name: {shown(name)}")
    return name


def deck_ids_by_name(col: Collection) -> dict[str, int]:
    """Every deck's full name and id, from one call."""
    return {entry.name: entry.id for entry in col.decks.all_names_and_ids()}


def get_or_create_deck(col: Collection, name: Any) -> tuple[int, OpChanges | None]:
    """The id of the deck called `name`, created if there is none.

    Returns the changes Anki reports when a deck was created, else None.
    """
    name = checked_deck_name(name)
    existing = col.decks.id_for_name(name)
    if existing is not None:
        return int(existing), None
    added = col.decks.add_normal_deck_with_name(name)
    return int(added.id), added.changes
