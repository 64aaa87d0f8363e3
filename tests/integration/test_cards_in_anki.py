"""Card actions inside real Anki: rendering in Anki's process, windows told about changes."""

from __future__ import annotations

from tests.support.anki import RunningAnki
from tests.support.client import ApiClient


def test_answering_over_http_updates_anki_undo_menu(anki: RunningAnki, api: ApiClient) -> None:
    card_id = anki.probe(
        """
        deck_id = mw.col.decks.id("Cards integration")
        note = mw.col.new_note(mw.col.models.by_name("Basic"))
        note["Front"], note["Back"] = "ventana", "window"
        mw.col.add_note(note, deck_id)
        result = note.card_ids()[0]
        """
    )
    (info,) = api("cardsInfo", cards=[card_id])
    assert (info["cardId"], info["deckName"], info["queue"]) == (card_id, "Cards integration", 0)
    assert info["question"].endswith("</style>ventana")
    assert len(info["nextReviews"]) == 4

    assert api("answerCards", answers=[{"cardId": card_id, "ease": 4}]) == [True]
    assert api("suspend", cards=[card_id]) is True
    # the add-on told Anki's windows: the Edit menu offers to undo the last change
    undo_text = "result = mw.form.actionUndo.text().replace('\\u2068', '').replace('\\u2069', '')"
    assert anki.wait_for(undo_text + " == 'Undo Suspend'")
    assert anki.probe(f"result = mw.col.db.scalar('select count() from revlog where cid = {card_id}')") == 1
    assert api("areSuspended", cards=[card_id]) == [True]
    assert anki.error_dialogs() == []
