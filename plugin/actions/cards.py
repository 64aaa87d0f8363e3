"""Actions of the cards category (protocol: actions/cards.md).

Lists of ids are read in one query per batch. Every change goes through
Anki's own operations (scheduler, bulk card updates), so review logs, undo
entries and due dates are those Anki itself produces.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, Iterable

from anki.scheduler_pb2 import CardAnswer

from ..database import is_id, rows_for_ids
from ..errors import ActionError, error_text, missing_key
from ..registry import action
from .base import ActionsBase
from .card_info import cards_info
from .card_rows import id_list, require_cards, scheduler, valid_ids, values_by_id
from .card_values import PROTECTED_KEYS, apply_values
from .review_history import due_flags, intervals

if TYPE_CHECKING:
    from anki.cards import Card
    from anki.collection import OpChanges

QUEUE_SUSPENDED = -1
CARD_TYPE_RELEARNING = 3
QUEUE_LEARNING = 1
RATINGS = {1: CardAnswer.AGAIN, 2: CardAnswer.HARD, 3: CardAnswer.GOOD, 4: CardAnswer.EASY}


class CardActions(ActionsBase):
    # -- finding and reading ---------------------------------------------------------------

    @action()
    def findCards(self, query: Any = None) -> list[int]:
        if query is None:
            return []
        if not isinstance(query, str):
            raise ActionError("query must be a string in Anki's search syntax")
        return list(self.col.find_cards(query))

    @action()
    def cardsInfo(self, cards: Any) -> list[dict[str, Any]]:
        return cards_info(self.col, id_list(cards))

    @action()
    def cardsModTime(self, cards: Any) -> list[dict[str, Any]]:
        mods = values_by_id(self.col, "mod", id_list(cards))
        return [{"cardId": card, "mod": mods[card]} if is_id(card) and card in mods else {} for card in cards]

    @action()
    def cardsToNotes(self, cards: Any) -> list[int]:
        ids = valid_ids(id_list(cards))
        rows = rows_for_ids(self.col, "select distinct nid from cards where id in {ids}", ids)
        return list(dict.fromkeys(row[0] for row in rows))

    # -- suspension ------------------------------------------------------------------------

    @action()
    def suspend(self, cards: Any, suspend: Any = True) -> bool:
        return self._set_suspended(id_list(cards), bool(suspend))

    @action()
    def unsuspend(self, cards: Any) -> bool:
        return self._set_suspended(id_list(cards), False)

    def _set_suspended(self, cards: list[Any], suspend: bool) -> bool:
        """True when at least one card changed; unknown ids fail before anything changes."""
        col = self.col
        queues = require_cards(col, cards)
        to_change = [card for card in valid_ids(cards) if (queues[card] == QUEUE_SUSPENDED) != suspend]
        if not to_change:
            return False
        if suspend:
            changes = col.sched.suspend_cards(to_change).changes  # type: ignore[arg-type]
        else:
            changes = col.sched.unsuspend_cards(to_change)  # type: ignore[arg-type]
        self.host.collection_changed(changes)
        return True

    @action()
    def suspended(self, card: Any) -> bool:
        return self.get_card(card).queue == QUEUE_SUSPENDED

    @action()
    def areSuspended(self, cards: Any) -> list[bool | None]:
        queues = values_by_id(self.col, "queue", id_list(cards))
        return [queues[card] == QUEUE_SUSPENDED if is_id(card) and card in queues else None for card in cards]

    # -- scheduling questions --------------------------------------------------------------

    @action()
    def areDue(self, cards: Any) -> list[bool]:
        return due_flags(self.col, id_list(cards))

    @action()
    def getIntervals(self, cards: Any, complete: Any = False) -> list[Any]:
        return intervals(self.col, id_list(cards), bool(complete))

    @action()
    def getEaseFactors(self, cards: Any) -> list[int | None]:
        factors = values_by_id(self.col, "factor", id_list(cards))
        return [factors[card] if is_id(card) and card in factors else None for card in cards]

    # -- changing cards --------------------------------------------------------------------

    @action()
    def setEaseFactors(self, cards: Any, easeFactors: Any) -> list[bool]:
        col = self.col
        factors = id_list(easeFactors, "easeFactors")
        existing = values_by_id(col, "factor", id_list(cards))
        found = [is_id(card) and card in existing for card in cards]
        new_factors: dict[int, int] = {}
        # every value is checked before anything is saved
        for position, card in enumerate(cards):
            if found[position]:
                if position >= len(factors):
                    raise ActionError("list index out of range")
                new_factors[card] = _ease_factor(factors[position])
        if new_factors:
            loaded = self._load_cards(new_factors)
            for target in loaded:
                target.factor = new_factors[target.id]
            self.host.collection_changed(col.update_cards(loaded))
        return found

    @action()
    def setSpecificValueOfCard(self, card: Any, keys: Any, newValues: Any, warning_check: Any = False) -> Any:
        if isinstance(card, list) or not isinstance(keys, list) or not isinstance(newValues, list):
            return False
        if len(keys) != len(newValues):
            return False
        # only the exact value false refuses, as in the original
        if warning_check is False and any(isinstance(key, str) and key in PROTECTED_KEYS for key in keys):
            return False
        col = self.col
        try:
            target = self.get_card(card)
            apply_values(col, target, keys, newValues)
            changes = col.update_card(target)
        except Exception as error:  # noqa: BLE001 - the protocol reports failures inside the result
            return [[False, error_text(error)]]
        self.host.collection_changed(changes)
        return [True]

    @action()
    def forgetCards(self, cards: Any) -> None:
        col = self.col
        existing = list(values_by_id(col, "id", id_list(cards)))
        if existing:
            changes = col.sched.schedule_cards_as_new(
                existing,  # type: ignore[arg-type]
                restore_position=True,
                reset_counts=False,
            )
            self.host.collection_changed(changes)

    @action()
    def relearnCards(self, cards: Any) -> None:
        col = self.col
        existing = values_by_id(col, "id", id_list(cards))
        if existing:
            loaded = self._load_cards(existing)
            for target in loaded:
                target.type = CARD_TYPE_RELEARNING  # type: ignore[assignment]
                target.queue = QUEUE_LEARNING  # type: ignore[assignment]
            self.host.collection_changed(col.update_cards(loaded))

    @action()
    def setDueDate(self, cards: Any, days: Any) -> bool:
        col = self.col
        ids = valid_ids(id_list(cards))
        if not isinstance(days, str):
            raise ActionError('days must be a string such as "0", "1!" or "3-7"')
        changes = col.sched.set_due_date(ids, days)  # type: ignore[arg-type]
        self.host.collection_changed(changes)
        return True

    @action()
    def answerCards(self, answers: Any) -> list[bool]:
        col = self.col
        if not isinstance(answers, list):
            raise ActionError("answers must be a list of {cardId, ease} objects")
        wanted = [_answer(item) for item in answers]
        existing = values_by_id(col, "id", (card for card, _ in wanted))
        # every answer is checked before the first is given
        for card, ease in wanted:
            if is_id(card) and card in existing and ease not in RATINGS:
                raise ActionError("invalid ease")
        result = [is_id(card) and card in existing for card, _ in wanted]
        to_answer = [(card, ease) for (card, ease), found in zip(wanted, result) if found]
        # should Anki refuse one answer, the ones given before it are taken back
        self.all_or_nothing(partial(self._answer_card, card, ease) for card, ease in to_answer)
        return result

    def _answer_card(self, card_id: int, ease: int) -> OpChanges:
        """Answer as Anki's reviewer does, with the answer timer started just now."""
        col = self.col
        sched = scheduler(col)
        card = col.get_card(card_id)  # type: ignore[arg-type]
        card.start_timer()
        states = col._backend.get_scheduling_states(card.id)
        answer = sched.build_answer(card=card, states=states, rating=RATINGS[ease])
        return sched.answer_card(answer)

    def _load_cards(self, ids: Iterable[int]) -> list[Card]:
        """Full Card objects for saving through Anki's bulk update.

        Anki has no call that loads many cards at once, so this is one lookup per
        card; the save that follows is a single undoable bulk call.
        """
        col = self.col
        return [col.get_card(card_id) for card_id in ids]  # type: ignore[arg-type]


def _answer(item: Any) -> tuple[Any, Any]:
    if not isinstance(item, dict):
        raise ActionError("each answer must be an object with cardId and ease")
    if "cardId" not in item:
        raise missing_key("cardId")
    if "ease" not in item:
        raise missing_key("ease")
    ease = item["ease"]
    return item["cardId"], ease if isinstance(ease, int) and not isinstance(ease, bool) else None


def _ease_factor(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 0xFFFF:
        return value
    raise ActionError(f"an ease factor is a whole number of per-mille, such as 2500; got {value!r}")
