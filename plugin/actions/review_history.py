"""Review-log questions asked of a whole list of cards at once (areDue, getIntervals)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Iterable

from ..database import is_id, rows_for_ids, valid_ids
from ..errors import ActionError

if TYPE_CHECKING:
    from anki.collection import Collection

NO_REVIEW_LOG = "list index out of range"
"""The original indexes the last review-log entry; a card without one fails with this."""

LONG_LEARNING_STEP = -1200
"""Learning steps longer than 20 minutes (in negative seconds) are timed from the last review."""


def matching(col: Collection, ids: Iterable[Any], search: str) -> set[int]:
    """The cards among `ids` that match the Anki search `search`, in one search."""
    card_ids = valid_ids(ids)
    if not card_ids:
        return set()
    return set(col.find_cards(f"cid:{','.join(map(str, card_ids))} {search}"))


def intervals_by_card(col: Collection, ids: Iterable[Any]) -> dict[int, list[int]]:
    """Every review-log interval of each card, oldest first."""
    rows = rows_for_ids(col, "select cid, ivl from revlog where cid in {ids} order by id", valid_ids(ids))
    intervals: dict[int, list[int]] = {}
    for card_id, interval in rows:
        intervals.setdefault(card_id, []).append(interval)
    return intervals


def last_reviews(col: Collection, ids: Iterable[Any]) -> dict[int, tuple[int, int]]:
    """`{card id: (review time in ms, interval)}` of each card's latest review-log entry."""
    rows = rows_for_ids(col, "select cid, id, ivl from revlog where cid in {ids} order by id", valid_ids(ids))
    return {card_id: (review_id, interval) for card_id, review_id, interval in rows}


def _keys(cards: list[Any]) -> list[int | None]:
    """Each requested id, or None for a value that names no card (such as a string)."""
    return [card_id if is_id(card_id) else None for card_id in cards]


def intervals(col: Collection, requested: list[Any], complete: bool) -> list[Any]:
    cards = _keys(requested)
    new = matching(col, cards, "is:new")
    logged = intervals_by_card(col, cards)
    result: list[Any] = []
    for card_id in cards:
        if card_id in new:
            result.append(0)
        elif complete:
            result.append(logged.get(card_id, []) if card_id is not None else [])
        elif card_id is not None and card_id in logged:
            result.append(logged[card_id][-1])
        else:
            raise ActionError(NO_REVIEW_LOG)
    return result


def due_flags(col: Collection, requested: list[Any]) -> list[bool]:
    cards = _keys(requested)
    new = matching(col, cards, "is:new")
    last = last_reviews(col, cards)
    reviewed: dict[int, tuple[int, int]] = {}
    for card_id in cards:
        if card_id not in new:
            if card_id is None or card_id not in last:
                raise ActionError(NO_REVIEW_LOG)
            reviewed[card_id] = last[card_id]
    short_step = [card_id for card_id, (_, interval) in reviewed.items() if interval >= LONG_LEARNING_STEP]
    due_now = matching(col, short_step, "is:due")
    now = time.time()
    result = []
    for card_id in cards:
        if card_id is None or card_id in new:
            result.append(True)
        else:
            reviewed_ms, interval = reviewed[card_id]
            if interval >= LONG_LEARNING_STEP:
                result.append(card_id in due_now)
            else:
                result.append(reviewed_ms / 1000 - interval <= now)
    return result
