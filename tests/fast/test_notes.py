"""Note actions (protocol: actions/notes.md) against a real collection."""

from __future__ import annotations

import base64
import hashlib
import os
from typing import Any

import pytest
from anki.collection import Collection

from plugin.loop import SelectorWatcher
from plugin.service import ApiService
from tests.fast.anki_wording import search_error
from tests.support.client import ApiClient, dispatcher_client
from tests.support.collections import RecordingHost

# -- helpers ------------------------------------------------------------------------------


def deck(col: Collection, name: str) -> int:
    deck_id = col.decks.id(name)
    assert deck_id is not None
    return deck_id


def add(col: Collection, front: str, back: str = "", *, deck_name: str = "Default", model: str = "Basic") -> int:
    note = col.new_note(col.models.by_name(model))  # type: ignore[arg-type]
    note.fields[0], note.fields[1] = front, back
    col.add_note(note, deck(col, deck_name))  # type: ignore[arg-type]
    return note.id


def note_obj(front: str, back: str = "", *, deck_name: str = "Default", model: str = "Basic", **extra: Any) -> dict:
    return {"deckName": deck_name, "modelName": model, "fields": {"Front": front, "Back": back}, **extra}


def deck_scope(deck_name: str | None = None, children: bool = False, all_models: bool = False) -> dict[str, Any]:
    return {
        "allowDuplicate": False,
        "duplicateScope": "deck",
        "duplicateScopeOptions": {"deckName": deck_name, "checkChildren": children, "checkAllModels": all_models},
    }


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def media_dir(col: Collection) -> str:
    return col.media.dir()


def read_media(col: Collection, name: str) -> bytes:
    with open(os.path.join(media_dir(col), name), "rb") as file:
        return file.read()


@pytest.fixture
def recorded(col: Collection) -> tuple[ApiClient, RecordingHost]:
    host = RecordingHost(col, environ={})
    return dispatcher_client(ApiService(host, SelectorWatcher()).dispatcher), host


# -- addNote ------------------------------------------------------------------------------


def test_add_note_creates_the_note_and_its_cards_in_the_deck(col: Collection, call: ApiClient) -> None:
    spanish = deck(col, "Spanish")
    note = note_obj("perro", "dog", deck_name="Spanish", model="Basic (and reversed card)", tags=["animals", "es"])
    note_id = call("addNote", note=note)
    stored = col.get_note(note_id)
    assert stored.fields == ["perro", "dog"]
    assert stored.tags == ["animals", "es"]
    assert col.db.all("select ord, did from cards where nid = ? order by ord", note_id) == [[0, spanish], [1, spanish]]


def test_add_note_matches_field_names_case_insensitively_and_ignores_unknown_ones(
    col: Collection, call: ApiClient
) -> None:
    fields = {"fRONT": "perro", "back": "dog", "Nope": "x"}
    note_id = call("addNote", note={"deckName": "Default", "modelName": "Basic", "fields": fields})
    assert col.get_note(note_id).fields == ["perro", "dog"]


def test_add_note_remembers_the_deck_for_the_note_type(col: Collection, call: ApiClient) -> None:
    spanish = deck(col, "Spanish")
    call("addNote", note=note_obj("perro", deck_name="Spanish"))
    basic = col.models.by_name("Basic")
    assert basic is not None
    assert col.get_config(f"_nt_{basic['id']}_lastDeck") == spanish


