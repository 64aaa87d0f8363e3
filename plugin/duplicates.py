"""Step 6 of note creation for a whole batch: is the note empty, a duplicate, or fine?

Anki's own check (`Note.fields_check`) costs one database query per note. Here
the candidates of a request share one indexed query: a note's first field,
HTML stripped by Anki's backend, gives the 32-bit checksum Anki keeps in the
indexed `notes.csum` column; all checksums are looked up at once, and the
few notes that share a checksum are compared by their stripped first field,
as Anki does. Notes that could have a cloze problem (a cloze note type, or
`{{c` in a field) still go through Anki's own check, which knows those rules.

Which path applies follows the protocol (notes.md, "Duplicate rule" and
"Empty"): the default options use Anki's rules (first field empty once HTML
is stripped; same note type anywhere in the collection); scope "deck" or
`checkAllModels` use the original add-on's rules (raw first field blank;
note types and decks as asked).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

from .database import rows_for_ids
from .note_input import DuplicateOptions, NoteInput

if TYPE_CHECKING:
    from anki.collection import Collection
    from anki.decks import DeckId

EMPTY = "cannot create note because it is empty"
DUPLICATE = "cannot create note because it is a duplicate"
UNKNOWN = "cannot create note for unknown reason"


@dataclass
class _Candidate:
    index: int
    mid: int
    deck_id: DeckId
    stripped: str
    checksum: int
    deck_ids: frozenset[int] | None
    """Decks a matching note must have a card in; None for the whole collection."""
    options: DuplicateOptions
    checked_by_anki: bool = False
    """Anki's own check already compared it with the collection."""


class _FirstFields:
    """Anki's view of a first field: NFC (if the collection normalises) and HTML stripped."""

    def __init__(self, col: Collection) -> None:
        from anki.collection import Config, StripHtmlMode

        self.col = col
        self.mode = StripHtmlMode.PRESERVE_MEDIA_FILENAMES
        self.normalise = col.get_config_bool(Config.Bool.NORMALIZE_NOTE_TEXT)

    def stripped(self, text: str) -> str:
        if self.normalise:
            text = unicodedata.normalize("NFC", text)
        return self.col._backend.strip_html(text=text, mode=self.mode)


def checksum(stripped: str) -> int:
    """The value Anki stores in `notes.csum` for a first field that strips to `stripped`."""
    return int(hashlib.sha1(stripped.encode("utf-8")).hexdigest()[:8], 16)


def find_problems(col: Collection, inputs: Sequence[NoteInput], *, within_batch: bool = False) -> list[str | None]:
    """One message (or None) per input: empty, duplicate, unknown reason.

    With `within_batch`, a note also counts as a duplicate of an earlier note
    of the same batch that passed (notes added one after the other would see
    each other).
    """
    first_fields = _FirstFields(col)
    deck_scopes = _DeckScopes(col)
    problems: list[str | None] = [None] * len(inputs)
    candidates: list[_Candidate] = []
    for index, item in enumerate(inputs):
        note, options = item.note, item.options
        first = note.fields[0] if note.fields else ""
        checked_by_anki = False
        stripped: str | None = None
        if options.uses_anki_field_check and _may_have_cloze_problem(col, item):
            problems[index] = _anki_verdict(item)
            if problems[index] is not None or not within_batch:
                continue
            checked_by_anki = True
        elif options.uses_anki_field_check:
            stripped = first_fields.stripped(first)
            if not stripped.strip():
                problems[index] = EMPTY
                continue
        elif not first.strip():
            problems[index] = EMPTY
            continue
        if options.allow_duplicate and not within_batch:
            continue
        if stripped is None:
            stripped = first_fields.stripped(first)
        candidates.append(
            _Candidate(
                index=index,
                mid=note.mid,
                deck_id=item.deck_id,
                stripped=stripped,
                checksum=checksum(stripped),
                deck_ids=deck_scopes.deck_ids(options, item.deck_id),
                options=options,
                checked_by_anki=checked_by_anki,
            )
        )
    searched = [c for c in candidates if _searches_collection(c)]
    for candidate in _duplicates_in_collection(col, first_fields, searched):
        problems[candidate.index] = DUPLICATE
    if within_batch:
        _mark_duplicates_within(candidates, problems)
    return problems


def _searches_collection(candidate: _Candidate) -> bool:
    options = candidate.options
    if options.allow_duplicate or candidate.checked_by_anki:
        return False
    return not (options.deck_scoped and not candidate.deck_ids)


