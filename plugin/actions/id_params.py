"""Checking integer and id parameters, which the registry passes on as the client sent them.

JSON gives us ints, floats, strings, booleans and null alike; SQLite and Anki's
backend want 64-bit integers. Checking here turns a wrong value into one clear
error before anything is read or written.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..database import INT64_MAX, INT64_MIN, is_id
from ..errors import ActionError

_DECIMAL = re.compile(r"-?[0-9]+")


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


def shown(value: Any) -> str:
    """A value as the client wrote it (JSON), shortened, for error texts."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
