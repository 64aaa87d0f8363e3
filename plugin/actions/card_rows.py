"""Reading card columns for a whole list of ids in one query.

Card actions take lists of ids that may hold unknown ids (answered per item)
or values that are no ids at all (treated as ids no card has). Everything here
reads the database in batches, never one query per card.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, NamedTuple

from ..database import is_id, rows_for_ids, valid_ids
from ..errors import ActionError

if TYPE_CHECKING:
    from anki.collection import Collection
    from anki.scheduler.v3 import Scheduler


def id_list(value: Any, name: str = "cards") -> list[Any]:
    """The list parameter `name`; a clear error when it is no list."""
    if not isinstance(value, list):
        raise ActionError(f"{name} must be a list of card ids")
    return value


def scheduler(col: Collection) -> Scheduler:
    """Anki's v3 scheduler; a collection still on the v1 scheduler must first be opened in Anki."""
    from anki.scheduler.v3 import Scheduler

    if not isinstance(col.sched, Scheduler):
        raise ActionError("the collection uses the retired v1 scheduler; open it in Anki once to upgrade it")
    return col.sched


def values_by_id(col: Collection, column: str, ids: Iterable[Any]) -> dict[int, Any]:
    """`{card id: column value}` for the cards that exist among `ids`."""
    rows = rows_for_ids(col, f"select id, {column} from cards where id in {{ids}}", valid_ids(ids))
    return {row[0]: row[1] for row in rows}


class CardRow(NamedTuple):
    """The card columns that cardsInfo reports (and a Card object needs to render)."""

    id: int
    nid: int
    did: int
    ord: int
    mod: int
    usn: int
    type: int
    queue: int
    due: int
    ivl: int
    factor: int
    reps: int
    lapses: int
    left: int
    odue: int
    odid: int
    flags: int


_CARD_COLUMNS = ", ".join(CardRow._fields)


def card_rows(col: Collection, ids: Iterable[Any]) -> dict[int, CardRow]:
    """`{card id: row}` for the cards that exist among `ids`, in one query per batch."""
    rows = rows_for_ids(col, f"select {_CARD_COLUMNS} from cards where id in {{ids}}", valid_ids(ids))
    return {row[0]: CardRow(*row) for row in rows}


def require_cards(col: Collection, ids: list[Any]) -> dict[int, int]:
    """`{card id: queue}` for `ids`; `Card was not found: {id}` for the first unknown one."""
    queues = values_by_id(col, "queue", ids)
    for card_id in ids:
        if not is_id(card_id) or card_id not in queues:
            raise ActionError(f"Card was not found: {card_id}")
    return queues