def test_add_note_reports_the_change(recorded: tuple[ApiClient, RecordingHost]) -> None:
    call, host = recorded
    call("addNote", note=note_obj("perro"))
    assert len(host.changes) == 1 and host.changes[0] is not None and host.changes[0].note


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ({"deckName": "Nope", "fields": {}}, "'modelName'"),
        ({"deckName": "Nope", "modelName": "Vocab", "fields": {}}, "model was not found: Vocab"),
        ({"modelName": "Basic", "fields": {}}, "'deckName'"),
        ({"deckName": "Nope", "modelName": "Basic"}, "deck was not found: Nope"),
        ({"deckName": "Default", "modelName": "Basic"}, "'fields'"),
        ({"deckName": "Default", "modelName": "Basic", "fields": ["x"]}, '"fields" must be an object'),
        (
            {"deckName": "Default", "modelName": "Basic", "fields": {"Front": 5}},
            'the value of field "Front" must be a string',
        ),
        (
            {"deckName": "Default", "modelName": "Basic", "fields": {"Front": ""}, "options": {"allowDuplicate": "no"}},
            'option parameter "allowDuplicate" must be boolean',
        ),
        (
            {
                "deckName": "Default",
                "modelName": "Basic",
                "fields": {"Front": ""},
                "options": {"duplicateScopeOptions": {"checkChildren": 1}},
            },
            'option parameter "duplicateScopeOptions.checkChildren" must be boolean',
        ),
        (
            {
                "deckName": "Default",
                "modelName": "Basic",
                "fields": {"Front": ""},
                "options": {"duplicateScopeOptions": {"checkAllModels": None}},
            },
            'option parameter "duplicateScopeOptions.checkAllModels" must be boolean',
        ),
        (
            {"deckName": "Default", "modelName": "Basic", "fields": {"Front": "<br>"}},
            "cannot create note because it is empty",
        ),
        (
            {"deckName": "Default", "modelName": "Cloze", "fields": {"Text": "no cloze"}},
            "cannot create note for unknown reason",
        ),
        (
            {"deckName": "Default", "modelName": "Basic", "fields": {"Front": "x"}, "tags": 5},
            "Must provide tags as a list of strings",
        ),
        ("perro", "note must be an object"),
    ],
)
def test_add_note_checks_in_the_protocols_order(col: Collection, call: ApiClient, note: Any, message: str) -> None:
    assert call.error("addNote", note=note) == message
    assert col.note_count() == 0


def test_a_duplicate_is_refused_unless_allowed(col: Collection, call: ApiClient) -> None:
    existing = add(col, "<b>perro</b>")
    assert call.error("addNote", note=note_obj("perro")) == "cannot create note because it is a duplicate"
    allowed = call("addNote", note=note_obj("perro", options={"allowDuplicate": True}))
    assert sorted(col.find_notes("")) == sorted([existing, allowed])
    message = call.error("addNote", note=note_obj("", options={"allowDuplicate": True}))
    assert message == "cannot create note because it is empty"


def test_by_default_only_notes_of_the_same_type_are_duplicates(col: Collection, call: ApiClient) -> None:
    add(col, "perro", model="Basic (and reversed card)")
    assert isinstance(call("addNote", note=note_obj("perro")), int)


def test_whitespace_and_markup_decide_duplicates_as_in_anki(col: Collection, call: ApiClient) -> None:
    add(col, "perro")
    assert call("canAddNotes", notes=[note_obj(" perro"), note_obj("<i>perro</i>"), note_obj("Perro")]) == [
        True,
        False,
        True,
    ]


def test_deck_scope_counts_only_notes_with_a_card_in_that_deck(col: Collection, call: ApiClient) -> None:
    deck(col, "Spanish")
    add(col, "perro", deck_name="Default")
    in_spanish = note_obj("perro", deck_name="Spanish", options=deck_scope())
    in_default = note_obj("perro", deck_name="Spanish", options=deck_scope("Default"))
    unknown_deck = note_obj("perro", deck_name="Spanish", options=deck_scope("Nope"))
    collection = note_obj("perro", deck_name="Spanish", options={"duplicateScope": "collection"})
    assert call("canAddNotes", notes=[in_spanish, in_default, unknown_deck, collection]) == [True, False, True, False]


def test_check_children_covers_every_descendant(col: Collection, call: ApiClient) -> None:
    deck(col, "Japanese")
    add(col, "犬", deck_name="Japanese::Vocab::N5")
    # Yomitan's deck-root form: scope deck, the root deck's name, children included
    root = note_obj("犬", deck_name="Japanese::Vocab", options=deck_scope("Japanese", children=True))
    root_only = note_obj("犬", deck_name="Japanese::Vocab", options=deck_scope("Japanese"))
    assert call("canAddNotes", notes=[root, root_only]) == [False, True]


def test_a_card_in_a_filtered_deck_still_counts_for_its_home_deck(col: Collection, call: ApiClient) -> None:
    note_id = add(col, "perro", deck_name="Spanish")
    cram = col.sched.get_or_create_filtered_deck(0)  # type: ignore[arg-type]
    cram.name = "Cram"
    cram.config.search_terms[0].search = "deck:Spanish"
    filtered = col.sched.add_or_update_filtered_deck(cram).id
    card_ids = col.card_ids_of_note(note_id)  # type: ignore[arg-type]
    assert col.db.scalar("select odid from cards where id = ?", card_ids[0]) == deck(col, "Spanish")
    assert col.db.scalar("select did from cards where id = ?", card_ids[0]) == filtered
    assert call("canAddNotes", notes=[note_obj("perro", deck_name="Spanish", options=deck_scope())]) == [False]


