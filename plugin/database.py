"""Direct SQL for batch reads that Anki has no bulk call for: one query per batch, never per item."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Sequence, TypeVar

from .errors import ActionError

if TYPE_CHECKING:
    from anki.collection import Collection
    from anki.dbproxy import DBProxy

DATABASE_UNAVAILABLE = "database is not available"

CHUNK = 10000
"""Ids per query: keeps the SQL text bounded for very large batches."""

T = TypeVar("T")


def database(col: Collection) -> DBProxy:
    db = col.db
    if db is None:
        raise ActionError(DATABASE_UNAVAILABLE)
    return db


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def sql_list(numbers: Iterable[int]) -> str:
    """Integers for an SQL `in (...)` list; `int()` keeps anything else out of the SQL text."""
    return ",".join(str(int(number)) for number in numbers)
