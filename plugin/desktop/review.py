"""The reviewer as the graphical actions drive it.

"Reviewing" means the main window is in review mode with a card on screen,
exactly what `guiReviewActive` reports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import ActionError

if TYPE_CHECKING:
    from aqt.main import AnkiQt
    from aqt.reviewer import Reviewer

NOT_REVIEWING = "Gui review is not currently active."


def reviewer_of(mw: AnkiQt) -> Reviewer:
    reviewer = getattr(mw, "reviewer", None)
    if reviewer is None:
        raise ActionError("reviewer is not available")
    return reviewer


def is_reviewing(mw: AnkiQt) -> bool:
    return reviewer_of(mw).card is not None and mw.state == "review"


def show_question(mw: AnkiQt) -> bool:
    if not is_reviewing(mw):
        return False
    reviewer_of(mw)._showQuestion()
    return True


def show_answer(mw: AnkiQt) -> bool:
    if not is_reviewing(mw):
        return False
    reviewer_of(mw)._showAnswer()
    return True


def start_card_timer(mw: AnkiQt) -> bool:
    if not is_reviewing(mw):
        return False
    card = reviewer_of(mw).card
    assert card is not None
    card.start_timer()
    return True


def play_audio(mw: AnkiQt) -> bool:
    if not is_reviewing(mw):
        return False
    reviewer_of(mw).replayAudio()
    return True


def answer_card(mw: AnkiQt, ease: int) -> bool:
    """Answer the card on screen as if its button `ease` was pressed.

    Anki records the review in the background and then shows the next card.
    """
    if not is_reviewing(mw):
        return False
    reviewer = reviewer_of(mw)
    if reviewer.state != "answer":
        return False
    if ease not in _button_eases(reviewer):
        return False
    reviewer._answerCard(ease)  # type: ignore[arg-type]
    return True


def current_card(mw: AnkiQt) -> dict[str, Any]:
    if not is_reviewing(mw):
        raise ActionError(NOT_REVIEWING)
    reviewer = reviewer_of(mw)
    card = reviewer.card
    assert card is not None and mw.col is not None
    col = mw.col
    note = card.note()
    model = card.note_type()
    eases = _button_eases(reviewer)
    labels = _next_interval_labels(mw, reviewer)
    return {
        "cardId": card.id,
        "fields": {
            name: {"value": note.fields[ordinal], "order": ordinal}
            for name, (ordinal, _field) in col.models.field_map(model).items()
        },
        "fieldOrder": card.ord,
        "question": card.question(),
        "answer": card.answer(),
        "buttons": eases,
        "nextReviews": [labels[ease - 1] if 0 < ease <= len(labels) else "" for ease in eases],
        "modelName": model["name"],
        "deckName": col.decks.name(card.did),
        "css": model["css"],
        "template": card.template()["name"],
    }


def _button_eases(reviewer: Reviewer) -> list[int]:
    return [ease for ease, _label in reviewer._answerButtonList()]


def _next_interval_labels(mw: AnkiQt, reviewer: Reviewer) -> list[str]:
    """One label per ease (1-4), from the states the reviewer will record."""
    assert mw.col is not None
    sched: Any = mw.col.sched
    labels = list(sched.describe_next_states(reviewer.get_scheduling_states()))
    # Anki wraps the numbers in Unicode isolation marks for right-to-left layouts
    return [label.replace("\u2068", "").replace("\u2069", "") for label in labels]
