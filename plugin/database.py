"""Direct SQL for what Anki has no bulk call for: one query per batch of ids, never one per item.

Ids reach SQL either as bound parameters (`placeholders`, batches of
`PARAMETER_BATCH`) or, for long lists, written into the statement as validated
integers (`sql_list`, batches of `ID_BATCH`). `rows_for_ids` picks between the
two by the length of the list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence, TypeVar

from .errors import ActionError

if TYPE_CHECKING:
    from anki.collection import Collection
    from anki.dbproxy import DBProxy

DATABASE_UNAVAILABLE = "database is not available"

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

PARAMETER_BATCH = 999
"""Bound parameters per statement: the lowest limit any SQLite build has had."""
ID_BATCH = 10_000
"""Ids written into one statement: keeps the SQL text bounded for very long lists."""

T = TypeVar("T")


def database(col: Collection) -> DBProxy:
    """`col.db`, which Anki sets to None while the collection is closed (e.g. during a full sync)."""
    if col.db is None:
        raise ActionError(DATABASE_UNAVAILABLE)
    return col.db


def is_id(value: Any) -> bool:
    """A JSON integer that fits SQLite's integer (booleans are not ids)."""
    return isinstance(value, int) and not isinstance(value, bool) and INT64_MIN <= value <= INT64_MAX


def valid_ids(values: Iterable[Any]) -> list[int]:
    """The distinct values that can be ids, in first-seen order."""
    return list(dict.fromkeys(value for value in values if is_id(value)))


def batches(items: Sequence[T], size: int = PARAMETER_BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def placeholders(count: int) -> str:
    """`?,?,?` for an `in (...)` clause of `count` bound values."""
    return ",".join("?" * count)


def sql_list(numbers: Iterable[int]) -> str:
    """Integers for an SQL `in (...)` list; `int()` keeps anything else out of the SQL text."""
    return ",".join(str(int(number)) for number in numbers)


def rows_for_ids(col: Collection, sql: str, ids: Sequence[int]) -> list[Sequence[Any]]:
    """Run `sql` (holding `{ids}` where the id list goes) over `ids`, one statement per batch.

    `ids` must be valid ids (`is_id`). A short list is bound as parameters: the
    statement's text then depends only on the list's length, and Anki's backend
    reuses it prepared, which halves the cost of a query for a few ids (a
    client asking about one note at a time). A long list is written into the
    statement, which SQLite reads faster than as many bound values.
    """
    db = database(col)
    if not ids:
        return []
    if len(ids) <= PARAMETER_BATCH:
        return db.all(sql.format(ids=f"({placeholders(len(ids))})"), *ids)
    rows: list[Sequence[Any]] = []
    for batch in batches(ids, ID_BATCH):
        rows += db.all(sql.format(ids=f"({sql_list(batch)})"))
    return rows
