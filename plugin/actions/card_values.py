"""Writing raw card columns for setSpecificValueOfCard.

The original sets the named attributes on Anki's Card object and saves it, so
only the columns that object carries take effect; any other key is accepted
and changes nothing. Values for integer columns must be integers; a string
holding an integer (what typed clients send) is converted.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..database import database
from ..errors import ActionError

if TYPE_CHECKING:
    from anki.cards import Card
    from anki.collection import Collection

PROTECTED_KEYS = frozenset(
    {"did", "id", "ivl", "lapses", "left", "mod", "nid", "odid", "odue", "ord", "queue", "reps", "type", "usn"}
)
"""Keys the original changes only with `warning_check`."""

WRITABLE_COLUMNS = frozenset(
    {"did", "due", "factor", "flags", "ivl", "lapses", "left", "nid", "odid", "odue", "ord", "queue", "reps", "type"}
)
"""Integer columns that saving a Card writes. (`mod` and `usn` are Anki's to set;
`id` names the card and cannot change; `data` is not a Card attribute.)"""

_INTEGER = re.compile(r"[+-]?\d+")


def integer_value(key: str, value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value)
    raise ActionError(f"{key} needs an integer, got {value!r}")


def apply_values(col: Collection, card: Card, keys: list[Any], values: list[Any]) -> None:
    """Set each key on `card`, checking every value before anything is set."""
    changes: dict[str, int] = {}
    for key, value in zip(keys, values):
        if not isinstance(key, str):
            raise ActionError(f"attribute name must be string, not '{type(key).__name__}'")
        if key == "id":
            if integer_value(key, value) != card.id:
                raise ActionError("the id of a card cannot be changed")
        elif key in WRITABLE_COLUMNS:
            changes[key] = integer_value(key, value)
    if "nid" in changes and not database(col).scalar("select 1 from notes where id = ?", changes["nid"]):
        raise ActionError(f"Note was not found: {changes['nid']}")
    for key in ("did", "odid"):
        deck_id = changes.get(key)
        if deck_id and col.decks.get(deck_id, default=False) is None:  # type: ignore[arg-type]
            raise ActionError(f"deck was not found: {deck_id}")
    for key, value in changes.items():
        setattr(card, key, value)