def test_check_all_models_compares_with_every_note_type(col: Collection, call: ApiClient) -> None:
    add(col, "perro", model="Basic (and reversed card)")
    options = {"duplicateScope": "collection", "duplicateScopeOptions": {"checkAllModels": True}}
    scoped = {**deck_scope(all_models=True)}
    assert call("canAddNotes", notes=[note_obj("perro", options=options), note_obj("perro", options=scoped)]) == [
        False,
        False,
    ]


def test_the_scoped_path_checks_the_raw_first_field_for_emptiness(col: Collection, call: ApiClient) -> None:
    # as the original: with scope "deck" only a blank string is empty, and cloze rules are skipped
    notes = [
        note_obj("<br>", options=deck_scope()),
        note_obj("  ", options=deck_scope()),
        {"deckName": "Default", "modelName": "Cloze", "fields": {"Text": "no cloze"}, "options": deck_scope()},
    ]
    assert call("canAddNotesWithErrorDetail", notes=notes) == [
        {"canAdd": True},
        {"canAdd": False, "error": "cannot create note because it is empty"},
        {"canAdd": True},
    ]


def test_an_unknown_scope_means_the_whole_collection(col: Collection, call: ApiClient) -> None:
    add(col, "perro", deck_name="Other")
    notes = [note_obj("perro", options={"duplicateScope": scope}) for scope in ("collection", "everything", None, 5)]
    assert call("canAddNotes", notes=notes) == [False, False, False, False]


def test_decomposed_unicode_is_a_duplicate_of_its_composed_form(col: Collection, call: ApiClient) -> None:
    add(col, "caf\u00e9")
    assert call("canAddNotes", notes=[note_obj("cafe\u0301"), note_obj("cafe\u0301", options=deck_scope())]) == [
        False,
        False,
    ]


# -- media of notes -----------------------------------------------------------------------


def test_media_are_stored_and_referenced_in_the_listed_fields(col: Collection, call: ApiClient) -> None:
    note = note_obj(
        "perro",
        "dog",
        audio=[{"data": b64(b"woof"), "filename": "perro.mp3", "fields": ["Front", "front", "Nope"]}],
        video={"data": b64(b"clip"), "filename": "perro.mp4", "fields": ["Back"]},
        picture=[{"data": b64(b"png"), "filename": "perro.png", "fields": ["Back"]}],
    )
    note_id = call("addNote", note=note)
    assert col.get_note(note_id).fields == ["perro[sound:perro.mp3]", 'dog[sound:perro.mp4]<img src="perro.png">']
    assert read_media(col, "perro.mp3") == b"woof"


def test_a_matching_skip_hash_skips_the_file_entirely(col: Collection, call: ApiClient) -> None:
    digest = hashlib.md5(b"silence").hexdigest()
    audio = {"data": b64(b"silence"), "filename": "quiet.mp3", "skipHash": digest, "fields": ["Front"]}
    note_id = call("addNote", note=note_obj("perro", audio=audio))
    assert col.get_note(note_id).fields[0] == "perro"
    assert not os.path.exists(os.path.join(media_dir(col), "quiet.mp3"))


def test_a_failed_media_file_leaves_its_escaped_error_in_the_fields(col: Collection, call: ApiClient) -> None:
    picture = [
        {"data": "not base64!", "filename": "a.png", "fields": ["Back"]},
        {"filename": "b.png", "fields": ["Back"]},
        {"data": b64(b"x"), "fields": ["Back"]},
        {"data": "broken", "filename": "c.png"},  # no fields: skipped
    ]
    note_id = call("addNote", note=note_obj("perro", "dog", picture=picture))
    assert col.get_note(note_id).fields[1] == (
        "dog"
        "Invalid base64-encoded string: number of data characters (9) cannot be 1 more than a multiple of 4"
        'You must provide a "data", "path", or "url" field.'
        "'filename'"
    )


def test_media_errors_are_html_escaped(col: Collection, call: ApiClient) -> None:
    picture = {"data": b64(b"x"), "filename": "a<b>&c/d.png", "fields": ["Back"]}
    note_id = call("addNote", note=note_obj("perro", picture=picture))
    assert (
        col.get_note(note_id).fields[1]
        == "invalid media file name 'a&lt;b&gt;&amp;c/d.png': it must not contain a path (/ or \\)"
    )


