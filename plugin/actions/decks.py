"""Actions of the decks category (protocol: actions/decks.md).

Decks are addressed by full name (`Spanish::Verbs`), options groups ("deck
configs") by id. Which actions create a deck they are asked about, and which
only look names up, is explained in `deck_lookup.py`.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from ..database import database, is_id, rows_for_ids
from ..errors import ActionError, missing_key
from ..registry import action
from .base import ActionsBase
from .deck_config_shape import conformed
from .deck_lookup import checked_deck_name, deck_ids_by_name, get_or_create_deck
from .id_params import id_list, integer, name_list, shown

if TYPE_CHECKING:
    from anki.collection import Collection
    from anki.decks import DeckTreeNode

DEFAULT_CONFIG_ID = 1
CANNOT_DELETE_WITHOUT_CARDS = "Since Anki 2.1.28 it's not possible to delete decks without deleting cards as well"
SCHEMA_CHANGE_DECLINED = "removing an options group needs a one-way sync, which was declined in Anki"


class DeckActions(ActionsBase):
    # -- names and ids -----------------------------------------------------------------

    @action()
    def deckNames(self) -> list[str]:
        return [entry.name for entry in self.col.decks.all_names_and_ids()]

    @action()
    def deckNamesAndIds(self) -> dict[str, int]:
        return deck_ids_by_name(self.col)

    @action()
    def deckNameFromId(self, deckId: Any) -> str:
        name = self.col.decks.name_if_exists(deckId) if is_id(deckId) else None
        if name is None:
            # the original answered "Default" here (Anki's lookup falls back to it)
            raise ActionError(f"deck was not found: {deckId}")
        return name

    @action()
    def createDeck(self, deck: Any) -> int:
        deck_id, changes = get_or_create_deck(self.col, deck)
        if changes is not None:
            self.host.collection_changed(changes)
        return deck_id

    @action()
    def deleteDecks(self, decks: Any, cardsToo: Any = False) -> None:
        if not cardsToo:
            raise ActionError(CANNOT_DELETE_WITHOUT_CARDS)
        names = name_list(decks, "decks", "deck")
        col = self.col
        known = deck_ids_by_name(col)
        deck_ids = list(dict.fromkeys(known[name] for name in names if name in known))
        if deck_ids:
            from anki.decks import DeckId

            self.host.collection_changed(col.decks.remove([DeckId(deck_id) for deck_id in deck_ids]).changes)

    # -- cards and decks -----------------------------------------------------------------

    @action()
    def getDecks(self, cards: Any) -> dict[str, list[int]]:
        card_ids = id_list(cards, "cards", "card")
        col = self.col
        rows = rows_for_ids(col, "select id, did from cards where id in {ids}", list(dict.fromkeys(card_ids)))
        deck_of_card = {card_id: deck_id for card_id, deck_id in rows}
        names = {deck_id: name for name, deck_id in deck_ids_by_name(col).items()}
        result: dict[str, list[int]] = {}
        for card_id in card_ids:
            name = names.get(deck_of_card.get(card_id, 0))
            if name is not None:
                # unknown cards are left out; the original listed them under "Default"
                result.setdefault(name, []).append(card_id)
        return result

    @action()
    def changeDeck(self, cards: Any, deck: Any) -> None:
        card_ids = id_list(cards, "cards", "card")
        col = self.col
        deck_id, created = get_or_create_deck(col, deck)
        if created is not None:
            self.host.collection_changed(created)
        from anki.cards import CardId

        # Anki returns cards in filtered decks to their home deck first, and refuses
        # to move cards into a filtered deck (the original moved them there raw).
        moved = col.set_deck([CardId(card_id) for card_id in card_ids], deck_id)
        self.host.collection_changed(moved.changes)

    @action()
    def getDeckStats(self, decks: Any) -> dict[str, dict[str, Any]]:
        names = [checked_deck_name(name) for name in name_list(decks, "decks", "deck")]
        col = self.col
        deck_ids = []
        for name in names:
            deck_id, created = get_or_create_deck(col, name)
            if created is not None:
                self.host.collection_changed(created)
            deck_ids.append(deck_id)
        nodes = _nodes_by_deck_id(col.sched.deck_due_tree())
        return {
            str(deck_id): _deck_stats(nodes[deck_id]) if deck_id in nodes else _hidden_deck_stats(col, deck_id)
            for deck_id in deck_ids
        }

    # -- options groups ----------------------------------------------------------------

    @action()
    def getDeckConfig(self, deck: Any) -> dict[str, Any] | bool:
        col = self.col
        deck_id = deck_ids_by_name(col).get(deck) if isinstance(deck, str) else None
        if deck_id is None:
            return False
        # a normal deck's options group (with "dyn": false), or a filtered deck itself
        from anki.decks import DeckId

        return col.decks.config_dict_for_deck_id(DeckId(deck_id))

    @action()
    def saveDeckConfig(self, config: Any) -> bool:
        from anki.errors import BackendError

        if not isinstance(config, dict):
            raise ActionError(f"config must be an options group object, not {shown(config)}")
        if "id" not in config:
            raise missing_key("id")
        col = self.col
        config_id = integer(config["id"], "config.id", numeric_string=True)
        stored = col.decks.get_config(config_id)  # type: ignore[arg-type]
        if stored is None or stored["id"] != config_id:
            return False  # Anki answers an unknown id with the default group
        group = conformed(config, stored)
        group.update(id=config_id, mod=int(time.time()), usn=col.usn())
        try:
            col.decks.update_config(group)
        except BackendError:
            return False
        self.host.collection_changed(None)
        return True

    @action()
    def setDeckConfigId(self, decks: Any, configId: Any) -> bool:
        names = name_list(decks, "decks", "deck")
        config_id = integer(configId, "configId", numeric_string=True)
        col = self.col
        known = deck_ids_by_name(col)
        if any(name not in known for name in names) or not _config_exists(col, config_id):
            return False
        deck_dicts = [col.decks.get_legacy(known[name]) for name in dict.fromkeys(names)]  # type: ignore[arg-type]
        if any(deck is None or deck.get("dyn") for deck in deck_dicts):
            return False  # filtered decks have no options group
        from anki.errors import BackendError

        for deck in deck_dicts:
            assert deck is not None
            deck["conf"] = config_id
            try:
                self.host.collection_changed(col.decks.update_dict(deck))
            except BackendError:
                return False  # as the original; the checks above leave little that can fail here
        return True

    @action()
    def cloneDeckConfigId(self, name: Any, cloneFrom: Any = "1") -> int | bool:
        if not isinstance(name, str):
            raise ActionError(f"name must be a string, not {shown(name)}")
        source_id = integer(cloneFrom, "cloneFrom", numeric_string=True)
        col = self.col
        if not _config_exists(col, source_id):
            return False
        source = col.decks.get_config(source_id)  # type: ignore[arg-type]
        new_id = int(col.decks.add_config_returning_id(name, source))
        self.host.collection_changed(None)
        return new_id

    @action()
    def removeDeckConfigId(self, configId: Any) -> bool:
        from anki.errors import AbortSchemaModification

        config_id = integer(configId, "configId", numeric_string=True)
        col = self.col
        if config_id == DEFAULT_CONFIG_ID or not _config_exists(col, config_id):
            return False
        try:
            # Anki asks in the desktop app whether a one-way sync is acceptable
            # (unless one is due anyway), then moves the group's decks to group 1.
            col.decks.remove_config(config_id)  # type: ignore[arg-type]
        except AbortSchemaModification:
            raise ActionError(SCHEMA_CHANGE_DECLINED) from None
        self.host.collection_changed(None)
        return True


def _config_exists(col: Collection, config_id: int) -> bool:
    return any(group["id"] == config_id for group in col.decks.all_config())


def _nodes_by_deck_id(root: DeckTreeNode) -> dict[int, DeckTreeNode]:
    nodes: dict[int, DeckTreeNode] = {}
    pending = [root]
    while pending:
        node = pending.pop()
        nodes[node.deck_id] = node
        pending.extend(node.children)
    return nodes


def _deck_stats(node: DeckTreeNode) -> dict[str, Any]:
    return {
        "deck_id": node.deck_id,
        "name": node.name,
        "new_count": node.new_count,
        "learn_count": node.learn_count,
        "review_count": node.review_count,
        "total_in_deck": node.total_in_deck,
    }


def _hidden_deck_stats(col: Collection, deck_id: int) -> dict[str, Any]:
    """Anki's deck list leaves out the Default deck while it is empty and other decks exist."""
    name = col.decks.name_if_exists(deck_id) or ""  # type: ignore[arg-type]
    total = database(col).scalar("select count() from cards where did = ?", deck_id)
    return {
        "deck_id": deck_id,
        "name": name.split("::")[-1],
        "new_count": 0,
        "learn_count": 0,
        "review_count": 0,
        "total_in_deck": total,
    }
