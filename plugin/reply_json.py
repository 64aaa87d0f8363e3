"""Replies as JSON bytes, exactly as the original wrote them, fast for long id lists.

The original serialised with Python's defaults: `", "` and `": "` separators,
non-ASCII escaped as `\\uXXXX`, keys in insertion order
(`{"result": 6, "error": null}`). Clients and their users' scripts see exactly
that, so every reply here is byte for byte what `json.dumps(value)` gives.

The largest replies are lists of ids (`findNotes` of a whole collection: 100,000
integers), where the standard library spends about 100 ns per integer. For
those, `orjson` (which Anki requires, 23.10 to 26.9) encodes the list and the
separators are spaced afterwards, which is safe because such a list holds only
digits, minus signs, commas and brackets. Everything else goes through the
standard library, which is as fast as any alternative once strings dominate.
"""

from __future__ import annotations

import json
from typing import Any, Callable

FAST_LIST_MIN = 256
"""Shorter lists are encoded by the standard library: the detour would not pay."""

_INTEGER_LIST_BYTES = b"0123456789-,[]"

_orjson_dumps: Callable[[Any], bytes] | None
try:
    import orjson

    _orjson_dumps = orjson.dumps
except ImportError:  # pragma: no cover - Anki requires orjson; a bare Python may lack it
    _orjson_dumps = None


def encode_reply(value: Any) -> bytes:
    """`value` as `json.dumps(value)` writes it, in ASCII; `TypeError`/`ValueError` when it is no JSON."""
    if isinstance(value, dict) and list(value) == ["result", "error"] and value["error"] is None:
        integers = _integer_list(value["result"])
        if integers is not None:
            return b'{"result": ' + integers + b', "error": null}'
    else:
        integers = _integer_list(value)
        if integers is not None:
            return integers
    return json.dumps(value).encode("ascii")


def _integer_list(value: Any) -> bytes | None:
    """A long list of integers (possibly nested) in the standard library's form, or None."""
    if _orjson_dumps is None or type(value) is not list or len(value) < FAST_LIST_MIN:
        return None
    try:
        body = _orjson_dumps(value)
    except TypeError:  # e.g. an integer beyond 64 bits
        return None
    if body.translate(None, _INTEGER_LIST_BYTES):
        return None  # anything but integers: strings, floats, booleans, null
    return body.replace(b",", b", ")