def test_note_media_keep_an_existing_different_file(col: Collection, call: ApiClient) -> None:
    col.media.write_data("perro.mp3", b"old")
    note_id = call(
        "addNote", note=note_obj("perro", audio={"data": b64(b"new"), "filename": "perro.mp3", "fields": ["Back"]})
    )
    stored = f"perro-{hashlib.sha1(b'new').hexdigest()}.mp3"
    assert col.get_note(note_id).fields[1] == f"[sound:{stored}]"
    assert read_media(col, "perro.mp3") == b"old"
    assert read_media(col, stored) == b"new"


def test_note_media_may_replace_an_existing_file_when_asked(col: Collection, call: ApiClient) -> None:
    col.media.write_data("perro.mp3", b"old")
    audio = {"data": b64(b"new"), "filename": "perro.mp3", "deleteExisting": True, "fields": ["Back"]}
    note_id = call("addNote", note=note_obj("perro", audio=audio))
    assert col.get_note(note_id).fields[1] == "[sound:perro.mp3]"
    assert read_media(col, "perro.mp3") == b"new"


def test_media_members_must_be_objects(col: Collection, call: ApiClient) -> None:
    message = call.error("addNote", note=note_obj("perro", audio="perro.mp3"))
    assert message == '"audio" must be a media object or a list of media objects'
    message = call.error("addNote", note=note_obj("perro", audio={"filename": "a.mp3", "fields": [1]}))
    assert message == '"fields" of a "audio" object must be a list of field names'
    assert col.note_count() == 0


def test_a_single_field_name_is_accepted_for_media(col: Collection, call: ApiClient) -> None:
    audio = {"data": b64(b"x"), "filename": "a.mp3", "fields": "Front"}
    note_id = call("addNote", note=note_obj("perro", audio=audio))
    assert col.get_note(note_id).fields[0] == "perro[sound:a.mp3]"


def test_can_add_stores_media_as_the_original_does(col: Collection, call: ApiClient) -> None:
    audio = {"data": b64(b"woof"), "filename": "check.mp3", "fields": ["Front"]}
    assert call("canAddNotes", notes=[note_obj("perro", audio=audio)]) == [True]
    assert read_media(col, "check.mp3") == b"woof"
    assert col.note_count() == 0


# -- addNotes -----------------------------------------------------------------------------


def test_add_notes_returns_the_ids_in_order(col: Collection, call: ApiClient) -> None:
    deck(col, "Spanish")
    cloze = {"deckName": "Default", "modelName": "Cloze", "fields": {"Text": "{{c1::dos}}"}}
    ids = call("addNotes", notes=[note_obj("uno", deck_name="Spanish"), cloze])
    assert [col.get_note(note_id).fields[0] for note_id in ids] == ["uno", "{{c1::dos}}"]
    assert col.db.scalar("select did from cards where nid = ?", ids[0]) == deck(col, "Spanish")
    assert call("addNotes", notes=[]) == []


def test_add_notes_is_all_or_nothing(col: Collection, call: ApiClient) -> None:
    add(col, "perro")
    notes = [
        note_obj("gato"),
        note_obj("perro"),
        note_obj(""),
        {"deckName": "Default", "modelName": "Vocab2", "fields": {}},
        {"deckName": "Default", "modelName": "Basic"},
    ]
    assert call.error("addNotes", notes=notes) == (
        "['cannot create note because it is a duplicate', 'cannot create note because it is empty', "
        "'model was not found: Vocab2', \"'fields'\"]"
    )
    assert col.note_count() == 1


def test_add_notes_sees_earlier_notes_of_the_same_batch(col: Collection, call: ApiClient) -> None:
    deck(col, "Spanish")
    first, again = note_obj("gato"), note_obj("<b>gato</b>")
    assert call.error("addNotes", notes=[first, again]) == "['cannot create note because it is a duplicate']"
    assert col.note_count() == 0
    # other decks with a deck scope, other note types, or allowed duplicates are fine
    other_deck = note_obj("gato", deck_name="Spanish", options=deck_scope())
    other_type = note_obj("gato", model="Basic (and reversed card)")
    allowed = note_obj("gato", options={"allowDuplicate": True})
    assert len(call("addNotes", notes=[first, other_deck, other_type, allowed])) == 4


