"""Note objects from the wire turned into Anki notes: lookups, fields, tags, media, options.

`read_note` runs the protocol's checks for a note to be created, in the
protocol's order (notes.md, "Check order and errors"), and returns an unsaved
`anki.notes.Note` with its deck and duplicate options. The duplicate and
empty checks themselves (step 6) live in `duplicates.py`, because they run
once for a whole batch.

The smaller functions are public for other callers: the graphical actions
prefill the Add dialog with `set_fields(..., match_case=True)`, `read_tags` and `attach_media`. Nothing here
imports Qt.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable

from .errors import ActionError, error_text, missing_key
from .lookups import Lookups
from .media_store import MediaSource, MediaStore

if TYPE_CHECKING:
    from anki.decks import DeckId
    from anki.notes import Note

TAGS_ERROR = "Must provide tags as a list of strings"

MEDIA_REFERENCES = (
    ("audio", "[sound:{}]"),
    ("video", "[sound:{}]"),
    ("picture", '<img src="{}">'),
)
"""The media members of a note object and how a stored file is referenced in a field."""


def required(obj: dict[str, Any], key: str) -> Any:
    """`obj[key]`, or the protocol's error for a missing key (`'key'`)."""
    if key not in obj:
        raise missing_key(key)
    return obj[key]


def as_object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ActionError(f"{what} must be an object")
    return value


# -- fields and tags -------------------------------------------------------------------------


def set_fields(note: Note, fields: Any, *, match_case: bool) -> None:
    """Set the note's fields from `{name: value}`; names no field has are ignored.

    Creating notes matches names case-insensitively (a later name wins when
    two match the same field); updating matches them exactly.
    """
    fields = as_object(fields, '"fields"')
    names = note.keys()
    index = {name: i for i, name in enumerate(names)}
    folded = {name.lower(): i for i, name in reversed(list(enumerate(names)))}
    for name, value in fields.items():
        position = index.get(name) if match_case else folded.get(name.lower())
        if position is None:
            continue
        if not isinstance(value, str):
            raise ActionError(f'the value of field "{name}" must be a string')
        note.fields[position] = value


def read_tags(value: Any) -> list[str]:
    """Tags from a list of strings or one string; spaces inside an element separate tags."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
        raise ActionError(TAGS_ERROR)
    return [tag for element in value for tag in element.split()]


# -- media -----------------------------------------------------------------------------------


def attach_media(note: Note, obj: dict[str, Any], store: MediaStore) -> None:
    """Store the files of the `audio`/`video`/`picture` members and reference them in fields.

    A reference is appended to each listed field the note has (exact name).
    When storing fails, the note still goes ahead: the HTML-escaped error text
    is appended to those fields instead, or, with no fields listed, the
    object is skipped.
    """
    names = note.keys()
    for member, reference in MEDIA_REFERENCES:
        for item in media_items(obj.get(member), member):
            targets = media_targets(item, member)
            try:
                stored = store.store(
                    required(item, "filename"),
                    MediaSource(item.get("data"), item.get("path"), item.get("url")),
                    skip_hash=item.get("skipHash"),
                    delete_existing=item.get("deleteExisting", False) is True,
                )
            except Exception as error:  # noqa: BLE001 - any failure is reported in the fields
                text = html.escape(error_text(error), quote=False)
            else:
                if stored is None:  # skipHash matched: nothing stored, nothing to reference
                    continue
                text = reference.format(stored)
            for field in targets:
                if field in names:
                    note[field] += text


def media_items(value: Any, member: str) -> Iterable[dict[str, Any]]:
    """The media objects of one member: one object or a list of them."""
    if value is None:
        return []
    items = [value] if isinstance(value, dict) else value
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ActionError(f'"{member}" must be a media object or a list of media objects')
    return items


def media_targets(item: dict[str, Any], member: str) -> list[str]:
    fields = item.get("fields")
    if fields is None:
        return []
    if isinstance(fields, str):
        fields = [fields]
    if not isinstance(fields, list) or not all(isinstance(name, str) for name in fields):
        raise ActionError(f'"fields" of a "{member}" object must be a list of field names')
    return fields


# -- duplicate options -------------------------------------------------------------------------


@dataclass(frozen=True)
class DuplicateOptions:
    """The `options` member of a note object (protocol defaults when absent)."""

    allow_duplicate: bool = False
    scope: Any = None
    """`"deck"` limits the search to a deck; any other value means the whole collection."""
    deck_name: str | None = None
    """The deck searched with scope "deck"; None means the note's own deck."""
    check_children: bool = False
    check_all_models: bool = False

    @property
    def deck_scoped(self) -> bool:
        return self.scope == "deck"

    @property
    def uses_anki_field_check(self) -> bool:
        """The default path: Anki's own check (same note type, whole collection)."""
        return not self.deck_scoped and not self.check_all_models


def read_options(value: Any) -> DuplicateOptions:
    if value is None:
        return DuplicateOptions()
    options = as_object(value, 'note parameter "options"')
    allow = _option_bool(options, "allowDuplicate", "allowDuplicate")
    scope_options = options.get("duplicateScopeOptions")
    if scope_options is None:
        scope_options = {}
    as_object(scope_options, 'option parameter "duplicateScopeOptions"')
    deck_name = scope_options.get("deckName")
    if deck_name is not None and not isinstance(deck_name, str):
        raise ActionError('option parameter "duplicateScopeOptions.deckName" must be a string or null')
    return DuplicateOptions(
        allow_duplicate=allow,
        scope=options.get("duplicateScope"),
        deck_name=deck_name,
        check_children=_option_bool(scope_options, "checkChildren", "duplicateScopeOptions.checkChildren"),
        check_all_models=_option_bool(scope_options, "checkAllModels", "duplicateScopeOptions.checkAllModels"),
    )


def _option_bool(options: dict[str, Any], key: str, label: str) -> bool:
    value = options.get(key, False)
    if not isinstance(value, bool):
        raise ActionError(f'option parameter "{label}" must be boolean')
    return value


# -- the whole note object ---------------------------------------------------------------------


@dataclass
class NoteInput:
    """A note ready to be checked and added."""

    note: Note
    deck_id: DeckId
    options: DuplicateOptions


def read_note(obj: Any, lookups: Lookups, store: MediaStore) -> NoteInput:
    """Checks 1 to 5 of the protocol, in its order; media are stored on the way (step 4)."""
    obj = as_object(obj, "note")
    model = lookups.model(required(obj, "modelName"))
    deck_id = lookups.deck_id(required(obj, "deckName"))
    fields = required(obj, "fields")
    note = lookups.col.new_note(model)
    set_fields(note, fields, match_case=False)
    tags = obj.get("tags")
    if tags is not None:
        note.tags = read_tags(tags)
    attach_media(note, obj, store)
    return NoteInput(note, deck_id, read_options(obj.get("options")))
