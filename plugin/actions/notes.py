"""Actions of the notes category (protocol: actions/notes.md).

Creating notes is the path Yomitan and similar tools use in real time, so the
checks of a batch share one duplicate query (`duplicates.py`) and `addNotes`
adds through Anki's bulk call. Note objects are read by `note_input.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from ..database import database, rows_for_ids, valid_ids
from ..duplicates import find_problems
from ..errors import ActionError, error_text
from ..lookups import Lookups
from ..note_input import (
    NoteInput,
    as_object,
    attach_media,
    read_note,
    read_tags,
    required,
    set_fields,
)
from ..registry import action
from .base import ActionsBase

if TYPE_CHECKING:
    from anki.collection import Collection, OpChanges
    from anki.models import NotetypeDict
    from anki.notes import NoteId

_REGEX_SPECIAL = set("\\.+*?()|[]{}^$")


class NoteActions(ActionsBase):
    # -- creating ----------------------------------------------------------------------

    @action()
    def addNote(self, note: Any) -> int:
        col = self.col
        item = read_note(note, Lookups(col), self.media_store)
        (problem,) = find_problems(col, [item])
        if problem is not None:
            raise ActionError(problem)
        changes = col.add_note(item.note, item.deck_id)
        self.host.collection_changed(changes)
        return item.note.id

    @action()
    def addNotes(self, notes: Any) -> list[int]:
        """All or nothing (the newer generation): one failure adds no note."""
        inputs, problems = self._check_notes(_note_objects(notes), within_batch=True)
        failures = [problem for problem in problems if problem is not None]
        if failures:
            raise ActionError(repr(failures))
        ready = [item for item in inputs if item is not None]
        if ready:
            self.host.collection_changed(_add_all(self.col, ready))
        return [item.note.id for item in ready]

    @action()
    def canAddNote(self, note: Any) -> bool:
        return self._check_notes([note])[1][0] is None

    @action()
    def canAddNoteWithErrorDetail(self, note: Any) -> dict[str, Any]:
        return _detail(self._check_notes([note])[1][0])

    @action()
    def canAddNotes(self, notes: Any) -> list[bool]:
        return [problem is None for problem in self._check_notes(_note_objects(notes))[1]]

    @action()
    def canAddNotesWithErrorDetail(self, notes: Any) -> list[dict[str, Any]]:
        return [_detail(problem) for problem in self._check_notes(_note_objects(notes))[1]]

    def _check_notes(
        self, objects: Sequence[Any], *, within_batch: bool = False
    ) -> tuple[list[NoteInput | None], list[str | None]]:
        """Read and check note objects; per object the note (or None) and its problem (or None)."""
        col = self.col
        lookups, store = Lookups(col), self.media_store
        inputs: list[NoteInput | None] = []
        problems: list[str | None] = []
        for obj in objects:
            try:
                inputs.append(read_note(obj, lookups, store))
                problems.append(None)
            except Exception as error:  # noqa: BLE001 - a bad note is reported, not raised
                inputs.append(None)
                problems.append(error_text(error))
        read = [(index, item) for index, item in enumerate(inputs) if item is not None]
        verdicts = find_problems(col, [item for _, item in read], within_batch=within_batch)
        for (index, _), verdict in zip(read, verdicts):
            if verdict is not None:
                inputs[index], problems[index] = None, verdict
        return inputs, problems

    # -- finding and reading -----------------------------------------------------------

    @action()
    def findNotes(self, query: Any = None) -> list[int]:
        if query is None:
            return []
        if not isinstance(query, str):
            raise ActionError("query must be a string")
        return list(self.col.find_notes(query))

    @action()
    def notesInfo(self, notes: Any = None, query: Any = None) -> list[dict[str, Any]]:
        if notes is None and query is None:
            raise ActionError('Must provide either "notes" or a "query"')
        col = self.col
        note_ids = self.findNotes(query) if query is not None else _note_ids(notes)
        # One query for notes and their cards: a row per card (one row with a null
        # card for a note without cards). Cheaper than a query for each table, even
        # though a note with several cards comes back several times.
        rows: dict[int, tuple[int, int, str, str]] = {}
        cards: dict[int, list[int]] = {}
        for note_id, mid, mod, tags, flds, card_id in rows_for_ids(
            col,
            "select n.id, n.mid, n.mod, n.tags, n.flds, c.id from notes n left join cards c on c.nid = n.id"
            " where n.id in {ids} order by c.ord",
            valid_ids(note_ids),
        ):
            if note_id not in rows:
                rows[note_id] = (mid, mod, tags, flds)
                cards[note_id] = []
            if card_id is not None:
                cards[note_id].append(card_id)
        profile = self.host.active_profile()
        models: dict[int, tuple[str, list[str]]] = {}
        result: list[dict[str, Any]] = []
        for note_id in note_ids:
            row = rows.get(note_id)
            if row is None:
                result.append({})
                continue
            mid, mod, tags, flds = row
            if mid not in models:
                model = col.models.get(mid)  # type: ignore[arg-type]
                models[mid] = (model["name"], [f["name"] for f in model["flds"]]) if model else ("", [])
            model_name, field_names = models[mid]
            values = flds.split("\x1f")
            result.append(
                {
                    "noteId": note_id,
                    "profile": profile,
                    "tags": col.tags.split(tags),
                    "fields": {
                        name: {"value": value, "order": order}
                        for order, (name, value) in enumerate(zip(field_names, values))
                    },
                    "modelName": model_name,
                    "mod": mod,
                    "cards": cards[note_id],
                }
            )
        return result

    @action()
    def notesModTime(self, notes: Any) -> list[dict[str, Any]]:
        note_ids = _note_ids(notes)
        rows = rows_for_ids(self.col, "select id, mod from notes where id in {ids}", valid_ids(note_ids))
        mods = {note_id: mod for note_id, mod in rows}
        return [{"noteId": note_id, "mod": mods[note_id]} if note_id in mods else {} for note_id in note_ids]

    # -- updating ----------------------------------------------------------------------

    @action()
    def updateNoteFields(self, note: Any) -> None:
        obj = as_object(note, "note")
        anki_note = self.get_note(required(obj, "id"))
        set_fields(anki_note, required(obj, "fields"), match_case=True)
        attach_media(anki_note, obj, self.media_store)
        self.host.collection_changed(self.col.update_note(anki_note))

    @action()
    def updateNote(self, note: Any) -> None:
        obj = as_object(note, "note")
        if "fields" not in obj and "tags" not in obj:
            raise ActionError('Must provide a "fields" or "tags" property.')
        if "tags" in obj:
            read_tags(obj["tags"])  # refused tags must not leave the fields changed
        if "fields" in obj:
            self.updateNoteFields(obj)
        if "tags" in obj:
            self.updateNoteTags(required(obj, "id"), obj["tags"])

    @action()
    def updateNoteTags(self, note: Any, tags: Any) -> None:
        new_tags = read_tags(tags)
        anki_note = self.get_note(note)
        anki_note.tags = new_tags
        self.host.collection_changed(self.col.update_note(anki_note))

    @action()
    def updateNoteModel(self, note: Any) -> None:
        """Switch a note to another note type; the cards keep their template ordinals.

        The note is saved under the new type in one update, as the original
        does, rather than with Anki's "Change Note Type", which would make the
        next sync a full one.
        """
        obj = as_object(note, "note")
        if not obj.get("id"):
            raise ActionError("Note ID is required")
        model_name = obj.get("modelName")
        if not model_name:
            raise ActionError("Model name is required")
        fields = obj.get("fields")
        if not isinstance(fields, dict) or not fields:
            raise ActionError("Fields must be provided as a dictionary")
        old = self.get_note(obj["id"])
        col = self.col
        model = col.models.by_name(model_name) if isinstance(model_name, str) else None
        if model is None:
            raise ActionError(f"Model '{model_name}' not found")
        new_tags = read_tags(obj["tags"]) if obj.get("tags") is not None else []
        replacement = col.new_note(model)
        set_fields(replacement, fields, match_case=False)
        replacement.id, replacement.guid, replacement.tags = old.id, old.guid, new_tags
        self.host.collection_changed(col.update_note(replacement))
        self._remove_cards_without_template(old.id, model)

    def _remove_cards_without_template(self, note_id: NoteId, model: NotetypeDict) -> None:
        """Cards whose ordinal the new (non-cloze) type has no template for cannot be shown.

        The original left them behind ("missing template" in the reviewer until
        Check Database deletes them). They go, unless they are all the note has.
        """
        from anki.cards import CardId
        from anki.models import MODEL_CLOZE

        if model["type"] == MODEL_CLOZE:
            return
        col = self.col
        rows = database(col).all("select id, ord from cards where nid = ?", note_id)
        stale = [CardId(card_id) for card_id, ordinal in rows if ordinal >= len(model["tmpls"])]
        if stale and len(stale) < len(rows):
            self.host.collection_changed(col.remove_cards_and_orphaned_notes(stale))

    # -- tags --------------------------------------------------------------------------

    @action()
    def addTags(self, notes: Any, tags: Any, add: Any = True) -> None:
        note_ids = _note_ids(notes)
        if not isinstance(tags, str):
            raise ActionError("tags must be a string of tags separated by spaces")
        manager = self.col.tags
        changes = manager.bulk_add(note_ids, tags) if add else manager.bulk_remove(note_ids, tags)
        self.host.collection_changed(changes)

    @action()
    def removeTags(self, notes: Any, tags: Any) -> None:
        self.addTags(notes, tags, add=False)

    @action()
    def getTags(self) -> list[str]:
        return self.col.tags.all()

    @action()
    def getNoteTags(self, note: Any) -> list[str]:
        return self.get_note(note).tags

    @action()
    def clearUnusedTags(self) -> None:
        self.host.collection_changed(self.col.tags.clear_unused_tags())

    @action()
    def replaceTags(self, notes: Any, tag_to_replace: Any, replace_with_tag: Any) -> None:
        self._replace_tag(_note_ids(notes), tag_to_replace, replace_with_tag)

    @action()
    def replaceTagsInAllNotes(self, tag_to_replace: Any, replace_with_tag: Any) -> None:
        self._replace_tag(None, tag_to_replace, replace_with_tag)

    def _replace_tag(self, note_ids: list[NoteId] | None, old: Any, new: Any) -> None:
        """Replace the whole tag `old` (any case) by `new`, in one backend call."""
        if not isinstance(old, str) or not isinstance(new, str):
            raise ActionError("tag_to_replace and replace_with_tag must be strings")
        col = self.col
        if not old or old.split() != [old]:
            return  # no note has an empty tag or one containing spaces
        if note_ids is None:
            note_ids = database(col).list("select id from notes")
        search = "^" + "".join("\\" + c if c in _REGEX_SPECIAL else c for c in old) + "$"
        changes = col.tags.find_and_replace(note_ids, search, new.replace("$", "$$"), regex=True, match_case=False)
        self.host.collection_changed(changes)

    # -- deleting ----------------------------------------------------------------------

    @action()
    def deleteNotes(self, notes: Any) -> None:
        note_ids = _note_ids(notes)
        self.host.collection_changed(self.col.remove_notes(note_ids))

    @action()
    def removeEmptyNotes(self) -> None:
        """Deletes every note type that has no notes (the original's behaviour, despite the name)."""
        from anki.models import NotetypeId

        col = self.col
        for entry in col.models.all_use_counts():
            if entry.use_count == 0:
                self.host.collection_changed(col.models.remove(NotetypeId(entry.id)))


# -- helpers ------------------------------------------------------------------------------


def _detail(problem: str | None) -> dict[str, Any]:
    return {"canAdd": True} if problem is None else {"canAdd": False, "error": problem}


def _note_objects(notes: Any) -> list[Any]:
    if not isinstance(notes, list):
        raise ActionError("notes must be a list of note objects")
    return notes


def _note_ids(notes: Any) -> list[NoteId]:
    if not isinstance(notes, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in notes):
        raise ActionError("notes must be a list of note ids (integers)")
    return notes


def _add_all(col: Collection, inputs: Sequence[NoteInput]) -> OpChanges:
    """Add the notes in one backend call: all of them or, when one fails, none."""
    from anki.collection import AddNoteRequest

    return col.add_notes([AddNoteRequest(note=item.note, deck_id=item.deck_id) for item in inputs])