def test_an_allowed_duplicate_in_a_batch_still_counts_for_later_notes(col: Collection, call: ApiClient) -> None:
    allowed = note_obj("gato", options={"allowDuplicate": True})
    assert (
        call.error("addNotes", notes=[allowed, note_obj("gato")]) == "['cannot create note because it is a duplicate']"
    )


def test_add_notes_keeps_the_media_of_a_failed_batch(col: Collection, call: ApiClient) -> None:
    audio = {"data": b64(b"meow"), "filename": "gato.mp3", "fields": ["Back"]}
    call.error("addNotes", notes=[note_obj("gato", audio=audio), note_obj("")])
    assert read_media(col, "gato.mp3") == b"meow"
    assert col.note_count() == 0


def test_add_notes_needs_a_list(call: ApiClient) -> None:
    assert call.error("addNotes", notes={"deckName": "Default"}) == "notes must be a list of note objects"


def test_add_notes_reports_one_change(recorded: tuple[ApiClient, RecordingHost]) -> None:
    call, host = recorded
    call("addNotes", notes=[note_obj("uno"), note_obj("dos")])
    assert len(host.changes) == 1 and host.changes[0] is not None and host.changes[0].note


# -- canAdd* ------------------------------------------------------------------------------


def test_can_add_notes_answers_per_note_and_never_raises_for_a_note(col: Collection, call: ApiClient) -> None:
    add(col, "gato")
    notes = [note_obj("gato"), note_obj("ratón"), {"deckName": "Default"}, "junk"]
    assert call("canAddNotes", notes=notes) == [False, True, False, False]
    assert call("canAddNotesWithErrorDetail", notes=notes) == [
        {"canAdd": False, "error": "cannot create note because it is a duplicate"},
        {"canAdd": True},
        {"canAdd": False, "error": "'modelName'"},
        {"canAdd": False, "error": "note must be an object"},
    ]
    assert col.note_count() == 1


def test_can_add_notes_does_not_compare_candidates_with_each_other(call: ApiClient) -> None:
    assert call("canAddNotes", notes=[note_obj("gato"), note_obj("gato")]) == [True, True]


def test_can_add_a_single_note(col: Collection, call: ApiClient) -> None:
    add(col, "gato")
    assert call("canAddNote", note=note_obj("gato")) is False
    assert call("canAddNote", note=note_obj("perro")) is True
    assert call("canAddNoteWithErrorDetail", note=note_obj("gato")) == {
        "canAdd": False,
        "error": "cannot create note because it is a duplicate",
    }
    assert call("canAddNoteWithErrorDetail", note=note_obj("perro")) == {"canAdd": True}
    assert call("canAddNoteWithErrorDetail", note={"modelName": "Nope"}) == {
        "canAdd": False,
        "error": "model was not found: Nope",
    }


def test_can_add_notes_needs_a_list(call: ApiClient) -> None:
    assert call.error("canAddNotes", notes=None) == "notes must be a list of note objects"
    assert call.error("canAddNotesWithErrorDetail", notes="x") == "notes must be a list of note objects"


# -- findNotes, notesInfo, notesModTime ---------------------------------------------------


def test_find_notes(col: Collection, call: ApiClient) -> None:
    perro = add(col, "perro", deck_name="Spanish")
    gato = add(col, "gato")
    assert call("findNotes", query='"deck:Spanish"') == [perro]
    assert sorted(call("findNotes", query="")) == sorted([perro, gato])
    assert call("findNotes") == []
    assert call("findNotes", query=None) == []
    assert call.error("findNotes", query="deck:(") == search_error(col, "deck:(")


def test_notes_info_by_id(col: Collection, call: ApiClient) -> None:
    note_id = call("addNote", note=note_obj("perro", "dog", model="Basic (and reversed card)", tags=["b", "a"]))
    cards = sorted(col.card_ids_of_note(note_id))
    mod = col.get_note(note_id).mod
    assert call("notesInfo", notes=[note_id, 5, note_id]) == [
        {
            "noteId": note_id,
            "profile": "User 1",
            "tags": ["a", "b"],
            "fields": {"Front": {"value": "perro", "order": 0}, "Back": {"value": "dog", "order": 1}},
            "modelName": "Basic (and reversed card)",
            "mod": mod,
            "cards": cards,
        },
        {},
        call("notesInfo", notes=[note_id])[0],
    ]


