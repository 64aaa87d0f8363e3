"""Deck actions (protocol: actions/decks.md) against a real collection."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from anki import hooks
from anki.collection import Collection

from tests.support.client import ApiClient
from tests.support.collections import RecordingHost, add_card


def deck_of(col: Collection, card_id: int) -> str:
    return col.decks.name(col.get_card(card_id).did)  # type: ignore[arg-type]


def make_filtered_deck(col: Collection, name: str, search: str) -> int:
    deck = col.sched.get_or_create_filtered_deck(0)  # type: ignore[arg-type]
    deck.name = name
    deck.config.search_terms[0].search = search
    deck.config.search_terms[0].limit = 100
    del deck.config.search_terms[1:]  # Anki's default second search would pull in new cards of Default
    return col.sched.add_or_update_filtered_deck(deck).id


def deck_names(col: Collection) -> list[str]:
    return [entry.name for entry in col.decks.all_names_and_ids()]


# -- deckNames, deckNamesAndIds, deckNameFromId -----------------------------------------


def test_deck_names_lists_every_deck_parents_first(call: ApiClient, col: Collection) -> None:
    assert call("deckNames") == ["Default"]
    col.decks.id("Spanish::Verbs")
    add_card(col, "bonjour", "French")
    make_filtered_deck(col, "Cram", "deck:French")
    assert call("deckNames") == ["Cram", "Default", "French", "Spanish", "Spanish::Verbs"]


def test_deck_names_and_ids(call: ApiClient, col: Collection) -> None:
    verbs = col.decks.id("Spanish::Verbs")
    spanish = col.decks.id_for_name("Spanish")
    assert call("deckNamesAndIds") == {"Default": 1, "Spanish": spanish, "Spanish::Verbs": verbs}


def test_deck_name_from_id(call: ApiClient, col: Collection) -> None:
    verbs = col.decks.id("Spanish::Verbs")
    assert call("deckNameFromId", deckId=verbs) == "Spanish::Verbs"
    assert call("deckNameFromId", deckId=1) == "Default"


@pytest.mark.parametrize("deck_id", [5, "1", None, True])
def test_deck_name_from_an_unknown_id_is_an_error(call: ApiClient, deck_id: Any) -> None:
    # the original answered "Default" for any id it did not know
    assert call.error("deckNameFromId", deckId=deck_id) == f"deck was not found: {deck_id}"


# -- createDeck --------------------------------------------------------------------------


def test_create_deck_creates_missing_parents(call: ApiClient, col: Collection, host: RecordingHost) -> None:
    deck_id = call("createDeck", deck="Japanese::JLPT N3::Kanji")
    assert deck_id == col.decks.id_for_name("Japanese::JLPT N3::Kanji")
    assert deck_names(col) == ["Default", "Japanese", "Japanese::JLPT N3", "Japanese::JLPT N3::Kanji"]
    assert len(host.changes) == 1 and host.changes[0] is not None and host.changes[0].deck


def test_create_deck_returns_an_existing_deck_unchanged(call: ApiClient, col: Collection, host: RecordingHost) -> None:
    spanish = col.decks.id("Spanish")
    assert call("createDeck", deck="Spanish") == spanish
    assert call("createDeck", deck="spanish") == spanish  # Anki's names ignore case
    assert call("createDeck", deck="Default") == 1
    assert deck_names(col) == ["Default", "Spanish"]
    assert host.changes == []


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", 'invalid deck name: ""'),
        ("   ", 'invalid deck name: "   "'),
        ("Spanish::", 'invalid deck name: "Spanish::"'),
        ("A:: ::B", 'invalid deck name: "A:: ::B"'),
        (5, "invalid deck name: 5"),
        (None, "invalid deck name: null"),
    ],
)
def test_create_deck_refuses_names_anki_would_turn_into_blank(
    call: ApiClient, col: Collection, name: Any, message: str
) -> None:
    assert call.error("createDeck", deck=name) == message
    assert deck_names(col) == ["Default"]


# -- deleteDecks -------------------------------------------------------------------------


def test_delete_decks_removes_decks_children_and_cards(call: ApiClient, col: Collection, host: RecordingHost) -> None:
    add_card(col, "uno", "Spanish")
    add_card(col, "ir", "Spanish::Verbs")
    kept = add_card(col, "bonjour", "French")
    assert call("deleteDecks", decks=["Spanish", "Nonexistent"], cardsToo=True) is None
    assert deck_names(col) == ["Default", "French"]
    assert col.db.list("select id from cards") == [kept]
    assert col.note_count() == 1
    assert len(host.changes) == 1 and host.changes[0] is not None and host.changes[0].deck


def test_delete_decks_without_cards_too_is_refused(call: ApiClient, col: Collection) -> None:
    card = add_card(col, "uno", "Spanish")
    message = "Since Anki 2.1.28 it's not possible to delete decks without deleting cards as well"
    assert call.error("deleteDecks", decks=["Spanish"]) == message
    assert call.error("deleteDecks", decks=["Spanish"], cardsToo=False) == message
    assert deck_names(col) == ["Default", "Spanish"]
    assert deck_of(col, card) == "Spanish"


def test_delete_decks_matches_names_exactly(call: ApiClient, col: Collection) -> None:
    col.decks.id("Spanish")
    assert call("deleteDecks", decks=["spanish", "Span"], cardsToo=True) is None
    assert deck_names(col) == ["Default", "Spanish"]


def test_delete_decks_needs_a_list_of_names(call: ApiClient, col: Collection) -> None:
    col.decks.id("Spanish")
    message = 'decks must be a list of deck names, not "Spanish"'
    assert call.error("deleteDecks", decks="Spanish", cardsToo=True) == message
    assert deck_names(col) == ["Default", "Spanish"]


def test_deleting_the_default_deck_empties_it(call: ApiClient, col: Collection) -> None:
    add_card(col, "uno")
    assert call("deleteDecks", decks=["Default"], cardsToo=True) is None
    assert deck_names(col) == ["Default"]
    assert col.card_count() == 0


# -- getDecks ----------------------------------------------------------------------------


def test_get_decks_groups_cards_by_deck_in_input_order(call: ApiClient, col: Collection) -> None:
    uno, dos = add_card(col, "uno", "Spanish"), add_card(col, "dos", "Spanish")
    ir = add_card(col, "ir", "Spanish::Verbs")
    hello = add_card(col, "hello")
    result = call("getDecks", cards=[dos, hello, ir, uno, dos])
    assert result == {"Spanish": [dos, uno, dos], "Default": [hello], "Spanish::Verbs": [ir]}
    assert list(result) == ["Spanish", "Default", "Spanish::Verbs"]


def test_get_decks_leaves_unknown_cards_out(call: ApiClient, col: Collection) -> None:
    uno = add_card(col, "uno", "Spanish")
    # the original listed unknown ids under "Default", which was wrong
    assert call("getDecks", cards=[12345, uno]) == {"Spanish": [uno]}
    assert call("getDecks", cards=[]) == {}


def test_get_decks_names_the_filtered_deck_a_card_is_in(call: ApiClient, col: Collection) -> None:
    uno = add_card(col, "uno", "Spanish")
    make_filtered_deck(col, "Cram", "deck:Spanish")
    assert call("getDecks", cards=[uno]) == {"Cram": [uno]}


@pytest.mark.parametrize(
    ("cards", "message"),
    [
        ("123", 'cards must be a list of card ids, not "123"'),
        ([1, "2"], 'cards must be a list of card ids; "2" is not one'),
        ([1.5], "cards must be a list of card ids; 1.5 is not one"),
        ([True], "cards must be a list of card ids; true is not one"),
        ([2**63], "cards must be a list of card ids; 9223372036854775808 is not one"),
    ],
)
def test_get_decks_needs_card_ids(call: ApiClient, cards: Any, message: str) -> None:
    assert call.error("getDecks", cards=cards) == message


def test_get_decks_of_many_cards(call: ApiClient, col: Collection) -> None:
    uno = add_card(col, "uno", "Spanish")
    hello = add_card(col, "hello")
    cards = [*range(1, 2500), hello, uno]  # several query batches; only two real cards
    assert call("getDecks", cards=cards) == {"Default": [hello], "Spanish": [uno]}


# -- changeDeck --------------------------------------------------------------------------


def test_change_deck_moves_cards_and_creates_the_deck(call: ApiClient, col: Collection, host: RecordingHost) -> None:
    uno, dos = add_card(col, "uno"), add_card(col, "dos")
    stay = add_card(col, "tres")
    assert call("changeDeck", cards=[uno, dos, 999], deck="Spanish::Verbs") is None
    assert [deck_of(col, card) for card in (uno, dos, stay)] == ["Spanish::Verbs", "Spanish::Verbs", "Default"]
    assert deck_names(col) == ["Default", "Spanish", "Spanish::Verbs"]
    assert len(host.changes) == 2  # the new deck, then the moved cards
    assert all(changes is not None for changes in host.changes)
    assert host.changes[1].card  # type: ignore[union-attr]


def test_change_deck_returns_cards_from_a_filtered_deck_first(call: ApiClient, col: Collection) -> None:
    uno = add_card(col, "uno", "Spanish")
    make_filtered_deck(col, "Cram", "deck:Spanish")
    assert deck_of(col, uno) == "Cram"
    assert call("changeDeck", cards=[uno], deck="Archive") is None
    card = col.get_card(uno)
    assert (deck_of(col, uno), card.odid, card.queue, card.type) == ("Archive", 0, 0, 0)


def test_change_deck_into_a_filtered_deck_is_refused(call: ApiClient, col: Collection) -> None:
    uno = add_card(col, "uno", "Spanish")
    hello = add_card(col, "hello")
    make_filtered_deck(col, "Cram", "deck:Spanish")
    assert call.error("changeDeck", cards=[hello], deck="Cram") == "Cards can't be manually moved into a filtered deck."
    assert (deck_of(col, hello), deck_of(col, uno)) == ("Default", "Cram")


def test_change_deck_with_bad_cards_creates_no_deck(call: ApiClient, col: Collection) -> None:
    assert call.error("changeDeck", cards=["x"], deck="New") == 'cards must be a list of card ids; "x" is not one'
    assert call.error("changeDeck", cards=[], deck="") == 'invalid deck name: ""'
    assert deck_names(col) == ["Default"]


# -- getDeckStats ------------------------------------------------------------------------


def test_get_deck_stats_reports_anki_deck_list_counts(call: ApiClient, col: Collection) -> None:
    new_cards = [add_card(col, f"new {n}", "Spanish") for n in range(3)]
    review = add_card(col, "review", "Spanish")
    add_card(col, "child", "Spanish::Verbs")
    col.sched.set_due_date([review], "0")  # type: ignore[list-item]  # a review due today
    group = col.decks.get_config(1)
    assert group is not None
    group["new"]["perDay"] = 2
    col.decks.update_config(group)
    spanish = col.decks.id_for_name("Spanish")
    result = call("getDeckStats", decks=["Spanish", "Spanish::Verbs"])
    verbs = col.decks.id_for_name("Spanish::Verbs")
    assert result == {
        str(spanish): {
            "deck_id": spanish,
            "name": "Spanish",
            "new_count": 2,  # the daily limit, including the child deck's card
            "learn_count": 0,
            "review_count": 1,
            "total_in_deck": 4,  # the deck's own cards only
        },
        str(verbs): {
            "deck_id": verbs,
            "name": "Verbs",
            "new_count": 1,
            "learn_count": 0,
            "review_count": 0,
            "total_in_deck": 1,
        },
    }
    assert len(new_cards) == 3


def test_get_deck_stats_creates_unknown_decks(call: ApiClient, col: Collection, host: RecordingHost) -> None:
    result = call("getDeckStats", decks=["Nouveau::Deck"])
    deck_id = col.decks.id_for_name("Nouveau::Deck")
    assert deck_id is not None
    assert result == {
        str(deck_id): {
            "deck_id": deck_id,
            "name": "Deck",
            "new_count": 0,
            "learn_count": 0,
            "review_count": 0,
            "total_in_deck": 0,
        }
    }
    assert len(host.changes) == 1


def test_get_deck_stats_of_the_empty_default_deck(call: ApiClient, col: Collection) -> None:
    # Anki's deck list hides an empty Default deck once other decks exist
    add_card(col, "uno", "Spanish")
    assert col.sched.deck_due_tree().children[0].name == "Spanish"
    zeros = {"new_count": 0, "learn_count": 0, "review_count": 0, "total_in_deck": 0}
    assert call("getDeckStats", decks=["Default"]) == {"1": {"deck_id": 1, "name": "Default", **zeros}}


def test_get_deck_stats_checks_every_name_before_creating_any(call: ApiClient, col: Collection) -> None:
    assert call.error("getDeckStats", decks=["Fine", "Bad::"]) == 'invalid deck name: "Bad::"'
    assert call.error("getDeckStats", decks="Fine") == 'decks must be a list of deck names, not "Fine"'
    assert deck_names(col) == ["Default"]


# -- getDeckConfig -----------------------------------------------------------------------


def test_get_deck_config_of_the_default_deck(call: ApiClient, col: Collection) -> None:
    group = call("getDeckConfig", deck="Default")
    assert (group["id"], group["name"], group["dyn"]) == (1, "Default", False)
    assert (group["new"]["perDay"], group["rev"]["perDay"], group["lapse"]["leechFails"]) == (20, 200, 8)
    stored = col.decks.get_config(1)
    assert stored is not None
    assert group == {**stored, "dyn": False}


def test_get_deck_config_follows_the_deck_to_its_group(call: ApiClient, col: Collection) -> None:
    deck = col.decks.get(col.decks.id("Spanish"))
    assert deck is not None
    hard = col.decks.add_config_returning_id("Hard mode")
    deck["conf"] = hard
    col.decks.save(deck)
    group = call("getDeckConfig", deck="Spanish")
    assert (group["id"], group["name"]) == (hard, "Hard mode")


def test_get_deck_config_of_a_filtered_deck_is_the_deck_itself(call: ApiClient, col: Collection) -> None:
    add_card(col, "uno", "Spanish")
    cram = make_filtered_deck(col, "Cram", "deck:Spanish")
    deck = call("getDeckConfig", deck="Cram")
    assert (deck["id"], deck["name"], deck["dyn"], deck["terms"][0]) == (cram, "Cram", 1, ["deck:Spanish", 100, 1])


@pytest.mark.parametrize("deck", ["Nowhere", "default", 1])
def test_get_deck_config_of_an_unknown_deck_is_false(call: ApiClient, col: Collection, deck: Any) -> None:
    assert call("getDeckConfig", deck=deck) is False
    assert deck_names(col) == ["Default"]


# -- saveDeckConfig ----------------------------------------------------------------------


def shown_by_deck_options(col: Collection, deck: str) -> Any:
    """The options group of `deck` as Anki's deck-options screen loads it."""
    deck_id = col.decks.id_for_name(deck)
    assert deck_id is not None
    screen = col.decks.get_deck_configs_for_update(deck_id)
    current = screen.current_deck.config_id
    return next(entry.config for entry in screen.all_config if entry.config.id == current)


