"""Note type actions (protocol: actions/models.md) against a real collection.

Every edit is checked on the notes and cards of the note type as well, and every
refused edit is checked to have changed nothing at all.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from anki.collection import Collection

from plugin.actions.notetype_rules import fields_on_template
from tests.fast.anki_wording import in_anki_words
from tests.support.client import ApiClient
from tests.support.collections import RecordingHost

RECOGNITION_BACK = "{{FrontSide}}<hr id=answer>{{Meaning}}"
# Anki's own texts as Anki 26.9 words them (isolation marks and <br> removed), with the note type's
# name to fill in; `in_anki_words` turns them into the running Anki's wording
NO_FIELD_ON_FRONT = (
    "Card template 1 in note type '{}' has a problem. "
    "Expected to find a field replacement on the front of the card template."
)
NO_CLOZE = (
    "Card template 1 in note type 'New' has a problem. "
    "Expected to find '{{cloze:Text}}' or similar on the front and back of the card template."
)
STOCK_NAMES = ["Basic", "Basic (and reversed card)", "Basic (optional reversed card)", "Basic (type in the answer)"]


# -- building blocks ------------------------------------------------------------------------


def make_notetype(col: Collection, name: str, fields: list[str], templates: list[tuple[str, str, str]]) -> int:
    models = col.models
    model = models.new(name)
    for field in fields:
        models.add_field(model, models.new_field(field))
    for template_name, front, back in templates:
        template = models.new_template(template_name)
        template["qfmt"], template["afmt"] = front, back
        models.add_template(model, template)
    return models.add_dict(model).id


def add_note(col: Collection, model: str, *values: str) -> int:
    note = col.new_note(col.models.by_name(model))  # type: ignore[arg-type]
    for index, value in enumerate(values):
        note.fields[index] = value
    col.add_note(note, 1)
    return note.id


def cards(col: Collection, note_id: int) -> list[tuple[int, int]]:
    """(template ordinal, card id) of a note's cards."""
    return [tuple(row) for row in col.db.all("select ord, id from cards where nid = ? order by ord", note_id)]  # type: ignore[misc]


def model(col: Collection, name: str) -> dict[str, Any]:
    found = col.models.by_name(name)
    assert found is not None, name
    return found


def field_names(col: Collection, name: str) -> list[str]:
    return [field["name"] for field in model(col, name)["flds"]]


def templates(col: Collection, name: str) -> list[tuple[str, str, str]]:
    return [(t["name"], t["qfmt"], t["afmt"]) for t in model(col, name)["tmpls"]]


def everything(col: Collection) -> Any:
    """All note types (as stored), notes and cards: to show that a refused edit changed nothing."""
    # copies: an edit made to Anki's cached note type dict would otherwise change `before` too
    return (
        copy.deepcopy([col.models.get(entry.id) for entry in col.models.all_names_and_ids()]),
        col.db.all("select id, mid, mod, flds from notes order by id"),
        col.db.all("select id, nid, ord, mod from cards order by id"),
    )


@pytest.fixture
def vocab(col: Collection) -> dict[str, int]:
    """Vocab (Word, Meaning, Extra; template Recognition) with two notes, one with Extra."""
    model_id = make_notetype(
        col, "Vocab", ["Word", "Meaning", "Extra"], [("Recognition", "{{Word}}", RECOGNITION_BACK)]
    )
    return {
        "model": model_id,
        "perro": add_note(col, "Vocab", "perro", "dog", ""),
        "gato": add_note(col, "Vocab", "gato", "cat", "feline"),
    }


# -- listing and lookup -----------------------------------------------------------------------


def test_model_names(call: ApiClient, vocab: dict[str, int]) -> None:
    names = call("modelNames")
    assert names[:4] == STOCK_NAMES
    assert "Cloze" in names and "Vocab" in names
    assert names.index("Cloze") < names.index("Vocab")


def test_model_names_and_ids(col: Collection, call: ApiClient, vocab: dict[str, int]) -> None:
    result = call("modelNamesAndIds")
    assert result["Vocab"] == vocab["model"]
    assert result["Basic"] == col.models.id_for_name("Basic")
    assert list(result) == call("modelNames")


def test_model_name_from_id(call: ApiClient, vocab: dict[str, int]) -> None:
    assert call("modelNameFromId", modelId=vocab["model"]) == "Vocab"
    assert call.error("modelNameFromId", modelId=123) == "model was not found: 123"
    assert call.error("modelNameFromId", modelId=str(vocab["model"])) == f"model was not found: {vocab['model']}"
    assert call.error("modelNameFromId", modelId=True) == "model was not found: True"


def test_find_models_by_id_in_request_order(col: Collection, call: ApiClient, vocab: dict[str, int]) -> None:
    basic = col.models.id_for_name("Basic")
    found = call("findModelsById", modelIds=[vocab["model"], basic, vocab["model"]])
    assert [m["name"] for m in found] == ["Vocab", "Basic", "Vocab"]
    first = found[0]
    assert (first["id"], first["type"], first["sortf"]) == (vocab["model"], 0, 0)
    assert [f["name"] for f in first["flds"]] == ["Word", "Meaning", "Extra"]
    assert [(t["name"], t["qfmt"], t["afmt"]) for t in first["tmpls"]] == [
        ("Recognition", "{{Word}}", RECOGNITION_BACK)
    ]
    assert {"css", "latexPre", "latexPost", "req", "mod", "usn", "did"} <= set(first)


