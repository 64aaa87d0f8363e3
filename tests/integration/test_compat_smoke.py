"""One action of every category in real Anki: the smoke test `make test-compat` runs on each supported Anki.

Together with the tests marked `smoke` elsewhere (the server's bytes, Yomitan's
card-creation path, installing the packaged add-on) this is the integration
part of the compatibility run; `make test` runs it too. Every test works in a
deck of its own, since the session's Anki is shared.
"""

from __future__ import annotations

import base64
import uuid

import pytest

from tests.support.anki import RunningAnki
from tests.support.client import ApiClient

pytestmark = pytest.mark.smoke


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def add_basic(api: ApiClient, deck: str, front: str) -> int:
    note = {"deckName": deck, "modelName": "Basic", "fields": {"Front": front, "Back": "b"}, "tags": ["smoke"]}
    note_id = api("addNote", note=note)
    assert isinstance(note_id, int)
    return note_id


def first_card(anki: RunningAnki, note_id: int) -> int:
    return anki.probe(f"result = mw.col.card_ids_of_note({note_id})[0]")


def test_decks(anki: RunningAnki, api: ApiClient) -> None:
    name = unique("Smoke Deck")
    deck_id = api("createDeck", deck=f"{name}::Child")
    assert anki.probe(f"result = mw.col.decks.id_for_name({name + '::Child'!r})") == deck_id
    assert {name, f"{name}::Child"} <= set(api("deckNames"))


def test_notes(anki: RunningAnki, api: ApiClient) -> None:
    deck = unique("Smoke Notes")
    api("createDeck", deck=deck)
    notes = [
        {"deckName": deck, "modelName": "Basic", "fields": {"Front": front, "Back": "x"}} for front in ("uno", "dos")
    ]
    ids = api("addNotes", notes=notes)
    assert sorted(api("findNotes", query=f'"deck:{deck}"')) == sorted(ids)
    assert anki.probe(f"result = [mw.col.get_note(i)['Front'] for i in {ids}]") == ["uno", "dos"]


def test_cards(anki: RunningAnki, api: ApiClient) -> None:
    deck = unique("Smoke Cards")
    api("createDeck", deck=deck)
    card = first_card(anki, add_basic(api, deck, "gato"))
    assert api("suspend", cards=[card]) is True
    assert anki.probe(f"result = mw.col.get_card({card}).queue") == -1
    assert api("areSuspended", cards=[card, 42]) == [True, None]


def test_models(anki: RunningAnki, api: ApiClient) -> None:
    name = unique("Smoke Type")
    created = api(
        "createModel",
        modelName=name,
        inOrderFields=["Word", "Meaning"],
        css=".card { color: navy; }",
        cardTemplates=[{"Name": "Recall", "Front": "{{Word}}", "Back": "{{Meaning}}"}],
    )
    assert created["name"] == name
    assert api("modelFieldNames", modelName=name) == ["Word", "Meaning"]
    assert anki.probe(f"result = mw.col.models.by_name({name!r})['css']") == ".card { color: navy; }"


def test_media(anki: RunningAnki, api: ApiClient) -> None:
    name = f"{unique('smoke')}.txt"
    data = base64.b64encode(b"hola").decode()
    assert api("storeMediaFile", filename=name, data=data) == name
    assert api("retrieveMediaFile", filename=name) == data
    assert anki.probe(f"import os; result = os.path.exists(os.path.join(mw.col.media.dir(), {name!r}))") is True


def test_statistics(anki: RunningAnki, api: ApiClient) -> None:
    deck = unique("Smoke Stats")
    api("createDeck", deck=deck)
    card = first_card(anki, add_basic(api, deck, "perro"))
    review_id = 1712000000000 + card % 1000000
    assert api("insertReviews", reviews=[[review_id, card, -1, 3, 4, 1, 2500, 6000, 1]]) is None
    assert api("getReviewsOfCards", cards=[card]) == {
        str(card): [
            {"id": review_id, "usn": -1, "ease": 3, "ivl": 4, "lastIvl": 1, "factor": 2500, "time": 6000, "type": 1}
        ]
    }


def test_miscellaneous(api: ApiClient) -> None:
    replies = api("multi", actions=[{"action": "version"}, {"action": "version", "version": 6}])
    assert replies == [6, {"result": 6, "error": None}]


def test_graphical(anki: RunningAnki, api: ApiClient) -> None:
    deck = unique("Smoke Overview")
    api("createDeck", deck=deck)
    assert api("guiDeckOverview", name=deck) is True
    anki.wait_for(f"result = mw.state == 'overview' and mw.col.decks.current()['name'] == {deck!r}")
    assert api("guiDeckBrowser") is None
    anki.wait_for("result = mw.state == 'deckBrowser'")