def test_save_deck_config_accepts_what_get_deck_config_returns(call: ApiClient, col: Collection) -> None:
    before = call("getDeckConfig", deck="Default")
    assert call("saveDeckConfig", config=copy.deepcopy(before)) is True
    after = call("getDeckConfig", deck="Default")
    assert after["usn"] == -1 and after["mod"] > 0
    ignore = {"mod", "usn"}
    assert {k: v for k, v in after.items() if k not in ignore} == {k: v for k, v in before.items() if k not in ignore}


def test_saved_values_are_what_the_deck_options_screen_shows(call: ApiClient, col: Collection) -> None:
    group = call("getDeckConfig", deck="Default")
    group["name"] = "Relaxed"
    group["new"]["perDay"] = 30
    group["new"]["delays"] = [2, 15.5]
    group["rev"]["perDay"] = 150
    group["rev"]["maxIvl"] = 3650.0  # an integral float is an integer
    group["lapse"]["leechFails"] = 5
    group["desiredRetention"] = 0.85
    group["unknownFutureKey"] = {"kept": [1, 2]}
    assert call("saveDeckConfig", config=group) is True
    screen = shown_by_deck_options(col, "Default")
    assert screen.name == "Relaxed"
    inner = screen.config
    assert (inner.new_per_day, list(inner.learn_steps), inner.reviews_per_day) == (30, [2.0, 15.5], 150)
    assert (inner.maximum_review_interval, inner.leech_threshold) == (3650, 5)
    assert inner.desired_retention == pytest.approx(0.85)
    again = call("getDeckConfig", deck="Default")
    assert (again["rev"]["maxIvl"], again["unknownFutureKey"]) == (3650, {"kept": [1, 2]})