def test_notes_info_lists_cards_by_template_ordinal(col: Collection, call: ApiClient) -> None:
    note_id = add(col, "perro", "dog", model="Basic (and reversed card)")
    first, second = col.db.list("select id from cards where nid = ? order by ord", note_id)
    # give the second card the smaller id: the order must follow the ordinal, not the id
    col.db.execute("update cards set id = ? where id = ?", 1, second)
    assert call("notesInfo", notes=[note_id])[0]["cards"] == [first, 1]


def test_notes_info_of_a_note_without_cards_and_of_ids_no_note_can_have(col: Collection, call: ApiClient) -> None:
    lonely = add(col, "perro", "dog")
    other = add(col, "gato", "cat")
    col.db.execute("delete from cards where nid = ?", lonely)  # a damaged collection
    infos = call("notesInfo", notes=[lonely, 2**70, other, -1])
    assert [info.get("noteId") for info in infos] == [lonely, None, other, None]
    assert infos[0]["cards"] == []
    assert infos[0]["fields"]["Front"] == {"value": "perro", "order": 0}
    assert infos[2]["cards"] == list(col.card_ids_of_note(other))  # type: ignore[arg-type]


def test_notes_info_by_query(col: Collection, call: ApiClient) -> None:
    perro = add(col, "perro", deck_name="Spanish")
    add(col, "gato")
    infos = call("notesInfo", query="deck:Spanish", notes=[12345])
    assert [info["noteId"] for info in infos] == [perro]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, 'Must provide either "notes" or a "query"'),
        ({"notes": ["1712600000000"]}, "notes must be a list of note ids (integers)"),
        ({"notes": 5}, "notes must be a list of note ids (integers)"),
        ({"query": 5}, "query must be a string"),
    ],
)
def test_notes_info_errors(call: ApiClient, params: dict[str, Any], message: str) -> None:
    assert call.error("notesInfo", **params) == message


def test_notes_mod_time(col: Collection, call: ApiClient) -> None:
    note_id = add(col, "perro")
    assert call("notesModTime", notes=[5, note_id]) == [{}, {"noteId": note_id, "mod": col.get_note(note_id).mod}]


# -- updating -----------------------------------------------------------------------------


def test_update_note_fields_matches_names_exactly_and_appends_media(col: Collection, call: ApiClient) -> None:
    note_id = add(col, "perro", "dog")
    picture = {"data": b64(b"img"), "filename": "dog.jpg", "fields": ["Back"]}
    reply = call.raw(
        {
            "action": "updateNoteFields",
            "version": 6,
            "params": {"note": {"id": note_id, "fields": {"Back": "hound", "front": "ignored"}, "picture": picture}},
        }
    )
    assert reply == {"result": None, "error": None}
    assert col.get_note(note_id).fields == ["perro", 'hound<img src="dog.jpg">']


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ({"fields": {}}, "'id'"),
        ({"id": 5, "fields": {}}, "Note was not found: 5"),
        ("5", "note must be an object"),
    ],
)
def test_update_note_fields_errors(call: ApiClient, note: Any, message: str) -> None:
    assert call.error("updateNoteFields", note=note) == message


def test_update_note_fields_needs_fields(col: Collection, call: ApiClient) -> None:
    note_id = add(col, "perro")
    assert call.error("updateNoteFields", note={"id": note_id}) == "'fields'"


def test_update_note_sets_fields_then_tags(col: Collection, recorded: tuple[ApiClient, RecordingHost]) -> None:
    call, host = recorded
    note_id = add(col, "perro", "dog")
    assert call("updateNote", note={"id": note_id, "fields": {"Back": "dog (m.)"}, "tags": ["x", "y z"]}) is None
    note = col.get_note(note_id)
    assert (note.fields, note.tags) == (["perro", "dog (m.)"], ["x", "y", "z"])
    assert len(host.changes) == 2
    call("updateNote", note={"id": note_id, "tags": "solo"})
    assert col.get_note(note_id).tags == ["solo"]


def test_update_note_needs_fields_or_tags(col: Collection, call: ApiClient) -> None:
    assert call.error("updateNote", note={"id": 5}) == 'Must provide a "fields" or "tags" property.'
    note_id = add(col, "perro")
    # refused tags are found before anything is saved: the fields stay as they were
    assert call.error("updateNote", note={"id": note_id, "fields": {"Front": "gato"}, "tags": 5}) == (
        "Must provide tags as a list of strings"
    )
    assert col.get_note(note_id).fields[0] == "perro"


