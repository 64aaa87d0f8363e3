"""cardsInfo (protocol: actions/cards.md#cardsInfo) against a real collection."""

from __future__ import annotations

from typing import Any

import pytest
from anki import hooks
from anki.collection import Collection

from tests.fast.card_fixtures import add_note, expected_labels, next_day_far_away
from tests.support.client import ApiClient

CSS = ".card { color: teal; }"


@pytest.fixture(autouse=True)
def minute_steps_stay_minutes(col: Collection) -> None:
    next_day_far_away(col)


def plain_basic(col: Collection, name: str = "Plain", reversed_card: bool = False) -> None:
    """A copy of Basic (or Basic and reversed) with short CSS, so expected HTML stays readable."""
    source = col.models.by_name("Basic (and reversed card)" if reversed_card else "Basic")
    assert source is not None
    model = col.models.copy(source, add=False)
    model["name"], model["css"] = name, CSS
    col.models.add_dict(model)


def test_a_new_card(call: ApiClient, col: Collection) -> None:
    plain_basic(col)
    (card_id,) = add_note(col, "gato", "cat", deck="Spanish::Animals", model="Plain")
    card = col.get_card(card_id)
    easy = expected_labels(col, card_id)[3]  # four days, give or take Anki's fuzz
    assert easy in ("3d", "4d", "5d")
    assert call("cardsInfo", cards=[card_id]) == [
        {
            "cardId": card_id,
            "fields": {"Front": {"value": "gato", "order": 0}, "Back": {"value": "cat", "order": 1}},
            "fieldOrder": 0,
            "question": f"<style>{CSS}</style>gato",
            "answer": f"<style>{CSS}</style>gato\n\n<hr id=answer>\n\ncat",
            "modelName": "Plain",
            "ord": 0,
            "deckName": "Spanish::Animals",
            "css": CSS,
            "factor": 0,
            "interval": 0,
            "note": card.nid,
            "type": 0,
            "queue": 0,
            "due": 1,
            "reps": 0,
            "lapses": 0,
            "left": 0,
            "mod": card.mod,
            "nextReviews": ["<1m", "<6m", "<10m", easy],
            "flags": 0,
        }
    ]


def test_unknown_ids_give_empty_objects_in_place(call: ApiClient, col: Collection) -> None:
    (first,) = add_note(col, "uno", "one")
    (second,) = add_note(col, "dos", "two")
    result = call("cardsInfo", cards=[7, second, "x", first, second, None])
    assert [info.get("cardId") for info in result] == [None, second, None, first, second, None]
    assert [info for info in result if "cardId" not in info] == [{}, {}, {}]
    assert result[1]["fields"]["Front"]["value"] == "dos"
    assert call("cardsInfo", cards=[]) == []


def test_the_second_template_of_a_reversed_note(call: ApiClient, col: Collection) -> None:
    plain_basic(col, "Plain reversed", reversed_card=True)
    _, backward = add_note(col, "casa", "house", model="Plain reversed")
    (info,) = call("cardsInfo", cards=[backward])
    assert (info["ord"], info["fieldOrder"], info["modelName"]) == (1, 1, "Plain reversed")
    assert info["question"] == f"<style>{CSS}</style>house"
    assert info["answer"] == f"<style>{CSS}</style>house\n\n<hr id=answer>\n\ncasa"


def test_scheduling_columns_and_flags(call: ApiClient, col: Collection) -> None:
    (card_id,) = add_note(col, "perro", "dog")
    col.set_user_flag_for_cards(3, [card_id])
    col.db.execute(
        "update cards set type = 2, queue = 2, ivl = 3, factor = 2500, due = ?, reps = 4, lapses = 1 where id = ?",
        col.sched.today + 3,
        card_id,
    )
    (info,) = call("cardsInfo", cards=[card_id])
    assert {key: info[key] for key in ("type", "queue", "interval", "factor", "due", "reps", "lapses", "flags")} == {
        "type": 2,
        "queue": 2,
        "interval": 3,
        "factor": 2500,
        "due": col.sched.today + 3,
        "reps": 4,
        "lapses": 1,
        "flags": 3,
    }
    # the labels are Anki's own, without its invisible Unicode isolation marks
    assert info["nextReviews"] == expected_labels(col, card_id)
    assert info["nextReviews"][0] == "<10m"
    assert all("\u2068" not in label for label in info["nextReviews"])


def test_rendering_goes_through_anki_render_hooks(call: ApiClient, col: Collection) -> None:
    # sound tags become play markers and LaTeX becomes an image, as in Anki's Card.question()
    (card_id,) = add_note(col, "[sound:gato.mp3] [latex]x^2[/latex]", "cat")
    (info,) = call("cardsInfo", cards=[card_id])
    card = col.get_card(card_id)
    assert info["question"] == card.question()
    assert info["answer"] == card.answer()
    assert "[anki:play:q:0]" in info["question"]
    assert 'src="latex-' in info["question"]


def test_add_on_render_hooks_are_applied(call: ApiClient, col: Collection) -> None:
    (card_id,) = add_note(col, "gato", "cat")

    def shout(output: Any, context: Any) -> None:
        output.question_text = output.question_text.upper() + f" ({context.note()['Back']})"

    hooks.card_did_render.append(shout)
    try:
        (info,) = call("cardsInfo", cards=[card_id])
    finally:
        hooks.card_did_render.remove(shout)
    assert info["question"].endswith("</style>GATO (cat)")


def test_fields_of_a_note_type_with_more_fields(call: ApiClient, col: Collection) -> None:
    (card_id,) = add_note(col, "Anki is {{c1::great}}", "really", model="Cloze")
    (info,) = call("cardsInfo", cards=[card_id])
    assert info["fields"] == {
        "Text": {"value": "Anki is {{c1::great}}", "order": 0},
        "Back Extra": {"value": "really", "order": 1},
    }
    assert info["modelName"] == "Cloze"
    assert '<span class="cloze" data-cloze="great" data-ordinal="1">[...]</span>' in info["question"]


def test_a_card_in_a_filtered_deck_reports_that_deck(call: ApiClient, col: Collection) -> None:
    (card_id,) = add_note(col, "tren", "train", deck="Spanish")
    deck: Any = col.sched.get_or_create_filtered_deck(0)
    deck.name = "Cram"
    deck.config.search_terms[0].search = "deck:Spanish"
    col.sched.add_or_update_filtered_deck(deck)
    (info,) = call("cardsInfo", cards=[card_id])
    assert info["deckName"] == "Cram"
