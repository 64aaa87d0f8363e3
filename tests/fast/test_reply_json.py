"""Reply bodies are byte for byte what Python's `json.dumps` writes, whichever encoder ran."""

from __future__ import annotations

import json
from typing import Any

import pytest

from plugin.reply_json import FAST_LIST_MIN, encode_reply

IDS = list(range(1712600000000, 1712600000000 + FAST_LIST_MIN * 3))

SAMPLES: list[Any] = [
    None,
    6,
    [1712000000001, 1712000000002],
    {"result": 6, "error": None},
    {"result": [{"noteId": 1, "fields": {"Front": {"value": "<b>a</b>", "order": 0}}}], "error": None},
    {"result": 'quote " backslash \\ newline \n tab \t control \x01 del \x7f', "error": None},
    {"result": [True, False, 0.5, 1e-05, 1e16, -3, "", []], "error": None},
    {"result": "caf\u00e9 \u65e5\u672c \U0001f600 \ud800", "error": None},
    {"result": None, "error": "unsupported action"},
    {"result": IDS, "error": None},
    IDS,
    [IDS[:300], IDS[300:]],
    {"result": [*IDS, -5, 0], "error": None},
    {"result": [*IDS, True], "error": None},
    {"result": [*IDS, 2**70], "error": None},
    {"result": [*IDS, 1.5], "error": None},
    {"result": [*IDS, "x, y"], "error": None},
    {"result": [*IDS, None], "error": None},
    {"error": None, "result": IDS},
    {"result": IDS, "error": "a failure after all"},
    {1712000000001: [1, 2], 5: None},
]


@pytest.mark.parametrize("value", SAMPLES)
def test_the_same_bytes_as_the_standard_library(value: Any) -> None:
    assert encode_reply(value) == json.dumps(value).encode("ascii")


def test_the_originals_form() -> None:
    assert encode_reply({"result": 6, "error": None}) == b'{"result": 6, "error": null}'
    assert encode_reply({"result": IDS[:FAST_LIST_MIN], "error": None}).startswith(
        b'{"result": [1712600000000, 1712600000001, '
    )


def test_a_value_that_is_no_json_raises_type_error() -> None:
    with pytest.raises(TypeError, match="set is not JSON serializable"):
        encode_reply({"result": {1, 2}})
