"""The cardsInfo report: card columns, note fields, rendering and next intervals.

Columns and fields are read for the whole list in one query each (per batch),
note types and decks once per distinct id. Two things are done card by card
because Anki's backend offers no batch form of them: rendering the question
and answer (the backend renders one card per call, and Anki's render hooks,
LaTeX among them, run per card), and the scheduling states behind the answer
buttons' labels. The Card and Note objects that rendering hands to the hooks
are built from the rows already read, not loaded again one by one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from ..database import is_id, rows_for_ids
from .card_rows import CardRow, card_rows, scheduler

if TYPE_CHECKING:
    from anki import cards_pb2
    from anki.collection import Collection
    from anki.models import NotetypeDict
    from anki.notes import Note

FIELD_SEPARATOR = "\x1f"
UNICODE_ISOLATION = {ord("\u2068"): None, ord("\u2069"): None}


class NoteRow:
    """A note as stored: its id, note type, fields and tags."""

    __slots__ = ("fields", "guid", "id", "mid", "mod", "tags", "usn")

    def __init__(self, row: Sequence[Any]) -> None:
        self.id, self.guid, self.mid, self.mod, self.usn, tags, fields = row
        self.tags = tags.split()
        self.fields = fields.split(FIELD_SEPARATOR)


def note_rows(col: Collection, note_ids: Sequence[int]) -> dict[int, NoteRow]:
    rows = rows_for_ids(col, "select id, guid, mid, mod, usn, tags, flds from notes where id in {ids}", note_ids)
    return {row[0]: NoteRow(row) for row in rows}


def cards_info(col: Collection, ids: list[Any]) -> list[dict[str, Any]]:
    """One report per requested id, `{}` where no card has the id."""
    cards = card_rows(col, ids)
    notes = note_rows(col, sorted({row.nid for row in cards.values()}))
    reporter = _Reporter(col, notes)
    reports: dict[int, dict[str, Any]] = {}
    for card_id, row in cards.items():
        reports[card_id] = reporter.report(row)
    return [reports.get(card_id, {}) if is_id(card_id) else {} for card_id in ids]


class _Reporter:
    """Builds reports, remembering note types and deck names between cards."""

    def __init__(self, col: Collection, notes: dict[int, NoteRow]) -> None:
        self.col = col
        self.notes = notes
        self.note_types: dict[int, NotetypeDict] = {}
        self.deck_names: dict[int, str] = {}

    def note_type(self, mid: int) -> NotetypeDict:
        if mid not in self.note_types:
            note_type = self.col.models.get(mid)  # type: ignore[arg-type]
            if note_type is None:
                raise ValueError(f"note type {mid} is missing; run Check Database in Anki")
            self.note_types[mid] = note_type
        return self.note_types[mid]

    def deck_name(self, did: int) -> str:
        if did not in self.deck_names:
            self.deck_names[did] = self.col.decks.name(did)  # type: ignore[arg-type]
        return self.deck_names[did]

    def report(self, row: CardRow) -> dict[str, Any]:
        note = self.notes.get(row.nid)
        if note is None:
            raise ValueError(f"card {row.id} belongs to a missing note; run Check Database in Anki")
        note_type = self.note_type(note.mid)
        fields = {
            field["name"]: {"value": _field(note.fields, field["ord"]), "order": field["ord"]}
            for field in note_type["flds"]
        }
        question, answer = render(self.col, row, note, note_type)
        return {
            "cardId": row.id,
            "fields": fields,
            "fieldOrder": row.ord,
            "question": question,
            "answer": answer,
            "modelName": note_type["name"],
            "ord": row.ord,
            "deckName": self.deck_name(row.did),
            "css": note_type["css"],
            "factor": row.factor,
            "interval": row.ivl,
            "note": row.nid,
            "type": row.type,
            "queue": row.queue,
            "due": row.due,
            "reps": row.reps,
            "lapses": row.lapses,
            "left": row.left,
            "mod": row.mod,
            "nextReviews": next_review_labels(self.col, row.id),
            "flags": row.flags,
        }


def _field(values: list[str], ordinal: int) -> str:
    return values[ordinal] if ordinal < len(values) else ""


def render(col: Collection, row: CardRow, note: NoteRow, note_type: NotetypeDict) -> tuple[str, str]:
    """Question and answer HTML, each led by the note type's CSS, as Anki's Card.question()/answer()."""
    from anki.cards import Card
    from anki.template import TemplateRenderContext

    try:
        card = Card(col, backend_card=_backend_card(row))
    except (ValueError, TypeError):  # a value out of the protobuf's range: let Anki load it
        card = col.get_card(row.id)  # type: ignore[arg-type]
    context = TemplateRenderContext(col, card, _note_object(col, note), browser=False, notetype=note_type)
    output = context.render()
    return output.question_and_style(), output.answer_and_style()


def next_review_labels(col: Collection, card_id: int) -> list[str]:
    """The answer buttons' interval labels (Again, Hard, Good, Easy) as the reviewer shows them.

    Anki wraps the numbers in invisible Unicode isolation marks; they are removed
    so that clients get the plain text (`"<10m"`, `"4d"`).
    """
    states = col._backend.get_scheduling_states(card_id)
    return [label.translate(UNICODE_ISOLATION) for label in scheduler(col).describe_next_states(states)]


def _backend_card(row: CardRow) -> cards_pb2.Card:
    from anki import cards_pb2

    return cards_pb2.Card(
        id=row.id,
        note_id=row.nid,
        deck_id=row.did,
        template_idx=row.ord,
        mtime_secs=row.mod,
        usn=row.usn,
        ctype=row.type,
        queue=row.queue,
        due=row.due,
        interval=row.ivl,
        ease_factor=row.factor,
        reps=row.reps,
        lapses=row.lapses,
        remaining_steps=row.left,
        original_due=row.odue,
        original_deck_id=row.odid,
        flags=row.flags,
    )


def _note_object(col: Collection, note: NoteRow) -> Note:
    """A Note for the render hooks, built from the row already read (no query per note)."""
    from anki import notes_pb2
    from anki.notes import Note

    loaded = Note.__new__(Note)
    loaded.col = col.weakref()
    stored = notes_pb2.Note(
        id=note.id,
        guid=note.guid,
        notetype_id=note.mid,
        mtime_secs=note.mod,
        usn=note.usn,
        tags=note.tags,
        fields=note.fields,
    )
    try:
        # Anki's own loader (private, unchanged from 2.1.28 to 26.9)
        loaded._load_from_backend_note(stored)
    except AttributeError:  # should a later Anki rename it: load the note the public way
        return col.get_note(note.id)  # type: ignore[arg-type]
    return loaded
