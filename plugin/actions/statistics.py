"""Actions of the statistics category (protocol: actions/statistics.md).

They read Anki's review log (and `insertReviews` writes it); how days are
counted is explained in `review_log.py`.
"""

from __future__ import annotations

from typing import Any

from ..database import database, is_id, rows_for_ids
from ..errors import ActionError
from ..registry import action
from .base import ActionsBase
from .deck_lookup import get_or_create_deck
from .id_params import integer, shown
from .review_log import (
    COLUMNS,
    check_ids_are_new,
    checked_rows,
    insert_rows,
    reviews_by_day,
    reviews_today,
)

_ROW_COLUMNS = ", ".join(COLUMNS)
_CARD_REVIEW_KEYS = tuple(column for column in COLUMNS if column != "cid")


class StatisticsActions(ActionsBase):
    @action()
    def getNumCardsReviewedToday(self) -> int:
        return reviews_today(self.col)

    @action()
    def getNumCardsReviewedByDay(self) -> list[list[Any]]:
        return reviews_by_day(self.col)

    @action()
    def getCollectionStatsHTML(self, wholeCollection: Any = True) -> str:
        stats = self.col.stats()
        stats.wholeCollection = bool(wholeCollection)
        return stats.report()

    @action()
    def cardReviews(self, deck: Any, startID: Any) -> list[list[int]]:
        start = integer(startID, "startID")
        deck_id = self._deck_id_creating(deck)
        rows = database(self.col).all(
            f"select {_ROW_COLUMNS} from revlog"
            " where id > ? and cid in (select id from cards where did = ?) order by id",
            start,
            deck_id,
        )
        return [list(row) for row in rows]

    @action()
    def getLatestReviewID(self, deck: Any) -> int:
        deck_id = self._deck_id_creating(deck)
        latest = database(self.col).scalar(
            "select max(id) from revlog where cid in (select id from cards where did = ?)",
            deck_id,
        )
        return int(latest or 0)

    @action()
    def getReviewsOfCards(self, cards: Any) -> dict[str, list[dict[str, int]]]:
        if not isinstance(cards, list) or not all(is_id(card) or isinstance(card, str) for card in cards):
            raise ActionError(f"cards must be a list of card ids, not {shown(cards)}")
        card_ids = list(dict.fromkeys(card for card in cards if is_id(card)))
        reviews: dict[int, list[dict[str, int]]] = {}
        rows = rows_for_ids(
            self.col,
            f"select cid, {', '.join(_CARD_REVIEW_KEYS)} from revlog where cid in {{ids}} order by cid, id",
            card_ids,
        )
        for card_id, *values in rows:
            reviews.setdefault(card_id, []).append(dict(zip(_CARD_REVIEW_KEYS, values)))
        result: dict[str, list[dict[str, int]]] = {}
        for card in cards:
            if is_id(card):
                result[str(card)] = reviews.get(card, [])
            else:
                # as in the original's newer releases, an id sent as a string finds nothing
                result.setdefault(card, [])
        return result

    @action()
    def insertReviews(self, reviews: Any) -> None:
        rows = checked_rows(reviews)
        if not rows:
            return
        col = self.col
        check_ids_are_new(col, rows)
        insert_rows(col, rows)
        self.host.collection_changed(None)

    def _deck_id_creating(self, name: Any) -> int:
        deck_id, created = get_or_create_deck(self.col, name)
        if created is not None:
            self.host.collection_changed(created)
        return deck_id