def test_find_models_by_id_stops_at_the_first_unknown_id(call: ApiClient, vocab: dict[str, int]) -> None:
    assert call.error("findModelsById", modelIds=[vocab["model"], 5, 6]) == "model was not found: 5"
    assert call.error("findModelsById", modelIds=["x"]) == "model was not found: x"
    assert call.error("findModelsById", modelIds=5) == "modelIds should be a list: 5"
    assert call("findModelsById", modelIds=[]) == []


def test_find_models_by_name(call: ApiClient, vocab: dict[str, int]) -> None:
    found = call("findModelsByName", modelNames=["Vocab", "Basic"])
    assert [(m["name"], [f["name"] for f in m["flds"]]) for m in found] == [
        ("Vocab", ["Word", "Meaning", "Extra"]),
        ("Basic", ["Front", "Back"]),
    ]
    assert found[0]["id"] == vocab["model"]
    # Anki's names ignore case
    assert [m["name"] for m in call("findModelsByName", modelNames=["vocab"])] == ["Vocab"]
    assert call.error("findModelsByName", modelNames=["Basic", "Nope", "Nada"]) == "model was not found: Nope"
    assert call.error("findModelsByName", modelNames="Basic") == "modelNames should be a list: Basic"


def test_lookups_need_a_known_model(call: ApiClient) -> None:
    for action in ("modelFieldNames", "modelFieldDescriptions", "modelFieldFonts", "modelFieldsOnTemplates"):
        assert call.error(action, modelName="Nope") == "model was not found: Nope"
    for action in ("modelTemplates", "modelStyling"):
        assert call.error(action, modelName="Nope") == "model was not found: Nope"
    assert (
        call.error("modelFieldNames")
        == "AnkiConnect.modelFieldNames() missing 1 required positional argument: 'modelName'"
    )


# -- reading fields, templates and styling ------------------------------------------------------


def test_model_field_names(call: ApiClient, vocab: dict[str, int]) -> None:
    assert call("modelFieldNames", modelName="Basic") == ["Front", "Back"]
    assert call("modelFieldNames", modelName="Vocab") == ["Word", "Meaning", "Extra"]


def test_model_field_descriptions_and_fonts(col: Collection, call: ApiClient, vocab: dict[str, int]) -> None:
    stored = copy.deepcopy(model(col, "Vocab"))
    stored["flds"][0]["description"] = "Word in the target language"
    stored["flds"][1]["font"], stored["flds"][1]["size"] = "Noto Serif", 28
    col.models.update_dict(stored)
    assert call("modelFieldDescriptions", modelName="Vocab") == ["Word in the target language", "", ""]
    assert call("modelFieldFonts", modelName="Vocab") == {
        "Word": {"font": "Arial", "size": 20},
        "Meaning": {"font": "Noto Serif", "size": 28},
        "Extra": {"font": "Arial", "size": 20},
    }


def test_model_fields_on_templates(call: ApiClient) -> None:
    assert call("modelFieldsOnTemplates", modelName="Basic (and reversed card)") == {
        "Card 1": [["Front"], ["Back"]],
        "Card 2": [["Back"], ["Front"]],
    }
    assert call("modelFieldsOnTemplates", modelName="Cloze") == {"Cloze": [["Text"], ["Back Extra"]]}


def test_fields_on_a_template_follow_the_original_rules() -> None:
    front = "{{#Hint}}{{hint:Hint}}{{/Hint}} {{Word}} {{^Audio}}none{{/Audio}} {{Word}} {{{Raw}}}"
    back = "{{FrontSide}}<hr id=answer>{{type:Meaning}} {{Word}} {{tts en_US:Meaning}} {{Extra}}"
    assert fields_on_template(front, back) == [
        ["Hint", "Word", "^Audio", "Word", "Raw"],
        ["Meaning", "Meaning", "Extra"],
    ]
    assert fields_on_template("{{cloze:Text}}", "{{cloze:Text}}<br>{{Back Extra}}") == [["Text"], ["Back Extra"]]
    assert fields_on_template("plain", "") == [[], []]


def test_model_templates(call: ApiClient, vocab: dict[str, int]) -> None:
    assert call("modelTemplates", modelName="Basic") == {
        "Card 1": {"Front": "{{Front}}", "Back": "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}"}
    }
    assert call("modelTemplates", modelName="Vocab") == {"Recognition": {"Front": "{{Word}}", "Back": RECOGNITION_BACK}}


def test_model_styling(col: Collection, call: ApiClient) -> None:
    css = call("modelStyling", modelName="Basic")["css"]
    assert css == model(col, "Basic")["css"]
    assert css.startswith(".card {\n")


# -- field edits --------------------------------------------------------------------------------


def test_field_add_appends_an_empty_field_to_every_note(
    col: Collection, call: ApiClient, host: RecordingHost, vocab: dict[str, int]
) -> None:
    assert call("modelFieldAdd", modelName="Vocab", fieldName="Example") is None
    assert field_names(col, "Vocab") == ["Word", "Meaning", "Extra", "Example"]
    assert col.get_note(vocab["perro"]).fields == ["perro", "dog", "", ""]
    assert col.get_note(vocab["gato"]).fields == ["gato", "cat", "feline", ""]
    assert len(host.changes) == 1 and host.changes[0] is not None and host.changes[0].notetype


