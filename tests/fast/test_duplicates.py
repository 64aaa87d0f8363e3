"""The batch duplicate check (plugin/duplicates.py) agrees with Anki's own per-note check."""

from __future__ import annotations

import unicodedata

import pytest
from anki.collection import Collection
from anki.notes import NoteFieldsCheckResult

from plugin.duplicates import DUPLICATE, EMPTY, UNKNOWN, checksum, find_problems
from plugin.note_input import DuplicateOptions, NoteInput

TRICKY = [
    "perro",
    " perro",
    "perro ",
    "Perro",
    "<b>perro</b>",
    "perro<br>",
    "perro&nbsp;",
    "<div>perro</div>",
    "<!-- c -->perro",
    "<style>x</style>perro",
    "&#x70;erro",
    "a&amp;b",
    "a & b",
    "&lt;b&gt;",
    '<img src="perro.jpg">',
    "<img src=perro.jpg>",
    "[sound:perro.mp3]",
    "perro[sound:perro.mp3]",
    "caf\u00e9",
    "cafe\u0301",
    "\u00a0perro",
    "perro\n",
    "犬",
    "<ruby>犬<rt>いぬ</rt></ruby>",
    "",
    " ",
    "<br>",
    "&nbsp;",
    "<b></b>",
]


def basic_note(col: Collection, front: str, model: str = "Basic") -> NoteInput:
    note = col.new_note(col.models.by_name(model))  # type: ignore[arg-type]
    note.fields[0] = front
    return NoteInput(note, col.decks.id("Default"), DuplicateOptions())  # type: ignore[arg-type]


def anki_verdict(col: Collection, item: NoteInput) -> str | None:
    state = item.note.fields_check()
    return {
        NoteFieldsCheckResult.NORMAL: None,
        NoteFieldsCheckResult.EMPTY: EMPTY,
        NoteFieldsCheckResult.DUPLICATE: DUPLICATE,
    }.get(state, UNKNOWN)


def test_the_checksum_is_the_one_anki_stores(col: Collection) -> None:
    from anki.collection import StripHtmlMode

    for front in TRICKY:
        note = basic_note(col, front).note
        col.add_note(note, col.decks.id("Default"))  # type: ignore[arg-type]
        stored = col.db.scalar("select csum from notes where id = ?", note.id)
        text = unicodedata.normalize("NFC", front)  # Anki stores note text in NFC
        stripped = col._backend.strip_html(text=text, mode=StripHtmlMode.PRESERVE_MEDIA_FILENAMES)
        assert checksum(stripped) == stored, front


@pytest.mark.parametrize("existing", [[], ["perro"], TRICKY[:12], TRICKY[12:24]])
def test_the_default_path_agrees_with_anki_for_tricky_first_fields(col: Collection, existing: list[str]) -> None:
    for front in existing:
        col.add_note(basic_note(col, front).note, col.decks.id("Default"))  # type: ignore[arg-type]
    candidates = [basic_note(col, front) for front in TRICKY]
    expected = [anki_verdict(col, item) for item in candidates]
    assert find_problems(col, candidates) == expected
    assert DUPLICATE in expected or not existing


def test_cloze_problems_come_from_anki(col: Collection) -> None:
    cloze = [basic_note(col, text, model="Cloze") for text in ("no cloze", "{{c1::yes}}", "")]
    basic = [basic_note(col, "{{c1::cloze in basic}}")]
    assert find_problems(col, cloze + basic) == [UNKNOWN, None, EMPTY, UNKNOWN]


def test_one_query_answers_the_whole_batch(col: Collection) -> None:
    for index in range(50):
        col.add_note(basic_note(col, f"word{index}").note, col.decks.id("Default"))  # type: ignore[arg-type]
    queries: list[str] = []
    db = col.db
    assert db is not None
    original = db.all

    def counting(sql: str, *args: object) -> list:
        queries.append(sql)
        return original(sql, *args)

    db.all = counting  # type: ignore[method-assign]
    try:
        problems = find_problems(col, [basic_note(col, f"word{index}") for index in range(0, 100, 2)])
    finally:
        db.all = original  # type: ignore[method-assign]
    assert problems == [DUPLICATE] * 25 + [None] * 25
    assert len(queries) == 1 and "csum in" in queries[0]