def test_update_note_tags_replaces_every_tag(col: Collection, call: ApiClient) -> None:
    note_id = add(col, "perro")
    col.tags.bulk_add([note_id], "old")  # type: ignore[list-item]
    call("updateNoteTags", note=note_id, tags=["animals", "spanish::a1 extra"])
    assert col.get_note(note_id).tags == ["animals", "extra", "spanish::a1"]
    call("updateNoteTags", note=note_id, tags="single")
    assert col.get_note(note_id).tags == ["single"]
    call("updateNoteTags", note=note_id, tags=[])
    assert col.get_note(note_id).tags == []


def test_update_note_tags_errors(call: ApiClient) -> None:
    assert call.error("updateNoteTags", note=5, tags=[1]) == "Must provide tags as a list of strings"
    assert call.error("updateNoteTags", note=5, tags={"a": 1}) == "Must provide tags as a list of strings"
    assert call.error("updateNoteTags", note=5, tags=["a"]) == "Note was not found: 5"


def test_update_note_model_switches_type_fields_and_tags(col: Collection, call: ApiClient) -> None:
    note_id = add(col, "perro", "dog")
    guid = col.get_note(note_id).guid
    card = col.card_ids_of_note(note_id)[0]  # type: ignore[arg-type]
    col.tags.bulk_add([note_id], "old")  # type: ignore[list-item]
    new_type = "Basic (and reversed card)"
    call("updateNoteModel", note={"id": note_id, "modelName": new_type, "fields": {"back": "hound"}, "tags": ["new"]})
    note = col.get_note(note_id)
    assert note.note_type()["name"] == new_type  # type: ignore[index]
    assert (note.fields, note.tags, note.guid) == (["", "hound"], ["new"], guid)
    # the existing card keeps its ordinal; the reverse template's card is generated
    assert col.db.all("select id, ord from cards where nid = ? order by ord", note_id)[0] == [card, 0]
    assert col.db.scalar("select count() from cards where nid = ?", note_id) == 2


def test_update_note_model_without_tags_clears_them(col: Collection, call: ApiClient) -> None:
    note_id = add(col, "perro", "dog")
    col.tags.bulk_add([note_id], "old")  # type: ignore[list-item]
    call("updateNoteModel", note={"id": note_id, "modelName": "Basic", "fields": {"Front": "gato"}})
    note = col.get_note(note_id)
    assert (note.fields, note.tags) == (["gato", ""], [])


def test_update_note_model_removes_cards_the_new_type_cannot_show(col: Collection, call: ApiClient) -> None:
    note_id = add(col, "perro", "dog", model="Basic (and reversed card)")
    first = col.db.scalar("select id from cards where nid = ? and ord = 0", note_id)
    call("updateNoteModel", note={"id": note_id, "modelName": "Basic", "fields": {"Front": "perro"}})
    assert col.db.all("select id, ord from cards where nid = ?", note_id) == [[first, 0]]


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ({"modelName": "Basic", "fields": {"Front": "x"}}, "Note ID is required"),
        ({"id": 5, "fields": {"Front": "x"}}, "Model name is required"),
        ({"id": 5, "modelName": "Basic"}, "Fields must be provided as a dictionary"),
        ({"id": 5, "modelName": "Basic", "fields": {}}, "Fields must be provided as a dictionary"),
        ({"id": 5, "modelName": "Basic", "fields": ["x"]}, "Fields must be provided as a dictionary"),
        ({"id": 5, "modelName": "Nope", "fields": {"Front": "x"}}, "Note was not found: 5"),
    ],
)
def test_update_note_model_errors_in_order(call: ApiClient, note: dict[str, Any], message: str) -> None:
    assert call.error("updateNoteModel", note=note) == message


def test_update_note_model_with_an_unknown_model(col: Collection, call: ApiClient) -> None:
    note_id = add(col, "perro")
    message = call.error("updateNoteModel", note={"id": note_id, "modelName": "Nope", "fields": {"Front": "x"}})
    assert message == "Model 'Nope' not found"
    assert col.get_note(note_id).fields[0] == "perro"


# -- tags ---------------------------------------------------------------------------------