def test_field_add_at_an_index_moves_note_contents(col: Collection, call: ApiClient, vocab: dict[str, int]) -> None:
    call("modelFieldAdd", modelName="Vocab", fieldName="Example", index=1)
    assert field_names(col, "Vocab") == ["Word", "Example", "Meaning", "Extra"]
    note = col.get_note(vocab["gato"])
    assert note.fields == ["gato", "", "cat", "feline"]
    assert note["Meaning"] == "cat"
    # the last position is the new field's own
    call("modelFieldAdd", modelName="Vocab", fieldName="Audio", index=4)
    assert field_names(col, "Vocab") == ["Word", "Example", "Meaning", "Extra", "Audio"]


def test_field_add_of_an_existing_field_moves_it(col: Collection, call: ApiClient, vocab: dict[str, int]) -> None:
    call("modelFieldAdd", modelName="Vocab", fieldName="Extra", index=0)
    assert field_names(col, "Vocab") == ["Extra", "Word", "Meaning"]
    assert col.get_note(vocab["gato"]).fields == ["feline", "gato", "cat"]


def test_field_add_of_an_existing_field_without_index_changes_nothing(
    col: Collection, call: ApiClient, host: RecordingHost, vocab: dict[str, int]
) -> None:
    before = everything(col)
    assert call("modelFieldAdd", modelName="Vocab", fieldName="Meaning") is None
    assert everything(col) == before
    assert host.changes == []


def test_field_remove_drops_the_content_and_the_references(
    col: Collection, call: ApiClient, vocab: dict[str, int]
) -> None:
    cards_before = cards(col, vocab["gato"])
    assert call("modelFieldRemove", modelName="Vocab", fieldName="Meaning") is None
    assert field_names(col, "Vocab") == ["Word", "Extra"]
    assert col.get_note(vocab["gato"]).fields == ["gato", "feline"]
    assert templates(col, "Vocab") == [("Recognition", "{{Word}}", "{{FrontSide}}<hr id=answer>")]
    assert cards(col, vocab["gato"]) == cards_before


def test_field_remove_of_the_only_field_on_a_front_lets_anki_pick_another(
    col: Collection, call: ApiClient, vocab: dict[str, int]
) -> None:
    # Anki's backend keeps every front showing a field: it puts the first remaining one there
    call("modelFieldRemove", modelName="Vocab", fieldName="Word")
    assert templates(col, "Vocab") == [("Recognition", "{{Meaning}}", RECOGNITION_BACK)]
    assert col.get_note(vocab["perro"]).fields == ["dog", ""]


def test_field_rename_renames_it_in_the_templates(
    col: Collection, call: ApiClient, host: RecordingHost, vocab: dict[str, int]
) -> None:
    assert call("modelFieldRename", modelName="Vocab", oldFieldName="Meaning", newFieldName="Translation") is None
    assert field_names(col, "Vocab") == ["Word", "Translation", "Extra"]
    assert templates(col, "Vocab") == [("Recognition", "{{Word}}", "{{FrontSide}}<hr id=answer>{{Translation}}")]
    assert col.get_note(vocab["perro"])["Translation"] == "dog"
    assert len(host.changes) == 1


def test_field_rename_may_change_only_the_case(col: Collection, call: ApiClient, vocab: dict[str, int]) -> None:
    call("modelFieldRename", modelName="Vocab", oldFieldName="Word", newFieldName="WORD")
    assert field_names(col, "Vocab") == ["WORD", "Meaning", "Extra"]
    assert templates(col, "Vocab")[0][1] == "{{WORD}}"


def test_field_reposition_moves_note_contents_and_the_sort_field(
    col: Collection, call: ApiClient, vocab: dict[str, int]
) -> None:
    assert call("modelFieldReposition", modelName="Vocab", fieldName="Meaning", index=0) is None
    assert field_names(col, "Vocab") == ["Meaning", "Word", "Extra"]
    assert col.get_note(vocab["gato"]).fields == ["cat", "gato", "feline"]
    assert model(col, "Vocab")["sortf"] == 1  # still sorted by Word
    call("modelFieldReposition", modelName="Vocab", fieldName="Meaning", index=2)
    assert field_names(col, "Vocab") == ["Word", "Extra", "Meaning"]
    assert col.get_note(vocab["gato"]).fields == ["gato", "feline", "cat"]


def test_field_font_size_and_description(
    col: Collection, call: ApiClient, host: RecordingHost, vocab: dict[str, int]
) -> None:
    assert call("modelFieldSetFont", modelName="Vocab", fieldName="Word", font="Noto Serif JP") is None
    assert call("modelFieldSetFontSize", modelName="Vocab", fieldName="Word", fontSize=28) is None
    assert call("modelFieldSetDescription", modelName="Vocab", fieldName="Word", description="in Spanish") is True
    word = model(col, "Vocab")["flds"][0]
    assert (word["font"], word["size"], word["description"]) == ("Noto Serif JP", 28, "in Spanish")
    assert call("modelFieldFonts", modelName="Vocab")["Word"] == {"font": "Noto Serif JP", "size": 28}
    assert call("modelFieldDescriptions", modelName="Vocab") == ["in Spanish", "", ""]
    assert len(host.changes) == 3


