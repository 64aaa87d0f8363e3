"""Anki's review log (`revlog`): its columns, checking rows before writing them, and Anki days.

Days follow Anki's scheduler: the current day started at `day_cutoff - 86400`
(the "next day starts at" hour of the collection, `rollover`), and earlier days
are counted back from there in steps of 24 hours, as Anki's own statistics do.
A review logged exactly at a day's first millisecond belongs to the day
before, as in Anki's "Studied N cards today".
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from ..database import INT64_MAX, database, placeholders, rows_for_ids
from ..errors import ActionError
from .id_params import shown

if TYPE_CHECKING:
    from anki.collection import Collection

COLUMNS = ("id", "cid", "usn", "ease", "ivl", "lastIvl", "factor", "time", "type")
"""The order of a review row on the wire (`cardReviews`, `insertReviews`)."""

_I32 = (-(2**31), 2**31 - 1)
_U32 = (0, 2**32 - 1)
LIMITS: dict[str, tuple[int, int]] = {
    # what Anki's backend can read back; outside these, Anki's card info fails
    "id": (1, INT64_MAX),
    "cid": (1, INT64_MAX),
    "usn": _I32,
    "ease": (0, 4),
    "ivl": _I32,
    "lastIvl": _I32,
    "factor": _U32,
    "time": _U32,
    "type": (0, 5),
}
DUPLICATE_ID = "UNIQUE constraint failed: revlog.id"
DAY_SECONDS = 86_400
DAY_MS = DAY_SECONDS * 1000


# -- writing ----------------------------------------------------------------------------


def checked_rows(reviews: Any) -> list[list[int]]:
    """The rows as integers, or an error naming the first bad row; ids must be distinct."""
    if not isinstance(reviews, list):
        raise ActionError(f"reviews must be a list of review rows, not {shown(reviews)}")
    rows = [_checked_row(row, f"reviews[{index}]") for index, row in enumerate(reviews)]
    first_index: dict[int, int] = {}
    for index, row in enumerate(rows):
        earlier = first_index.setdefault(row[0], index)
        if earlier != index:
            raise ActionError(f"reviews[{index}]: id {row[0]} is also the id of reviews[{earlier}] ({DUPLICATE_ID})")
    return rows


def _checked_row(row: Any, where: str) -> list[int]:
    if not isinstance(row, list):
        raise ActionError(f"{where} must be a list of {len(COLUMNS)} integers, not {shown(row)}")
    if len(row) != len(COLUMNS):
        raise ActionError(f"{where}: {len(row)} values for {len(COLUMNS)} columns ({', '.join(COLUMNS)})")
    values = []
    for column, value in zip(COLUMNS, row):
        number = _as_integer(value)
        if number is None:
            raise ActionError(f"{where}: {column} must be an integer, not {shown(value)}")
        low, high = LIMITS[column]
        if not low <= number <= high:
            raise ActionError(f"{where}: {column} must be between {low} and {high}, not {number}")
        values.append(number)
    return values


def _as_integer(value: Any) -> int | None:
    """JSON numbers without a fraction, and strings of digits (the original pasted values into SQL)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip(), 10)
        except ValueError:
            return None
    return None


def check_ids_are_new(col: Collection, rows: list[list[int]]) -> None:
    ids = [row[0] for row in rows]
    taken = {row[0] for row in rows_for_ids(col, "select id from revlog where id in {ids}", ids)}
    if taken:
        index = next(index for index, review_id in enumerate(ids) if review_id in taken)
        raise ActionError(f"reviews[{index}]: id {ids[index]} is already in the review log ({DUPLICATE_ID})")


def insert_rows(col: Collection, rows: list[list[int]]) -> None:
    """Write checked rows, all or none."""
    sql = f"insert into revlog ({', '.join(COLUMNS)}) values ({placeholders(len(COLUMNS))})"

    def write() -> None:
        database(col).executemany(sql, rows)

    # `transact` rolls back on failure and marks the collection modified, so the rows are synced
    database(col).transact(write)


# -- days -------------------------------------------------------------------------------


def reviews_today(col: Collection) -> int:
    day_start_ms = (col.sched.day_cutoff - DAY_SECONDS) * 1000
    return int(database(col).scalar("select count() from revlog where id > ?", day_start_ms) or 0)


def reviews_by_day(col: Collection) -> list[list[Any]]:
    """`[["YYYY-MM-DD", count], ...]`, newest day first, days without reviews left out."""
    cutoff = col.sched.day_cutoff
    cutoff_ms = cutoff * 1000
    # days back from today = floor((cutoff_ms - id) / DAY_MS); SQLite's division
    # truncates, so reviews after the cut-off (a clock that was ahead) are floored by hand
    rows = database(col).all(
        f"""
        select case when back_ms >= 0 then back_ms / {DAY_MS}
                    else -(({DAY_MS - 1} - back_ms) / {DAY_MS}) end as back,
               count()
        from (select ? - id as back_ms from revlog)
        group by back order by back
        """,
        cutoff_ms,
    )
    today = datetime.date.fromtimestamp(cutoff) - datetime.timedelta(days=1)
    return [[(today - datetime.timedelta(days=back)).isoformat(), count] for back, count in rows]