def test_save_deck_config_takes_the_id_as_a_string(call: ApiClient, col: Collection) -> None:
    group = call("getDeckConfig", deck="Default")
    group["id"] = "1"
    group["new"]["perDay"] = 7
    assert call("saveDeckConfig", config=group) is True
    assert shown_by_deck_options(col, "Default").config.new_per_day == 7


def test_save_deck_config_of_an_unknown_group_is_false(call: ApiClient, col: Collection) -> None:
    group = call("getDeckConfig", deck="Default")
    group["id"] = 424242
    assert call("saveDeckConfig", config=group) is False
    assert [entry["id"] for entry in col.decks.all_config()] == [1]  # Anki would have created it


def test_save_deck_config_that_anki_rejects_is_false(call: ApiClient, col: Collection) -> None:
    group = call("getDeckConfig", deck="Default")
    del group["new"]
    group["rev"]["perDay"] = 1
    assert call("saveDeckConfig", config=group) is False
    assert shown_by_deck_options(col, "Default").config.reviews_per_day == 200


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda g: g["new"].update(perDay="30"), 'config.new.perDay must be an integer, not "30"'),
        (lambda g: g["new"].update(perDay=2.5), "config.new.perDay must be an integer, not 2.5"),
        (lambda g: g.update(autoplay=1), "config.autoplay must be true or false, not 1"),
        (lambda g: g["lapse"].update(delays=["10m"]), 'config.lapse.delays[0] must be a number, not "10m"'),
        (lambda g: g.update(rev=[]), "config.rev must be an object, not []"),
        (lambda g: g.update(name=None), "config.name must be a string, not null"),
    ],
)
def test_save_deck_config_refuses_values_anki_would_silently_reset(
    call: ApiClient, col: Collection, change: Any, message: str
) -> None:
    group = call("getDeckConfig", deck="Default")
    group["rev"]["perDay"] = 1
    change(group)
    assert call.error("saveDeckConfig", config=group) == message
    assert shown_by_deck_options(col, "Default").config.reviews_per_day == 200