def test_setting_the_same_value_again_saves_nothing(col: Collection, call: ApiClient, vocab: dict[str, int]) -> None:
    before = everything(col)
    call("modelFieldSetFont", modelName="Vocab", fieldName="Word", font="Arial")
    call("modelFieldReposition", modelName="Vocab", fieldName="Word", index=0)
    call("modelFieldRename", modelName="Vocab", oldFieldName="Word", newFieldName="Word")
    assert everything(col) == before


# -- template edits -----------------------------------------------------------------------------


def test_template_add_generates_cards_where_the_front_is_not_empty(
    col: Collection, call: ApiClient, host: RecordingHost, vocab: dict[str, int]
) -> None:
    perro_cards, gato_cards = cards(col, vocab["perro"]), cards(col, vocab["gato"])
    template = {"Name": "Extra card", "Front": "{{Extra}}", "Back": "{{FrontSide}}<hr id=answer>{{Word}}"}
    assert call("modelTemplateAdd", modelName="Vocab", template=template) is None
    assert templates(col, "Vocab")[1] == ("Extra card", "{{Extra}}", "{{FrontSide}}<hr id=answer>{{Word}}")
    assert cards(col, vocab["perro"]) == perro_cards  # its Extra is empty
    new_cards = cards(col, vocab["gato"])
    assert new_cards[0] == gato_cards[0] and [ordinal for ordinal, _ in new_cards] == [0, 1]
    assert len(host.changes) == 1


def test_template_add_with_an_existing_name_updates_it(col: Collection, call: ApiClient, vocab: dict[str, int]) -> None:
    template = {"Name": "Recognition", "Front": "<b>{{Word}}</b>", "Back": "{{Meaning}}"}
    call("modelTemplateAdd", modelName="Vocab", template=template)
    col.models._clear_cache()
    assert templates(col, "Vocab") == [("Recognition", "<b>{{Word}}</b>", "{{Meaning}}")]


def test_template_remove_removes_its_cards(col: Collection, call: ApiClient, vocab: dict[str, int]) -> None:
    call("modelTemplateAdd", modelName="Vocab", template={"Name": "Production", "Front": "{{Meaning}}", "Back": "x"})
    (_, recognition), (_, production) = cards(col, vocab["perro"])
    assert call("modelTemplateRemove", modelName="Vocab", templateName="Recognition") is None
    assert [name for name, _, _ in templates(col, "Vocab")] == ["Production"]
    assert cards(col, vocab["perro"]) == [(0, production)]
    assert col.db.scalar("select count() from cards where id = ?", recognition) == 0


def test_template_rename_keeps_the_cards(col: Collection, call: ApiClient, vocab: dict[str, int]) -> None:
    before = cards(col, vocab["gato"])
    assert call("modelTemplateRename", modelName="Vocab", oldTemplateName="Recognition", newTemplateName="Read") is None
    assert templates(col, "Vocab") == [("Read", "{{Word}}", RECOGNITION_BACK)]
    assert cards(col, vocab["gato"]) == before


def test_template_reposition_renumbers_the_cards(col: Collection, call: ApiClient, vocab: dict[str, int]) -> None:
    call("modelTemplateAdd", modelName="Vocab", template={"Name": "Production", "Front": "{{Meaning}}", "Back": "x"})
    (_, recognition), (_, production) = cards(col, vocab["perro"])
    assert call("modelTemplateReposition", modelName="Vocab", templateName="Production", index=0) is None
    assert [name for name, _, _ in templates(col, "Vocab")] == ["Production", "Recognition"]
    assert cards(col, vocab["perro"]) == [(0, production), (1, recognition)]


def test_update_model_templates(col: Collection, call: ApiClient, host: RecordingHost, vocab: dict[str, int]) -> None:
    call("modelTemplateAdd", modelName="Vocab", template={"Name": "Extra card", "Front": "{{Extra}}", "Back": "x"})
    assert len(cards(col, vocab["perro"])) == 1
    changes = {
        "Recognition": {"Front": "<b>{{Word}}</b>", "Back": ""},  # an empty side is left alone
        "Extra card": {"Front": "{{Word}} ({{Extra}})"},
        "Nonexistent": {"Front": "ignored"},
    }
    assert call("updateModelTemplates", model={"name": "Vocab", "templates": changes}) is None
    assert templates(col, "Vocab") == [
        ("Recognition", "<b>{{Word}}</b>", RECOGNITION_BACK),
        ("Extra card", "{{Word}} ({{Extra}})", "x"),
    ]
    # the new front is no longer empty for perro: it gets its card, as in Anki's card editor
    assert [ordinal for ordinal, _ in cards(col, vocab["perro"])] == [0, 1]
    assert len(host.changes) == 2


def test_update_model_styling(col: Collection, call: ApiClient, vocab: dict[str, int]) -> None:
    assert call("updateModelStyling", model={"name": "Vocab", "css": ".card {color: navy;}"}) is None
    assert call("modelStyling", modelName="Vocab") == {"css": ".card {color: navy;}"}
    assert model(col, "Vocab")["css"] == ".card {color: navy;}"


# -- refused edits change nothing --------------------------------------------------------------