def test_add_and_remove_tags(col: Collection, recorded: tuple[ApiClient, RecordingHost]) -> None:
    call, host = recorded
    first, second = add(col, "uno"), add(col, "dos")
    assert call("addTags", notes=[first, second, 5], tags="animals spanish::a1") is None
    assert col.get_note(second).tags == ["animals", "spanish::a1"]
    call("removeTags", notes=[first], tags="ANIMALS")
    assert col.get_note(first).tags == ["spanish::a1"]
    call("addTags", notes=[second], tags="spanish::a1", add=False)
    assert col.get_note(second).tags == ["animals"]
    assert len(host.changes) == 3


def test_tags_must_be_a_string(call: ApiClient) -> None:
    assert call.error("addTags", notes=[1], tags=["a"]) == "tags must be a string of tags separated by spaces"
    assert call.error("removeTags", notes=[1], tags=None) == "tags must be a string of tags separated by spaces"
    assert call.error("addTags", notes="1", tags="a") == "notes must be a list of note ids (integers)"


def test_get_tags_and_note_tags(col: Collection, call: ApiClient) -> None:
    note_id = add(col, "uno")
    call("addTags", notes=[note_id], tags="b a")
    assert call("getTags") == ["a", "b"]
    assert call("getNoteTags", note=note_id) == ["a", "b"]
    assert call.error("getNoteTags", note=5) == "Note was not found: 5"


def test_clear_unused_tags(col: Collection, call: ApiClient) -> None:
    note_id = add(col, "uno")
    call("addTags", notes=[note_id], tags="used unused")
    call("removeTags", notes=[note_id], tags="unused")
    assert call("getTags") == ["unused", "used"]
    assert call("clearUnusedTags") is None
    assert call("getTags") == ["used"]


def test_replace_tags_replaces_the_whole_tag_in_any_case(col: Collection, call: ApiClient) -> None:
    first, second, third = add(col, "uno"), add(col, "dos"), add(col, "tres")
    col.tags.bulk_add([first, second, third], "Animals wildanimals Animals::cat")  # type: ignore[list-item]
    call("replaceTags", notes=[first, second, 5], tag_to_replace="animals", replace_with_tag="fauna$1")
    assert col.get_note(first).tags == ["Animals::cat", "fauna$1", "wildanimals"]
    assert col.get_note(second).tags == ["Animals::cat", "fauna$1", "wildanimals"]
    assert col.get_note(third).tags == ["Animals", "Animals::cat", "wildanimals"]


def test_replace_tags_in_all_notes(col: Collection, call: ApiClient) -> None:
    first, second = add(col, "uno"), add(col, "dos")
    col.tags.bulk_add([first, second], "a.b other")  # type: ignore[list-item]
    col.tags.bulk_add([second], "axb")  # type: ignore[list-item]
    call("replaceTagsInAllNotes", tag_to_replace="a.b", replace_with_tag="c")
    assert col.get_note(first).tags == ["c", "other"]
    assert col.get_note(second).tags == ["axb", "c", "other"]
    call("replaceTagsInAllNotes", tag_to_replace="a b", replace_with_tag="d")  # no tag has a space: nothing
    assert col.get_note(second).tags == ["axb", "c", "other"]


def test_replace_tags_errors(call: ApiClient) -> None:
    assert call.error("replaceTags", notes=[1], tag_to_replace=1, replace_with_tag="b") == (
        "tag_to_replace and replace_with_tag must be strings"
    )
    assert call.error("replaceTagsInAllNotes", tag_to_replace="a") == (
        "AnkiConnect.replaceTagsInAllNotes() missing 1 required positional argument: 'replace_with_tag'"
    )


# -- deleting -----------------------------------------------------------------------------


def test_delete_notes_removes_notes_and_cards(col: Collection, recorded: tuple[ApiClient, RecordingHost]) -> None:
    call, host = recorded
    keep, gone = add(col, "uno"), add(col, "dos", model="Basic (and reversed card)")
    assert call("deleteNotes", notes=[gone, 5]) is None
    assert col.find_notes("") == [keep]
    assert col.db.scalar("select count() from cards where nid = ?", gone) == 0
    assert len(host.changes) == 1


def test_remove_empty_notes_deletes_unused_note_types(col: Collection, call: ApiClient) -> None:
    add(col, "uno")
    add(col, "{{c1::dos}}", model="Cloze")
    assert call("removeEmptyNotes") is None
    assert sorted(entry.name for entry in col.models.all_names_and_ids()) == ["Basic", "Cloze"]
