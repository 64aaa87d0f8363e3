"""Note type edits over HTTP in the running desktop app: Anki's notes follow, no dialog appears."""

from __future__ import annotations

from tests.support.anki import RunningAnki
from tests.support.client import ApiClient

ADD_NOTE = """
note = mw.col.new_note(mw.col.models.by_name("Integration vocab"))
note["Word"], note["Meaning"] = "perro", "dog"
mw.col.add_note(note, 1)
result = note.id
"""

NOTE_STATE = """
note = mw.col.get_note({note_id})
result = [note.keys(), note.values(), sorted(card.ord for card in note.cards())]
"""


def test_edits_reach_the_notes_of_the_open_collection(anki: RunningAnki, api: ApiClient) -> None:
    created = api(
        "createModel",
        modelName="Integration vocab",
        inOrderFields=["Word", "Meaning"],
        cardTemplates=[{"Name": "Recognition", "Front": "{{Word}}", "Back": "{{Meaning}}"}],
    )
    assert created["name"] == "Integration vocab"
    note_id = anki.probe(ADD_NOTE)

    api("modelFieldRename", modelName="Integration vocab", oldFieldName="Meaning", newFieldName="Translation")
    api(
        "modelTemplateAdd",
        modelName="Integration vocab",
        template={"Name": "Production", "Front": "{{Translation}}", "Back": "{{Word}}"},
    )

    assert anki.probe(NOTE_STATE.format(note_id=note_id)) == [["Word", "Translation"], ["perro", "dog"], [0, 1]]
    assert api("modelTemplates", modelName="Integration vocab") == {
        "Recognition": {"Front": "{{Word}}", "Back": "{{Translation}}"},
        "Production": {"Front": "{{Translation}}", "Back": "{{Word}}"},
    }
    assert api.error("modelTemplateRemove", modelName="Basic", templateName="Card 1") == "must have 1 template"
    assert anki.error_dialogs() == []