REFUSED = [
    # unknown note type, field or template; checked in this order
    ("modelFieldAdd", {"modelName": "Nope", "fieldName": "X"}, "model was not found: Nope"),
    ("modelFieldRemove", {"modelName": "Vocab", "fieldName": "Nope"}, "field was not found in Vocab: Nope"),
    (
        "modelFieldRename",
        {"modelName": "Vocab", "oldFieldName": "Nope", "newFieldName": "X"},
        "field was not found in Vocab: Nope",
    ),
    (
        "modelFieldReposition",
        {"modelName": "Vocab", "fieldName": "Nope", "index": 5},
        "field was not found in Vocab: Nope",
    ),
    (
        "modelFieldSetFont",
        {"modelName": "Vocab", "fieldName": "Nope", "font": 12},
        "field was not found in Vocab: Nope",
    ),
    (
        "modelFieldSetFontSize",
        {"modelName": "Vocab", "fieldName": "Nope", "fontSize": "big"},
        "field was not found in Vocab: Nope",
    ),
    (
        "modelFieldSetDescription",
        {"modelName": "Nope", "fieldName": "Nope", "description": 1},
        "model was not found: Nope",
    ),
    ("modelTemplateRemove", {"modelName": "Vocab", "templateName": "Nope"}, "template was not found in Vocab: Nope"),
    (
        "modelTemplateRename",
        {"modelName": "Vocab", "oldTemplateName": "Nope", "newTemplateName": "X"},
        "template was not found in Vocab: Nope",
    ),
    (
        "modelTemplateReposition",
        {"modelName": "Vocab", "templateName": "Nope", "index": 0},
        "template was not found in Vocab: Nope",
    ),
    ("modelTemplateAdd", {"modelName": "Nope", "template": {}}, "model was not found: Nope"),
    # values of the wrong type
    ("modelFieldSetFont", {"modelName": "Vocab", "fieldName": "Word", "font": 12}, "font should be a string: 12"),
    (
        "modelFieldSetFontSize",
        {"modelName": "Vocab", "fieldName": "Word", "fontSize": "28"},
        "fontSize should be an integer: 28",
    ),
    (
        "modelFieldSetFontSize",
        {"modelName": "Vocab", "fieldName": "Word", "fontSize": True},
        "fontSize should be an integer: True",
    ),
    (
        "modelFieldSetFontSize",
        {"modelName": "Vocab", "fieldName": "Word", "fontSize": 0},
        "fontSize should be a positive integer: 0",
    ),
    (
        "modelFieldSetDescription",
        {"modelName": "Vocab", "fieldName": "Word", "description": None},
        "description should be a string: None",
    ),
    # out-of-range positions
    (
        "modelFieldReposition",
        {"modelName": "Vocab", "fieldName": "Word", "index": 3},
        "index should be an integer from 0 to 2: 3",
    ),
    (
        "modelFieldReposition",
        {"modelName": "Vocab", "fieldName": "Word", "index": -1},
        "index should be an integer from 0 to 2: -1",
    ),
    (
        "modelFieldReposition",
        {"modelName": "Vocab", "fieldName": "Word", "index": "1"},
        "index should be an integer from 0 to 2: 1",
    ),
    (
        "modelFieldAdd",
        {"modelName": "Vocab", "fieldName": "New", "index": 4},
        "index should be an integer from 0 to 3: 4",
    ),
    (
        "modelFieldAdd",
        {"modelName": "Vocab", "fieldName": "Word", "index": 3},
        "index should be an integer from 0 to 2: 3",
    ),
    (
        "modelTemplateReposition",
        {"modelName": "Vocab", "templateName": "Recognition", "index": 1},
        "index should be an integer from 0 to 0: 1",
    ),
    # names Anki would store differently
    ("modelFieldAdd", {"modelName": "Vocab", "fieldName": "word"}, "field already exists in Vocab: Word"),
    (
        "modelFieldRename",
        {"modelName": "Vocab", "oldFieldName": "Extra", "newFieldName": "Meaning"},
        "field already exists in Vocab: Meaning",
    ),
    (
        "modelFieldRename",
        {"modelName": "Vocab", "oldFieldName": "Extra", "newFieldName": "  "},
        "field name should be a non-empty string:   ",
    ),
    ("modelFieldAdd", {"modelName": "Vocab", "fieldName": "a:b"}, 'field name cannot contain :, {, } or ": a:b'),
    ("modelFieldAdd", {"modelName": "Vocab", "fieldName": "#Tag"}, "field name cannot start with #, ^ or /: #Tag"),
    ("modelFieldAdd", {"modelName": "Vocab", "fieldName": None}, "field name should be a non-empty string: None"),
    (
        "modelTemplateRename",
        {"modelName": "Vocab", "oldTemplateName": "Recognition", "newTemplateName": ""},
        "template name should be a non-empty string: ",
    ),
    # Anki's own refusals
    ("modelTemplateRemove", {"modelName": "Vocab", "templateName": "Recognition"}, "must have 1 template"),
    (
        "modelFieldRemove",
        {"modelName": "Image Occlusion", "fieldName": "Image"},
        "field is required by Image Occlusion and cannot be removed: Image",
    ),
    # templates: missing keys in check order, then content Anki refuses
    ("modelTemplateAdd", {"modelName": "Vocab", "template": {"Front": "x", "Back": "y"}}, "'Name'"),
    ("modelTemplateAdd", {"modelName": "Vocab", "template": {"Name": "x", "Back": "y"}}, "'Front'"),
    ("modelTemplateAdd", {"modelName": "Vocab", "template": {"Name": "x", "Front": "y"}}, "'Back'"),
    ("modelTemplateAdd", {"modelName": "Vocab", "template": "Card"}, "template should be an object: Card"),
    (
        "modelTemplateAdd",
        {"modelName": "Vocab", "template": {"Name": "recognition", "Front": "{{Meaning}}", "Back": ""}},
        "template already exists in Vocab: Recognition",
    ),
    (
        "modelTemplateAdd",
        {"modelName": "Vocab", "template": {"Name": "Copy", "Front": "{{Word}}", "Back": ""}},
        "Card template 2 in note type 'Vocab' has a problem. The front side is identical to card template 1.",
    ),
    (
        "modelTemplateAdd",
        {"modelName": "Cloze", "template": {"Name": "Two", "Front": "{{cloze:Text}}", "Back": ""}},
        "a cloze note type has only one card template: Cloze",
    ),
    ("updateModelTemplates", {"model": {"templates": {}}}, "'name'"),
    ("updateModelTemplates", {"model": {"name": "Nope"}}, "model was not found: Nope"),
    ("updateModelTemplates", {"model": {"name": "Vocab"}}, "'templates'"),
    (
        "updateModelTemplates",
        {"model": {"name": "Vocab", "templates": {"Recognition": {"Front": 5}}}},
        "Front should be a string: 5",
    ),
    (
        "updateModelTemplates",
        {"model": {"name": "Vocab", "templates": {"Recognition": {"Front": "no fields"}}}},
        NO_FIELD_ON_FRONT.format("Vocab"),
    ),
    ("updateModelTemplates", {"model": "Vocab"}, "model should be an object: Vocab"),
    ("updateModelStyling", {"model": {"css": ""}}, "'name'"),
    ("updateModelStyling", {"model": {"name": "Nope"}}, "model was not found: Nope"),
    ("updateModelStyling", {"model": {"name": "Vocab"}}, "'css'"),
    ("updateModelStyling", {"model": {"name": "Vocab", "css": None}}, "css should be a string: None"),
]