def test_save_deck_config_needs_an_id(call: ApiClient) -> None:
    group = call("getDeckConfig", deck="Default")
    del group["id"]
    assert call.error("saveDeckConfig", config=group) == "'id'"
    assert call.error("saveDeckConfig", config=[]) == "config must be an options group object, not []"
    assert call.error("saveDeckConfig", config={"id": "one"}) == 'config.id must be an integer, not "one"'


# -- setDeckConfigId ---------------------------------------------------------------------


def test_set_deck_config_id_switches_every_deck(call: ApiClient, col: Collection, host: RecordingHost) -> None:
    col.decks.id("Spanish::Verbs")
    hard = col.decks.add_config_returning_id("Hard mode")
    assert call("setDeckConfigId", decks=["Spanish", "Spanish::Verbs"], configId=hard) is True
    assert shown_by_deck_options(col, "Spanish").id == hard
    assert shown_by_deck_options(col, "Spanish::Verbs").id == hard
    assert shown_by_deck_options(col, "Default").id == 1
    assert len(host.changes) == 2
    assert call("setDeckConfigId", decks=["Spanish"], configId=str(1)) is True
    assert shown_by_deck_options(col, "Spanish").id == 1


def test_set_deck_config_id_changes_nothing_when_a_deck_is_unknown(call: ApiClient, col: Collection) -> None:
    col.decks.id("Spanish")
    hard = col.decks.add_config_returning_id("Hard mode")
    assert call("setDeckConfigId", decks=["Spanish", "Nowhere"], configId=hard) is False
    assert call("setDeckConfigId", decks=["spanish"], configId=hard) is False  # names match exactly
    assert shown_by_deck_options(col, "Spanish").id == 1
    assert deck_names(col) == ["Default", "Spanish"]