def _may_have_cloze_problem(col: Collection, item: NoteInput) -> bool:
    from anki.models import MODEL_CLOZE

    model = col.models.get(item.note.mid)
    if model is not None and model.get("type") == MODEL_CLOZE:
        return True
    return any("{{c" in value.lower() for value in item.note.fields)


def _anki_verdict(item: NoteInput) -> str | None:
    from anki.notes import NoteFieldsCheckResult

    state = item.note.fields_check()
    if state == NoteFieldsCheckResult.NORMAL:
        return None
    if state == NoteFieldsCheckResult.EMPTY:
        return EMPTY
    if state == NoteFieldsCheckResult.DUPLICATE:
        return None if item.options.allow_duplicate else DUPLICATE
    return UNKNOWN


class _DeckScopes:
    """The decks a deck-scoped search covers, looked up once per deck and option set."""

    def __init__(self, col: Collection) -> None:
        self.col = col
        self._cache: dict[tuple[str | None, DeckId, bool], frozenset[int] | None] = {}

    def deck_ids(self, options: DuplicateOptions, own_deck_id: DeckId) -> frozenset[int] | None:
        if not options.deck_scoped:
            return None
        key = (options.deck_name, own_deck_id, options.check_children)
        if key not in self._cache:
            self._cache[key] = self._resolve(*key)
        return self._cache[key]

    def _resolve(self, deck_name: str | None, own_deck_id: DeckId, children: bool) -> frozenset[int]:
        deck_id = own_deck_id if deck_name is None else self.col.decks.id_for_name(deck_name)
        if deck_id is None:  # no such deck: nothing counts as a duplicate
            return frozenset()
        if children:
            return frozenset(self.col.decks.deck_and_child_ids(deck_id))
        return frozenset([deck_id])


def _duplicates_in_collection(
    col: Collection, first_fields: _FirstFields, candidates: Sequence[_Candidate]
) -> Iterable[_Candidate]:
    if not candidates:
        return []
    rows = rows_for_ids(
        col, "select id, mid, flds from notes where csum in {ids}", sorted({c.checksum for c in candidates})
    )
    if not rows:
        return []
    # notes by stripped first field; decks of their cards only when a deck scope asks
    by_text: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for note_id, mid, flds in rows:
        by_text[first_fields.stripped(flds.split("\x1f", 1)[0])].append((note_id, mid))
    decks = _card_decks(col, candidates, by_text)
    found = []
    for candidate in candidates:
        for note_id, mid in by_text.get(candidate.stripped, ()):
            if not candidate.options.check_all_models and mid != candidate.mid:
                continue
            if candidate.deck_ids is not None and not (decks.get(note_id, set()) & candidate.deck_ids):
                continue
            found.append(candidate)
            break
    return found


def _card_decks(
    col: Collection, candidates: Sequence[_Candidate], by_text: dict[str, list[tuple[int, int]]]
) -> dict[int, set[int]]:
    """Home and current decks of the cards of matching notes that a deck-scoped candidate needs."""
    note_ids = {
        note_id
        for candidate in candidates
        if candidate.deck_ids is not None
        for note_id, _ in by_text.get(candidate.stripped, ())
    }
    decks: dict[int, set[int]] = defaultdict(set)
    for note_id, deck_id, original_deck_id in rows_for_ids(
        col, "select nid, did, odid from cards where nid in {ids}", sorted(note_ids)
    ):
        decks[note_id].add(deck_id)
        if original_deck_id:
            decks[note_id].add(original_deck_id)
    return decks


def _mark_duplicates_within(candidates: Sequence[_Candidate], problems: list[str | None]) -> None:
    """A note duplicates an earlier note of the batch that passed, under its own options."""
    earlier: dict[str, list[_Candidate]] = defaultdict(list)
    for candidate in candidates:
        if problems[candidate.index] is not None:
            continue
        if not candidate.options.allow_duplicate and (not candidate.options.deck_scoped or candidate.deck_ids):
            for other in earlier.get(candidate.stripped, ()):
                same_type = candidate.options.check_all_models or other.mid == candidate.mid
                in_scope = candidate.deck_ids is None or other.deck_id in candidate.deck_ids
                if same_type and in_scope:
                    problems[candidate.index] = DUPLICATE
                    break
        if problems[candidate.index] is None:
            earlier[candidate.stripped].append(candidate)