@pytest.mark.parametrize(
    ("action", "params", "message"), REFUSED, ids=lambda value: value if isinstance(value, str) else ""
)
def test_refused_edits_change_nothing(
    col: Collection,
    call: ApiClient,
    host: RecordingHost,
    vocab: dict[str, int],
    action: str,
    params: dict[str, Any],
    message: str,
) -> None:
    before = everything(col)
    assert call.error(action, **params) == in_anki_words(col, message)
    assert everything(col) == before
    assert host.changes == []


def test_removing_the_last_field_is_refused(col: Collection, call: ApiClient) -> None:
    make_notetype(col, "Single", ["Only"], [("Card 1", "{{Only}}", "")])
    before = everything(col)
    assert call.error("modelFieldRemove", modelName="Single", fieldName="Only") == "1 field required"
    assert everything(col) == before


def test_a_refused_edit_leaves_no_trace_in_later_reads(col: Collection, call: ApiClient, vocab: dict[str, int]) -> None:
    call.error("modelTemplateAdd", modelName="Vocab", template={"Name": "Copy", "Front": "{{Word}}", "Back": ""})
    assert call("modelTemplates", modelName="Vocab") == {"Recognition": {"Front": "{{Word}}", "Back": RECOGNITION_BACK}}


# -- findAndReplaceInModels ---------------------------------------------------------------------


def test_find_and_replace_in_the_styling_of_one_model(col: Collection, call: ApiClient, vocab: dict[str, int]) -> None:
    call("updateModelStyling", model={"name": "Vocab", "css": ".card {font-size: 24px;} .x {font-size: 24px;}"})
    params = {"findText": "font-size: 24px", "replaceText": "font-size: 30px", "front": False, "back": False}
    assert call("findAndReplaceInModels", modelName="Vocab", **params) == 1
    assert model(col, "Vocab")["css"] == ".card {font-size: 30px;} .x {font-size: 30px;}"
    assert templates(col, "Vocab") == [("Recognition", "{{Word}}", RECOGNITION_BACK)]


def test_find_and_replace_only_on_the_sides_asked_for(col: Collection, call: ApiClient, vocab: dict[str, int]) -> None:
    call("updateModelTemplates", model={"name": "Vocab", "templates": {"Recognition": {"Front": "<i>{{Word}}</i>"}}})
    call("updateModelTemplates", model={"name": "Vocab", "templates": {"Recognition": {"Back": "<i>{{Meaning}}</i>"}}})
    params = {"modelName": "Vocab", "findText": "<i>", "replaceText": "<em>", "back": False, "css": False}
    assert call("findAndReplaceInModels", **params) == 1
    assert templates(col, "Vocab") == [("Recognition", "<em>{{Word}}</i>", "<i>{{Meaning}}</i>")]


def test_find_and_replace_text_is_literal(col: Collection, call: ApiClient, vocab: dict[str, int]) -> None:
    assert call("findAndReplaceInModels", modelName="Vocab", findText=".*", replaceText="x") == 0
    call("updateModelStyling", model={"name": "Vocab", "css": "a.* b"})
    assert call("findAndReplaceInModels", modelName="Vocab", findText=".*", replaceText="!") == 1
    assert model(col, "Vocab")["css"] == "a! b"