def test_set_deck_config_id_of_an_unknown_group_is_false(call: ApiClient, col: Collection) -> None:
    # the original pointed the deck at the missing group (Anki then uses group 1)
    col.decks.id("Spanish")
    assert call("setDeckConfigId", decks=["Spanish"], configId=987654) is False
    assert col.decks.get(col.decks.id_for_name("Spanish"))["conf"] == 1  # type: ignore[index]


def test_set_deck_config_id_of_a_filtered_deck_is_false(call: ApiClient, col: Collection) -> None:
    add_card(col, "uno", "Spanish")
    make_filtered_deck(col, "Cram", "deck:Spanish")
    hard = col.decks.add_config_returning_id("Hard mode")
    assert call("setDeckConfigId", decks=["Spanish", "Cram"], configId=hard) is False
    assert shown_by_deck_options(col, "Spanish").id == 1


def test_set_deck_config_id_checks_its_parameters(call: ApiClient) -> None:
    assert call.error("setDeckConfigId", decks=["Default"], configId="x") == 'configId must be an integer, not "x"'
    assert call.error("setDeckConfigId", decks=[1], configId=1) == "decks must be a list of deck names, not [1]"


# -- cloneDeckConfigId -------------------------------------------------------------------


def test_clone_deck_config_id_copies_the_group(call: ApiClient, col: Collection) -> None:
    source = col.decks.get_config(1)
    assert source is not None
    source["new"]["perDay"] = 44
    col.decks.update_config(source)
    new_id = call("cloneDeckConfigId", name="Hard mode", cloneFrom=1)
    assert isinstance(new_id, int) and new_id > 1
    clone = col.decks.get_config(new_id)
    assert clone is not None and clone["id"] == new_id
    assert clone["name"] == "Hard mode" and clone["new"]["perDay"] == 44
    ignore = {"id", "name", "mod", "usn"}
    assert {k: v for k, v in clone.items() if k not in ignore} == {k: v for k, v in source.items() if k not in ignore}


