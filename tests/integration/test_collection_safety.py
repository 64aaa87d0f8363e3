"""Bad parameters, faults inside Anki and batches that fail part-way, against real Anki over HTTP.

Every refused request must leave the collection exactly as it was: each test
compares a snapshot of every table (and the media folder) from before and
after. After every test the collection passes Anki's own check
(`fix_integrity`) and SQLite's `pragma integrity_check`, and Anki shows no
error dialog.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.support.anki import RunningAnki, start_anki
from tests.support.client import ApiClient, http_client

SNAPSHOT = """
tables = [row[0] for row in mw.col.db.all(
    "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name")]
def plain(value):
    return value.hex() if isinstance(value, bytes) else value
result = {table: [[plain(v) for v in row] for row in mw.col.db.all(f"select * from {table} order by 1, 2")]
          for table in tables}
import os
result["media folder"] = sorted(os.listdir(mw.col.media.dir()))
"""


@pytest.fixture(scope="module")
def anki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningAnki]:
    running = start_anki(tmp_path_factory.mktemp("safety"))
    yield running
    running.stop()


@pytest.fixture(scope="module")
def api(anki: RunningAnki) -> ApiClient:
    return http_client(anki.url)


@pytest.fixture(autouse=True)
def collection_passes_ankis_check(anki: RunningAnki) -> Iterator[None]:
    yield
    assert anki.probe("result = mw.col.db.scalar('pragma integrity_check')") == "ok"
    # Anki's Check Database: the first value lists problems it found (and fixed)
    assert anki.probe("result = mw.col.fix_integrity()") == ["Database rebuilt and optimized.", True]
    assert anki.error_dialogs() == []


@pytest.fixture(scope="module")
def data(api: ApiClient) -> dict[str, Any]:
    """A deck with two Basic notes (one reviewed) and a note type of our own."""
    api("createDeck", deck="Safety")
    first = api("addNote", note={"deckName": "Safety", "modelName": "Basic", "fields": {"Front": "uno", "Back": "one"}})
    second = api(
        "addNote", note={"deckName": "Safety", "modelName": "Basic", "fields": {"Front": "dos", "Back": "two"}}
    )
    cards = api("findCards", query="deck:Safety")
    assert api("answerCards", answers=[{"cardId": cards[0], "ease": 3}]) == [True]
    api(
        "createModel",
        modelName="Safety Vocab",
        inOrderFields=["Word", "Meaning"],
        cardTemplates=[{"Name": "Read", "Front": "{{Word}}", "Back": "{{FrontSide}}<hr id=answer>{{Meaning}}"}],
    )
    return {"notes": [first, second], "cards": cards}


def snapshot(anki: RunningAnki) -> dict[str, Any]:
    return anki.probe(SNAPSHOT)


def assert_unchanged(anki: RunningAnki, before: dict[str, Any]) -> None:
    after = snapshot(anki)
    changed = {table: (before[table], after[table]) for table in before if before[table] != after[table]}
    assert changed == {}


# -- bad parameters: a clear error, nothing changed ---------------------------------------------

NOTE = {"deckName": "Safety", "modelName": "Basic", "fields": {"Front": "tres", "Back": "three"}}

BAD_PARAMETERS = [
    # notes
    ("addNote", {"note": "tres"}, "note must be an object"),
    ("addNote", {"note": {**NOTE, "fields": ["tres"]}}, '"fields" must be an object'),
    ("addNote", {"note": {**NOTE, "fields": {"Front": 3}}}, 'the value of field "Front" must be a string'),
    ("addNote", {"note": {**NOTE, "deckName": "No Such Deck"}}, "deck was not found: No Such Deck"),
    ("addNote", {"note": {**NOTE, "modelName": "No Such Type"}}, "model was not found: No Such Type"),
    ("addNote", {"note": {**NOTE, "fields": {"Front": "uno"}}}, "cannot create note because it is a duplicate"),
    ("notesInfo", {"notes": "1"}, "notes must be a list of note ids (integers)"),
    ("updateNoteFields", {"note": {"id": 1, "fields": {"Front": "x"}}}, "Note was not found: 1"),
    ("updateNoteFields", {"note": {"id": "1", "fields": {"Front": "x"}}}, "Note was not found: 1"),
    ("updateNoteFields", {"note": 5}, "note must be an object"),
    ("deleteNotes", {"notes": "all"}, "notes must be a list of note ids (integers)"),
    ("addTags", {"notes": "all", "tags": "x"}, "notes must be a list of note ids (integers)"),
    ("addTags", {"notes": "NOTES", "tags": 5}, "tags must be a string of tags separated by spaces"),
    ("updateNoteTags", {"note": "NOTE", "tags": 5}, "Must provide tags as a list of strings"),
    ("updateNoteTags", {"note": 1, "tags": ["x"]}, "Note was not found: 1"),
    # cards
    ("cardsInfo", {"cards": "1"}, "cards must be a list of card ids"),
    ("suspend", {"cards": [1]}, "Card was not found: 1"),
    ("suspend", {"cards": "x"}, "cards must be a list of card ids"),
    ("setEaseFactors", {"cards": "x", "easeFactors": [2500]}, "cards must be a list of card ids"),
    ("answerCards", {"answers": "x"}, "answers must be a list of {cardId, ease} objects"),
    ("answerCards", {"answers": [{"cardId": "CARD", "ease": 5}]}, "invalid ease"),
    ("changeDeck", {"cards": "x", "deck": "Safety"}, 'cards must be a list of card ids, not "x"'),
    ("changeDeck", {"cards": "CARDS", "deck": 5}, "invalid deck name: 5"),
    # decks
    ("createDeck", {"deck": 5}, "invalid deck name: 5"),
    ("createDeck", {"deck": ""}, 'invalid deck name: ""'),
    ("deleteDecks", {"decks": "Safety", "cardsToo": True}, 'decks must be a list of deck names, not "Safety"'),
    (
        "deleteDecks",
        {"decks": ["Safety"], "cardsToo": False},
        "Since Anki 2.1.28 it's not possible to delete decks without deleting cards as well",
    ),
    ("saveDeckConfig", {"config": "x"}, 'config must be an options group object, not "x"'),
    # note types
    ("modelFieldNames", {"modelName": 5}, "model was not found: 5"),
    (
        "modelFieldRename",
        {"modelName": "Safety Vocab", "oldFieldName": "Nope", "newFieldName": "X"},
        "field was not found in Safety Vocab: Nope",
    ),
    (
        "modelFieldRename",
        {"modelName": "Safety Vocab", "oldFieldName": "Word", "newFieldName": 5},
        "field name should be a non-empty string: 5",
    ),
    (
        "modelFieldAdd",
        {"modelName": "Safety Vocab", "fieldName": "X", "index": "z"},
        "index should be an integer from 0 to 2: z",
    ),
    (
        "modelTemplateRemove",
        {"modelName": "Safety Vocab", "templateName": "Nope"},
        "template was not found in Safety Vocab: Nope",
    ),
    ("updateModelTemplates", {"model": {"name": "Safety Vocab", "templates": "x"}}, "templates should be an object: x"),
    ("updateModelStyling", {"model": {"name": "Safety Vocab", "css": 5}}, "css should be a string: 5"),
    ("createModel", {"modelName": "M", "inOrderFields": "F", "cardTemplates": []}, "inOrderFields should be a list: F"),
    # review log
    ("insertReviews", {"reviews": "x"}, 'reviews must be a list of review rows, not "x"'),
    (
        "insertReviews",
        {"reviews": [[1, 2, 3]]},
        "reviews[0]: 3 values for 9 columns (id, cid, usn, ease, ivl, lastIvl, factor, time, type)",
    ),
]


def _fill_ids(params: Any, data: dict[str, Any]) -> Any:
    """Placeholders for ids that exist only once the data is made."""
    text = json.dumps(params)
    text = text.replace('"NOTES"', json.dumps(data["notes"])).replace('"NOTE"', str(data["notes"][0]))
    text = text.replace('"CARDS"', json.dumps(data["cards"])).replace('"CARD"', str(data["cards"][0]))
    return json.loads(text)


@pytest.mark.parametrize(
    ("action", "params", "error"), BAD_PARAMETERS, ids=[f"{c[0]}-{i}" for i, c in enumerate(BAD_PARAMETERS)]
)
def test_bad_parameters_get_a_clear_error_and_change_nothing(
    anki: RunningAnki, api: ApiClient, data: dict[str, Any], action: str, params: dict[str, Any], error: str
) -> None:
    params = _fill_ids(params, data)
    before = snapshot(anki)
    assert api.error(action, **params) == error
    assert_unchanged(anki, before)


def test_unknown_ids_in_lists_are_reported_in_the_result_and_change_nothing(
    anki: RunningAnki, api: ApiClient, data: dict[str, Any]
) -> None:
    before = snapshot(anki)
    assert api("notesInfo", notes=[1, 2]) == [{}, {}]
    assert api("cardsInfo", cards=[1]) == [{}]
    assert api("setEaseFactors", cards=[1, 2], easeFactors=[2500, 2500]) == [False, False]
    assert api("answerCards", answers=[{"cardId": 1, "ease": 3}]) == [False]
    assert api("getDeckConfig", deck="No Such Deck") is False
    assert api("setDeckConfigId", decks=["Safety"], configId=99999) is False
    assert api("deleteDecks", decks=["No Such Deck"], cardsToo=True) is None
    assert api("deleteNotes", notes=[1, 2]) is None
    assert_unchanged(anki, before)


# -- batches that fail part-way -----------------------------------------------------------------


def test_add_notes_with_one_bad_note_adds_none(anki: RunningAnki, api: ApiClient, data: dict[str, Any]) -> None:
    before = snapshot(anki)
    notes = [
        {**NOTE, "fields": {"Front": "cuatro", "Back": "four"}},
        {**NOTE, "fields": {"Front": "uno", "Back": "one again"}},  # a duplicate
        {**NOTE, "fields": {"Front": "cinco"}, "deckName": "No Such Deck"},
    ]
    assert api.error("addNotes", notes=notes) == (
        "['cannot create note because it is a duplicate', 'deck was not found: No Such Deck']"
    )
    assert_unchanged(anki, before)


def test_add_notes_refused_by_another_add_on_adds_none(anki: RunningAnki, api: ApiClient) -> None:
    # an add-on's hook raises for the second note while Anki adds the batch
    anki.probe(
        """
        from anki import hooks
        def refuse(col, note, deck_id):
            if note.fields[0] == "seis":
                raise RuntimeError("an add-on refused this note")
        hooks.note_will_be_added.append(refuse)
        """
    )
    before = snapshot(anki)
    notes = [{**NOTE, "fields": {"Front": word}} for word in ("cinco", "seis", "siete")]
    assert api.error("addNotes", notes=notes) == "an add-on refused this note"
    assert_unchanged(anki, before)
    # Anki drops a hook that raised: the same batch now goes through
    assert len(api("addNotes", notes=notes)) == 3
    api("deleteNotes", notes=api("findNotes", query="deck:Safety (Front:cinco OR Front:seis OR Front:siete)"))


def test_insert_reviews_with_one_taken_id_inserts_none(anki: RunningAnki, api: ApiClient, data: dict[str, Any]) -> None:
    card = data["cards"][0]
    taken = anki.probe(f"result = mw.col.db.scalar('select id from revlog where cid = {card}')")
    before = snapshot(anki)
    rows = [[1712200000000, card, -1, 3, 7, 3, 2500, 4200, 1], [taken, card, -1, 3, 7, 3, 2500, 4200, 1]]
    assert api.error("insertReviews", reviews=rows) == (
        f"reviews[1]: id {taken} is already in the review log (UNIQUE constraint failed: revlog.id)"
    )
    rows[1] = [1712200000001, card, -1, 3, 7, 3, 2500, 4200, "x"]
    assert api.error("insertReviews", reviews=rows) == 'reviews[1]: type must be an integer, not "x"'
    assert_unchanged(anki, before)


def test_model_edits_with_a_failing_element_change_nothing(
    anki: RunningAnki, api: ApiClient, data: dict[str, Any]
) -> None:
    before = snapshot(anki)
    assert api.error("modelFieldRename", modelName="Safety Vocab", oldFieldName="Word", newFieldName="Meaning") == (
        "field already exists in Safety Vocab: Meaning"
    )
    # the first template change is fine, the second element is not an object
    templates = {"Read": {"Front": "<b>{{Word}}</b>"}, "Card 9": {"Front": "x"}}
    assert (
        api("updateModelTemplates", model={"name": "Safety Vocab", "templates": templates}) is None
    )  # unknown: ignored
    after_first = snapshot(anki)
    templates = {"Read": {"Front": "<i>{{Word}}</i>"}, "Write": 5}
    assert (
        api(
            "modelTemplateAdd",
            modelName="Safety Vocab",
            template={"Name": "Write", "Front": "{{Meaning}}", "Back": "{{Word}}"},
        )
        is None
    )
    after_second = snapshot(anki)
    assert api.error("updateModelTemplates", model={"name": "Safety Vocab", "templates": templates}) == (
        "template Write should be an object: 5"
    )
    assert_unchanged(anki, after_second)
    # a front Anki refuses (no field on it) after a change it would accept
    templates = {"Read": {"Front": "<i>{{Word}}</i>"}, "Write": {"Front": "no field here"}}
    assert api.error("updateModelTemplates", model={"name": "Safety Vocab", "templates": templates}) == (
        "Card template 2 in note type 'Safety Vocab' has a problem. "
        "Expected to find a field replacement on the front of the card template."
    )
    assert_unchanged(anki, after_second)
    assert api("modelTemplateRemove", modelName="Safety Vocab", templateName="Write") is None
    assert before != after_first  # the accepted change was saved


def test_find_and_replace_across_note_types_changes_nothing_when_anki_refuses_one(
    anki: RunningAnki, api: ApiClient, data: dict[str, Any]
) -> None:
    # "{{Back}}" leaves Basic's back template valid, but empties the front of
    # "Basic (and reversed card)": Anki refuses that after Basic was saved.
    before = snapshot(anki)
    assert api.error("findAndReplaceInModels", modelName="", findText="{{Back}}", replaceText="") == (
        "Card template 2 in note type 'Basic (and reversed card)' has a problem. "
        "Expected to find a field replacement on the front of the card template."
    )
    assert_unchanged(anki, before)  # Basic's modification time and sync state included
    assert api("modelTemplates", modelName="Basic")["Card 1"]["Back"] == "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}"


def test_answer_cards_with_one_bad_answer_answers_none(anki: RunningAnki, api: ApiClient, data: dict[str, Any]) -> None:
    first, second = data["cards"]
    before = snapshot(anki)
    answers = [{"cardId": first, "ease": 3}, {"cardId": second, "ease": 3}, {"cardId": second, "ease": 7}]
    assert api.error("answerCards", answers=answers) == "invalid ease"
    assert api.error("answerCards", answers=[*answers[:2], {"cardId": second}]) == "'ease'"
    assert_unchanged(anki, before)


def test_set_ease_factors_short_of_values_sets_none(anki: RunningAnki, api: ApiClient, data: dict[str, Any]) -> None:
    first, second = data["cards"]
    before = snapshot(anki)
    assert api.error("setEaseFactors", cards=[first, second], easeFactors=[2100]) == "list index out of range"
    assert api.error("setEaseFactors", cards=[first, second], easeFactors=[2100, "x"]) == (
        "an ease factor is a whole number of per-mille, such as 2500; got 'x'"
    )
    assert_unchanged(anki, before)


def test_update_note_with_bad_tags_leaves_the_fields(anki: RunningAnki, api: ApiClient, data: dict[str, Any]) -> None:
    before = snapshot(anki)
    note = {"id": data["notes"][0], "fields": {"Back": "changed"}, "tags": 5}
    assert api.error("updateNote", note=note) == "Must provide tags as a list of strings"
    assert_unchanged(anki, before)


def test_multi_runs_each_write_on_its_own(anki: RunningAnki, api: ApiClient, data: dict[str, Any]) -> None:
    """`multi` is not a transaction: a failing element fails alone, the others are done."""
    before = snapshot(anki)
    actions = [
        {"action": "createDeck", "version": 6, "params": {"deck": "Safety::Multi"}},
        {"action": "addNote", "version": 6, "params": {"note": {**NOTE, "fields": {"Front": "uno"}}}},
        {"action": "addNote", "version": 6, "params": {"note": {**NOTE, "deckName": "Safety::Multi"}}},
    ]
    deck_result, duplicate, added = api("multi", actions=actions)
    assert duplicate == {"result": None, "error": "cannot create note because it is a duplicate"}
    assert deck_result["error"] is None and added["error"] is None
    assert api("findNotes", query='"deck:Safety::Multi"') == [added["result"]]
    api("deleteDecks", decks=["Safety::Multi"], cardsToo=True)
    after = snapshot(anki)
    # only the two successful elements left traces (and their removal, in the graves table)
    assert [t for t in before if before[t] != after[t] and t not in ("col", "graves", "config")] == []


# -- faults inside Anki ---------------------------------------------------------------------------


def test_an_exception_inside_anki_reaches_the_client_without_a_dialog(
    anki: RunningAnki, api: ApiClient, data: dict[str, Any], tmp_path: Path
) -> None:
    before = snapshot(anki)
    # Anki's backend refuses: a search it cannot parse, a file it cannot write
    assert api.error("findCards", query="(").startswith("Invalid search: ")
    message = api.error("exportPackage", deck="Safety", path=str(tmp_path / "missing" / "out.apkg"))
    assert message.startswith(f"Failed to create file in '{tmp_path / 'missing'}'")
    # Python code inside Anki raises: an add-on's hook on adding a note
    anki.probe(
        """
        from anki import hooks
        def broken(col, note, deck_id):
            raise ZeroDivisionError("division by zero in another add-on")
        hooks.note_will_be_added.append(broken)
        """
    )
    assert api.error("addNote", note={**NOTE, "fields": {"Front": "ocho"}}) == "division by zero in another add-on"
    assert_unchanged(anki, before)
    assert api("version") == 6
    # the autouse fixture checks that Anki shows no error dialog
