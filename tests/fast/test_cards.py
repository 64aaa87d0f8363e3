"""Card actions that find, read, suspend and edit cards (protocol: actions/cards.md).

Scheduling actions are in test_cards_scheduling.py, cardsInfo in test_cards_info.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from anki.collection import Collection

from plugin.loop import SelectorWatcher
from plugin.service import ApiService
from tests.fast.anki_wording import search_error
from tests.fast.card_fixtures import add_note, card_columns
from tests.support.client import ApiClient, dispatcher_client
from tests.support.collections import RecordingHost


@pytest.fixture
def spanish(col: Collection) -> list[int]:
    """Three cards: two in Spanish (gato, perro), one in German (Hund)."""
    (gato,) = add_note(col, "gato", "cat", deck="Spanish")
    (perro,) = add_note(col, "perro", "dog", deck="Spanish")
    (hund,) = add_note(col, "Hund", "dog", deck="German")
    return [gato, perro, hund]


# -- findCards ----------------------------------------------------------------------------


def test_find_cards_runs_anki_searches(call: ApiClient, spanish: list[int]) -> None:
    gato, perro, hund = spanish
    assert sorted(call("findCards", query="deck:Spanish")) == [gato, perro]
    assert call("findCards", query="Front:Hund") == [hund]
    assert call("findCards", query="back:dog -deck:German") == [perro]
    assert sorted(call("findCards", query="")) == [gato, perro, hund]


def test_find_cards_without_a_query_finds_nothing(call: ApiClient, spanish: list[int]) -> None:
    assert call("findCards") == []
    assert call("findCards", query=None) == []


def test_find_cards_reports_anki_search_errors(call: ApiClient, col: Collection) -> None:
    error = call.error("findCards", query="(gato")
    assert error == search_error(col, "(gato")
    assert "an opening bracket" in error


def test_find_cards_needs_a_string(call: ApiClient) -> None:
    assert call.error("findCards", query=5) == "query must be a string in Anki's search syntax"


# -- cardsToNotes, cardsModTime -----------------------------------------------------------


def test_cards_to_notes_gives_each_note_once(call: ApiClient, col: Collection) -> None:
    forward, backward = add_note(col, "casa", "house", model="Basic (and reversed card)")
    (other,) = add_note(col, "mesa", "table")
    result = call("cardsToNotes", cards=[forward, backward, other, 42, "x"])
    assert sorted(result) == sorted({col.get_card(forward).nid, col.get_card(other).nid})
    assert len(result) == 2
    assert call("cardsToNotes", cards=[]) == []


def test_cards_mod_time(call: ApiClient, col: Collection, spanish: list[int]) -> None:
    gato, perro, _ = spanish
    col.db.execute("update cards set mod = 1712345678 where id = ?", gato)
    assert call("cardsModTime", cards=[gato, 7, perro, gato]) == [
        {"cardId": gato, "mod": 1712345678},
        {},
        {"cardId": perro, "mod": col.get_card(perro).mod},
        {"cardId": gato, "mod": 1712345678},
    ]


def test_a_list_parameter_must_be_a_list(call: ApiClient) -> None:
    assert call.error("cardsModTime", cards=5) == "cards must be a list of card ids"
    assert call.error("areSuspended", cards="1") == "cards must be a list of card ids"
    assert call.error("cardsInfo") == "AnkiConnect.cardsInfo() missing 1 required positional argument: 'cards'"


# -- suspension ---------------------------------------------------------------------------


def test_suspend_and_ask(call: ApiClient, col: Collection, spanish: list[int]) -> None:
    gato, perro, hund = spanish
    assert call("suspend", cards=[gato, perro]) is True
    assert [card_columns(col, card)["queue"] for card in spanish] == [-1, -1, 0]
    assert col.undo_status().undo == "Suspend"
    assert call("suspended", card=gato) is True
    assert call("suspended", card=hund) is False
    assert call("areSuspended", cards=[gato, hund, 42, perro]) == [True, False, None, True]


def test_suspending_suspended_cards_changes_nothing(call: ApiClient, col: Collection, spanish: list[int]) -> None:
    gato, perro, _ = spanish
    call("suspend", cards=[gato, perro])
    assert call("suspend", cards=[perro, gato, gato]) is False
    # one card not yet suspended is enough for true (the original's list bug aside)
    assert call("suspend", cards=[gato, perro, spanish[2]]) is True


def test_suspend_with_an_unknown_card_changes_nothing(call: ApiClient, col: Collection, spanish: list[int]) -> None:
    gato = spanish[0]
    assert call.error("suspend", cards=[gato, 42]) == "Card was not found: 42"
    assert call.error("suspend", cards=[gato, "abc"]) == "Card was not found: abc"
    assert card_columns(col, gato)["queue"] == 0


def test_suspend_false_and_unsuspend_restore_the_queue(call: ApiClient, col: Collection, spanish: list[int]) -> None:
    gato, perro, hund = spanish
    call("suspend", cards=spanish)
    assert call("suspend", cards=[gato], suspend=False) is True
    assert call("unsuspend", cards=[gato, perro]) is True
    assert call("unsuspend", cards=[gato, perro]) is False
    assert [card_columns(col, card)["queue"] for card in spanish] == [0, 0, -1]
    assert call.error("unsuspend", cards=[hund, 99]) == "Card was not found: 99"
    assert card_columns(col, hund)["queue"] == -1


def test_unsuspend_leaves_buried_cards_buried(call: ApiClient, col: Collection, spanish: list[int]) -> None:
    gato = spanish[0]
    col.sched.bury_cards([gato])
    buried = card_columns(col, gato)["queue"]
    assert buried in (-2, -3)
    assert call("unsuspend", cards=[gato]) is False
    assert card_columns(col, gato)["queue"] == buried


def test_suspended_of_an_unknown_card(call: ApiClient) -> None:
    assert call.error("suspended", card=42) == "Card was not found: 42"


# -- ease factors -------------------------------------------------------------------------


def test_get_and_set_ease_factors(call: ApiClient, col: Collection, spanish: list[int]) -> None:
    gato, perro, _ = spanish
    assert call("getEaseFactors", cards=[gato, 5]) == [0, None]
    assert call("setEaseFactors", cards=[gato, 3, perro], easeFactors=[2300, 2500, 1900]) == [True, False, True]
    assert call("getEaseFactors", cards=[perro, gato]) == [1900, 2300]
    assert col.undo_status().undo == "Update Card"


def test_set_ease_factors_checks_every_value_first(call: ApiClient, col: Collection, spanish: list[int]) -> None:
    gato, perro, hund = spanish
    # an unknown id needs no value, but an existing card past the list's end does
    assert call("setEaseFactors", cards=[gato, 3], easeFactors=[2100]) == [True, False]
    assert call.error("setEaseFactors", cards=[perro, 3, hund], easeFactors=[2200, 2300]) == "list index out of range"
    assert call.error("setEaseFactors", cards=[perro], easeFactors=["2500"]) == (
        "an ease factor is a whole number of per-mille, such as 2500; got '2500'"
    )
    assert call("getEaseFactors", cards=spanish) == [2100, 0, 0]


# -- setSpecificValueOfCard ---------------------------------------------------------------


def test_set_specific_values(call: ApiClient, col: Collection, spanish: list[int]) -> None:
    gato = spanish[0]
    result = call("setSpecificValueOfCard", card=gato, keys=["flags", "odue", "factor"], newValues=[2, 7, 2700],
                  warning_check=True)  # fmt: skip
    assert result == [True]
    assert {k: card_columns(col, gato)[k] for k in ("flags", "odue", "factor")} == {
        "flags": 2,
        "odue": 7,
        "factor": 2700,
    }
    assert col.undo_status().undo == "Update Card"


def test_protected_keys_need_the_warning_check(call: ApiClient, col: Collection, spanish: list[int]) -> None:
    gato = spanish[0]
    assert call("setSpecificValueOfCard", card=gato, keys=["flags", "reps"], newValues=[1, 5]) is False
    assert call("setSpecificValueOfCard", card=gato, keys=["reps"], newValues=[5], warning_check=False) is False
    assert card_columns(col, gato)["reps"] == 0
    # only the exact value false refuses
    assert call("setSpecificValueOfCard", card=gato, keys=["reps"], newValues=[5], warning_check=None) == [True]
    assert call("setSpecificValueOfCard", card=gato, keys=["lapses"], newValues=[2], warning_check=0) == [True]
    assert (card_columns(col, gato)["reps"], card_columns(col, gato)["lapses"]) == (5, 2)


def test_malformed_requests_answer_false(call: ApiClient, col: Collection, spanish: list[int]) -> None:
    gato = spanish[0]
    assert call("setSpecificValueOfCard", card=[gato], keys=["flags"], newValues=[1]) is False
    assert call("setSpecificValueOfCard", card=gato, keys="flags", newValues=[1]) is False
    assert call("setSpecificValueOfCard", card=gato, keys=["flags"], newValues=1) is False
    assert call("setSpecificValueOfCard", card=gato, keys=["flags", "due"], newValues=[1]) is False
    assert card_columns(col, gato)["flags"] == 0


def test_failures_come_inside_the_result(call: ApiClient, col: Collection, spanish: list[int]) -> None:
    gato, perro, _ = spanish

    def set_values(card: object, keys: list[str], values: list[object]) -> object:
        return call("setSpecificValueOfCard", card=card, keys=keys, newValues=values, warning_check=True)

    assert set_values(42, ["flags"], [1]) == [[False, "Card was not found: 42"]]
    assert set_values(gato, ["flags"], ["red"]) == [[False, "flags needs an integer, got 'red'"]]
    assert set_values(gato, ["flags", "due"], [3, 1.5]) == [[False, "due needs an integer, got 1.5"]]
    assert set_values(gato, ["queue"], [9]) == [[False, "invalid card queue"]]
    assert set_values(gato, ["id"], [perro]) == [[False, "the id of a card cannot be changed"]]
    assert set_values(gato, ["nid"], [5]) == [[False, "Note was not found: 5"]]
    assert set_values(gato, ["did"], [5]) == [[False, "deck was not found: 5"]]
    assert set_values(gato, [7], [1]) == [[False, "attribute name must be string, not 'int'"]]
    # nothing of a failed request was saved
    assert {k: card_columns(col, gato)[k] for k in ("flags", "due", "queue")} == {"flags": 0, "due": 1, "queue": 0}


def test_strings_holding_integers_are_converted(call: ApiClient, col: Collection, spanish: list[int]) -> None:
    gato = spanish[0]
    assert call("setSpecificValueOfCard", card=gato, keys=["flags", "due"], newValues=["3", " 12 "]) == [True]
    assert (card_columns(col, gato)["flags"], card_columns(col, gato)["due"]) == (3, 12)


def test_keys_that_are_no_card_column_change_nothing(call: ApiClient, col: Collection, spanish: list[int]) -> None:
    gato = spanish[0]
    before = card_columns(col, gato)
    assert call("setSpecificValueOfCard", card=gato, keys=["foo", "data"], newValues=["bar", "{}"]) == [True]
    assert card_columns(col, gato) == before


# -- telling Anki's windows ---------------------------------------------------------------


def test_every_change_is_reported_to_the_host(col: Collection) -> None:
    host = RecordingHost(col, environ={})
    service = ApiService(host, SelectorWatcher())
    call = dispatcher_client(service.dispatcher)
    (card_id,) = add_note(col, "gato", "cat")
    requests: list[tuple[str, dict[str, Any]]] = [
        ("suspend", {"cards": [card_id]}),
        ("unsuspend", {"cards": [card_id]}),
        ("setEaseFactors", {"cards": [card_id], "easeFactors": [2000]}),
        ("setSpecificValueOfCard", {"card": card_id, "keys": ["flags"], "newValues": [1]}),
        ("answerCards", {"answers": [{"cardId": card_id, "ease": 4}]}),
        ("relearnCards", {"cards": [card_id]}),
        ("forgetCards", {"cards": [card_id]}),
        ("setDueDate", {"cards": [card_id], "days": "2"}),
    ]
    for action, params in requests:
        host.changes.clear()
        call(action, **params)
        assert [changes.card for changes in host.changes] == [True], action
    # reading and changing nothing reports nothing
    for action, params in [("cardsInfo", {"cards": [card_id]}), ("suspend", {"cards": [card_id], "suspend": False})]:
        host.changes.clear()
        call(action, **params)
        assert host.changes == [], action
    service.close()
