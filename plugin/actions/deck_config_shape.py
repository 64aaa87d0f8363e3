"""Checking an options group sent by a client against the group as Anki stores it.

Anki's reader of the legacy JSON form replaces a value of the wrong type with
the default without a word (`"perDay": "30"` silently becomes the default), and
turns a float such as `2500.0` in an integer field into the default too. So a
client's mistake could quietly reset settings. Before saving, every value whose
key the stored group also has must have the stored value's JSON type; integral
floats in integer fields become integers. Keys the stored group does not have
are passed on untouched (newer Anki versions add keys; they must survive a
round trip through older clients).
"""

from __future__ import annotations

from typing import Any

from ..errors import ActionError
from .id_params import shown

SERVER_KEYS = frozenset({"id", "mod", "usn"})
"""Set by the server, never checked against the client's value."""


def conformed(submitted: dict[str, Any], stored: dict[str, Any], path: str = "config") -> dict[str, Any]:
    """A copy of `submitted` whose values have the types of `stored`, or an error naming the first that does not."""
    result = dict(submitted)
    for key, value in submitted.items():
        if key in SERVER_KEYS and path == "config":
            continue
        if key in stored:
            result[key] = _conformed_value(value, stored[key], f"{path}.{key}")
    return result


def _conformed_value(value: Any, model: Any, path: str) -> Any:
    if model is None:
        return value
    if isinstance(model, bool):
        if isinstance(value, bool):
            return value
        expected = "true or false"
    elif isinstance(model, int):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        expected = "an integer"
    elif isinstance(model, float):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        expected = "a number"
    elif isinstance(model, str):
        if isinstance(value, str):
            return value
        expected = "a string"
    elif isinstance(model, list):
        if isinstance(value, list):
            if not model:
                return value
            return [_conformed_value(item, model[0], f"{path}[{index}]") for index, item in enumerate(value)]
        expected = "a list"
    elif isinstance(model, dict):
        if isinstance(value, dict):
            return conformed(value, model, path)
        expected = "an object"
    else:
        return value
    raise ActionError(f"{path} must be {expected}, not {shown(value)}")