def test_find_and_replace_in_every_model_counts_and_saves_only_changed_ones(
    col: Collection, call: ApiClient, host: RecordingHost, vocab: dict[str, int]
) -> None:
    basic_before = copy.deepcopy(model(col, "Basic"))
    expected_changed = sum("{{FrontSide}}" in t["afmt"] for m in col.models.all() for t in m["tmpls"][:1])
    assert expected_changed >= 3  # Vocab and most stock types show the front on the back
    for name in ("", None):
        find, replace = ("{{FrontSide}}", "{{FrontSide}} ") if name == "" else ("{{FrontSide}} ", "{{FrontSide}}")
        changed = call("findAndReplaceInModels", modelName=name, findText=find, replaceText=replace, css=False)
        assert changed == expected_changed
    assert templates(col, "Vocab") == [("Recognition", "{{Word}}", RECOGNITION_BACK)]
    assert model(col, "Basic")["tmpls"] == basic_before["tmpls"]
    assert call("findAndReplaceInModels", modelName="", findText="not anywhere", replaceText="x") == 0
    assert len(host.changes) == 2 * expected_changed


def test_find_and_replace_accepts_the_parameters_nested_in_model(
    col: Collection, call: ApiClient, vocab: dict[str, int]
) -> None:
    nested = {
        "modelName": "Vocab",
        "findText": "{{Word}}",
        "replaceText": "{{Word}}!",
        "front": True,
        "back": True,
        "css": True,
    }
    assert call("findAndReplaceInModels", model=nested) == 1
    assert templates(col, "Vocab") == [("Recognition", "{{Word}}!", RECOGNITION_BACK)]


def test_find_and_replace_changes_nothing_when_anki_refuses_one(
    col: Collection, call: ApiClient, vocab: dict[str, int]
) -> None:
    make_notetype(col, "Aaa", ["Word", "Other"], [("Card 1", "{{Other}}", "{{Word}}")])
    make_notetype(col, "Zzz", ["Word"], [("Card 1", "{{Word}}", "")])
    before = everything(col)
    notetypes_table = col.db.all("select * from notetypes order by id")
    message = call.error("findAndReplaceInModels", modelName=None, findText="{{Word}}", replaceText="word", css=False)
    assert message == in_anki_words(col, NO_FIELD_ON_FRONT.format("Vocab"))
    assert templates(col, "Aaa") == [("Card 1", "{{Other}}", "{{Word}}")]
    # exactly as before, modification times and sync state included
    assert everything(col) == before
    assert col.db.all("select * from notetypes order by id") == notetypes_table


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {},
            "AnkiConnect.findAndReplaceInModels() missing 3 required positional arguments: "
            "'modelName', 'findText', and 'replaceText'",
        ),
        (
            {"model": {"modelName": "Vocab", "findText": "a"}},
            "AnkiConnect.findAndReplaceInModels() missing 1 required positional argument: 'replaceText'",
        ),
        (
            {"model": {"modelName": "Vocab", "findText": "a", "replaceText": "b", "deck": 1}},
            "AnkiConnect.findAndReplaceInModels() got an unexpected keyword argument 'deck'",
        ),
        ({"model": ["Vocab"]}, "AnkiConnect.findAndReplaceInModels() argument after ** must be a mapping, not list"),
        (
            {"model": {"modelName": "Vocab", "findText": "a", "replaceText": "b"}, "css": False},
            "give the parameters either at the top level or inside model, not both",
        ),
        ({"modelName": "Nope", "findText": "a", "replaceText": "b"}, "model was not found: Nope"),
        ({"modelName": "Vocab", "findText": "", "replaceText": "b"}, "findText should not be empty"),
        ({"modelName": "Vocab", "findText": 1, "replaceText": "b"}, "findText should be a string: 1"),
        ({"modelName": "Vocab", "findText": "a", "replaceText": None}, "replaceText should be a string: None"),
        (
            {"modelName": "Vocab", "findText": "a", "replaceText": "b", "front": "no"},
            "front should be true or false: no",
        ),
        ({"nope": 1}, "AnkiConnect.findAndReplaceInModels() got an unexpected keyword argument 'nope'"),
    ],
)
def test_find_and_replace_errors(
    col: Collection, call: ApiClient, vocab: dict[str, int], params: dict[str, Any], message: str
) -> None:
    before = everything(col)
    assert call.error("findAndReplaceInModels", **params) == in_anki_words(col, message)
    assert everything(col) == before


# -- createModel --------------------------------------------------------------------------------


def test_create_model(col: Collection, call: ApiClient, host: RecordingHost) -> None:
    created = call(
        "createModel",
        modelName="Vocab",
        inOrderFields=["Word", "Meaning"],
        css=".card {font-size: 24px;}",
        cardTemplates=[{"Name": "Recognition", "Front": "{{Word}}", "Back": RECOGNITION_BACK}],
    )
    assert created["id"] == col.models.id_for_name("Vocab")
    assert (created["name"], created["type"], created["css"]) == ("Vocab", 0, ".card {font-size: 24px;}")
    assert [(f["name"], f["ord"], f["font"], f["size"]) for f in created["flds"]] == [
        ("Word", 0, "Arial", 20),
        ("Meaning", 1, "Arial", 20),
    ]
    assert [(t["name"], t["ord"], t["qfmt"], t["afmt"]) for t in created["tmpls"]] == [
        ("Recognition", 0, "{{Word}}", RECOGNITION_BACK)
    ]
    assert created["req"] == [[0, "any", [0]]]
    assert created == call("findModelsById", modelIds=[created["id"]])[0]
    note_id = add_note(col, "Vocab", "perro", "dog")
    assert [ordinal for ordinal, _ in cards(col, note_id)] == [0]
    assert len(host.changes) == 1


