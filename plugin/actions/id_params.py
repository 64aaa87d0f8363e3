"""Checking integer and id parameters, which the registry passes on as the client sent them.

JSON gives us ints, floats, strings, booleans and null alike; SQLite and Anki's
backend want 64-bit integers. Checking here turns a wrong value into one clear
error before anything is read or written.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterator, Sequence, TypeVar

from ..errors import ActionError

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
SQL_BATCH = 999
"""Ids per query: the lowest limit on bound parameters any SQLite build has had."""

_DECIMAL = re.compile(r"-?[0-9]+")

T = TypeVar("T")


def is_id(value: Any) -> bool:
    """A JSON integer that fits SQLite's integer (booleans are not ids)."""
    return isinstance(value, int) and not isinstance(value, bool) and INT64_MIN <= value <= INT64_MAX


def integer(value: Any, name: str, *, numeric_string: bool = False) -> int:
    """`value` as an int; with `numeric_string`, "42" counts as 42 (some actions take either)."""
    if is_id(value):
        return int(value)
    if numeric_string and isinstance(value, str) and _DECIMAL.fullmatch(value.strip()):
        number = int(value.strip())
        if INT64_MIN <= number <= INT64_MAX:
            return number
    raise ActionError(f"{name} must be an integer, not {shown(value)}")


def id_list(value: Any, name: str, kind: str) -> list[int]:
    """`value` as a list of ids, or an error naming the first item that is not one."""
    if not isinstance(value, list):
        raise ActionError(f"{name} must be a list of {kind} ids, not {shown(value)}")
    for item in value:
        if not is_id(item):
            raise ActionError(f"{name} must be a list of {kind} ids; {shown(item)} is not one")
    return value


def name_list(value: Any, name: str, kind: str) -> list[str]:
    """`value` as a list of strings (deck names and the like)."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ActionError(f"{name} must be a list of {kind} names, not {shown(value)}")
    return value


def batches(items: Sequence[T], size: int = SQL_BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def placeholders(count: int) -> str:
    """`?,?,?` for an `in (...)` clause of `count` values."""
    return ",".join("?" * count)


def shown(value: Any) -> str:
    """A value as the client wrote it (JSON), shortened, for error texts."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