def test_clone_deck_config_id_from_another_group(call: ApiClient, col: Collection) -> None:
    hard = col.decks.add_config_returning_id("Hard mode")
    group = col.decks.get_config(hard)
    assert group is not None
    group["rev"]["perDay"] = 999
    col.decks.update_config(group)
    clone = call("cloneDeckConfigId", name="Harder", cloneFrom=str(hard))
    assert col.decks.get_config(clone)["rev"]["perDay"] == 999  # type: ignore[index]
    default_clone = call("cloneDeckConfigId", name="Plain")
    assert col.decks.get_config(default_clone)["rev"]["perDay"] == 200  # type: ignore[index]


def test_clone_deck_config_id_of_an_unknown_group_is_false(call: ApiClient, col: Collection) -> None:
    assert call("cloneDeckConfigId", name="Copy", cloneFrom=987654) is False
    message = 'cloneFrom must be an integer, not "first"'
    assert call.error("cloneDeckConfigId", name="Copy", cloneFrom="first") == message
    assert call.error("cloneDeckConfigId", name=None) == "name must be a string, not null"
    assert [group["name"] for group in col.decks.all_config()] == ["Default"]


# -- removeDeckConfigId ------------------------------------------------------------------


def test_remove_deck_config_id_moves_its_decks_to_the_default_group(
    call: ApiClient, col: Collection, host: RecordingHost
) -> None:
    hard = col.decks.add_config_returning_id("Hard mode")
    deck = col.decks.get(col.decks.id("Spanish"))
    assert deck is not None
    deck["conf"] = hard
    col.decks.save(deck)
    assert call("removeDeckConfigId", configId=hard) is True
    assert [group["id"] for group in col.decks.all_config()] == [1]
    assert shown_by_deck_options(col, "Spanish").id == 1
    assert len(host.changes) == 1
    assert call("removeDeckConfigId", configId=hard) is False


def test_remove_deck_config_id_keeps_the_default_group(call: ApiClient, col: Collection) -> None:
    assert call("removeDeckConfigId", configId=1) is False
    assert call("removeDeckConfigId", configId="1") is False
    assert call("removeDeckConfigId", configId=987654) is False
    assert [group["id"] for group in col.decks.all_config()] == [1]


@pytest.fixture
def schema_question() -> Any:
    """Answers Anki's "this needs a one-way sync" question like a user would; records that it was asked."""
    answers: list[bool] = []
    asked: list[bool] = []

    def answer(proceed: bool) -> bool:
        asked.append(proceed)
        return answers[-1]

    hooks.schema_will_change.append(answer)
    yield answers, asked
    hooks.schema_will_change.remove(answer)


def test_remove_deck_config_id_asks_before_a_one_way_sync(
    call: ApiClient, col: Collection, schema_question: Any
) -> None:
    answers, asked = schema_question
    hard = col.decks.add_config_returning_id("Hard mode")
    col.db.execute("update col set ls = scm + 1")  # as after a sync: no one-way sync due yet
    answers.append(False)
    message = "removing an options group needs a one-way sync, which was declined in Anki"
    assert call.error("removeDeckConfigId", configId=hard) == message
    assert [group["id"] for group in col.decks.all_config()] == [1, hard]
    assert not col.schema_changed()
    answers.append(True)
    assert call("removeDeckConfigId", configId=hard) is True
    assert [group["id"] for group in col.decks.all_config()] == [1]
    assert col.schema_changed()
    assert len(asked) == 2