def test_create_model_names_templates_by_position_and_uses_anki_styling(col: Collection, call: ApiClient) -> None:
    created = call(
        "createModel",
        modelName="Three",
        inOrderFields=["A", "B", "C"],
        cardTemplates=[
            {"Front": "{{A}}", "Back": ""},
            {"Name": "Second", "Front": "{{B}}", "Back": ""},
            {"Front": "{{C}}", "Back": ""},
        ],
    )
    assert [t["name"] for t in created["tmpls"]] == ["Card 1", "Second", "Card 3"]
    assert created["css"] == model(col, "Basic")["css"]
    note_id = add_note(col, "Three", "a", "", "c")
    assert [ordinal for ordinal, _ in cards(col, note_id)] == [0, 2]


def test_create_cloze_model(col: Collection, call: ApiClient) -> None:
    created = call(
        "createModel",
        modelName="My cloze",
        inOrderFields=["Text", "Notes"],
        isCloze=True,
        cardTemplates=[{"Name": "Cloze", "Front": "{{cloze:Text}}", "Back": "{{cloze:Text}}<br>{{Notes}}"}],
    )
    assert created["type"] == 1
    note_id = add_note(col, "My cloze", "{{c1::uno}} {{c3::tres}}", "")
    assert [ordinal for ordinal, _ in cards(col, note_id)] == [0, 2]


CREATE_REFUSED = [
    (
        {"modelName": "Basic", "inOrderFields": [], "cardTemplates": []},
        "Must provide at least one field for inOrderFields",
    ),
    (
        {"modelName": "Basic", "inOrderFields": ["A"], "cardTemplates": []},
        "Must provide at least one card for cardTemplates",
    ),
    ({"modelName": "Basic", "inOrderFields": ["A"], "cardTemplates": [{}]}, "Model name already exists"),
    ({"modelName": "basic", "inOrderFields": ["A"], "cardTemplates": [{}]}, "Model name already exists"),
    ({"modelName": "New", "inOrderFields": ["A"], "cardTemplates": [{"Back": ""}]}, "'Front'"),
    ({"modelName": "New", "inOrderFields": ["A"], "cardTemplates": [{"Front": "{{A}}"}]}, "'Back'"),
    ({"modelName": "New", "inOrderFields": "A", "cardTemplates": [{}]}, "inOrderFields should be a list: A"),
    ({"modelName": "", "inOrderFields": ["A"], "cardTemplates": [{}]}, "modelName should be a non-empty string: "),
    ({"modelName": "New", "inOrderFields": ["A", "a"], "cardTemplates": [{}]}, "field already exists in New: A"),
    (
        {
            "modelName": "New",
            "inOrderFields": ["A", "B"],
            "cardTemplates": [{"Front": "{{A}}", "Back": ""}, {"Name": "Card 1", "Front": "{{B}}", "Back": ""}],
        },
        "template already exists in New: Card 1",
    ),
    (
        {
            "modelName": "New",
            "inOrderFields": ["A"],
            "cardTemplates": [{"Front": "{{A}}", "Back": ""}],
            "isCloze": "yes",
        },
        "isCloze should be true or false: yes",
    ),
    (
        {"modelName": "New", "inOrderFields": ["A"], "cardTemplates": [{"Front": "{{A}}", "Back": ""}], "css": 1},
        "css should be a string: 1",
    ),
    (
        {"modelName": "New", "inOrderFields": ["A"], "cardTemplates": [{"Front": "no field", "Back": ""}]},
        NO_FIELD_ON_FRONT.format("New"),
    ),
    (
        {
            "modelName": "New",
            "inOrderFields": ["A"],
            "cardTemplates": [{"Front": "{{A}}", "Back": ""}],
            "isCloze": True,
        },
        NO_CLOZE,
    ),
    (
        {
            "modelName": "New",
            "inOrderFields": ["A"],
            "cardTemplates": [
                {"Front": "{{cloze:A}}", "Back": "{{cloze:A}}"},
                {"Front": "{{cloze:A}}1", "Back": "{{cloze:A}}"},
            ],
            "isCloze": True,
        },
        "a cloze note type has only one card template: New",
    ),
]


@pytest.mark.parametrize(("params", "message"), CREATE_REFUSED)
def test_create_model_errors_create_nothing(
    col: Collection, call: ApiClient, host: RecordingHost, params: dict[str, Any], message: str
) -> None:
    before = everything(col)
    assert call.error("createModel", **params) == in_anki_words(col, message)
    assert everything(col) == before
    assert host.changes == []


def test_create_model_missing_parameters(call: ApiClient) -> None:
    assert call.error("createModel") == (
        "AnkiConnect.createModel() missing 3 required positional arguments: "
        "'modelName', 'inOrderFields', and 'cardTemplates'"
    )
