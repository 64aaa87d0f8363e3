"""Reply bodies: compact ASCII JSON, whichever encoder produced it."""

from __future__ import annotations

import json
from typing import Any

import pytest

from plugin.reply_json import encode_reply

SAMPLES: list[Any] = [
    None,
    6,
    [1712000000001, 1712000000002],
    {"result": [{"noteId": 1, "fields": {"Front": {"value": "<b>a</b>", "order": 0}}}], "error": None},
    {"result": 'quote " backslash \\ newline \n tab \t control \x01', "error": None},
    {"result": [True, False, 0.5, -3, "", []], "error": None},
]


@pytest.mark.parametrize("value", SAMPLES)
def test_the_same_text_as_the_standard_librarys_compact_form(value: Any) -> None:
    assert encode_reply(value) == json.dumps(value, separators=(",", ":")).encode("ascii")


def test_non_ascii_text_is_escaped() -> None:
    body = encode_reply({"result": "caf\u00e9 \u65e5\u672c \U0001f600", "error": None})
    assert body == b'{"result":"caf\\u00e9 \\u65e5\\u672c \\ud83d\\ude00","error":null}'


def test_integer_keys_become_strings() -> None:
    assert encode_reply({1712000000001: [1, 2], 5: None}) == b'{"1712000000001":[1,2],"5":null}'


def test_what_orjson_refuses_goes_through_the_standard_library() -> None:
    assert encode_reply({"big": 2**70}) == b'{"big":1180591620717411303424}'
    assert encode_reply({"lone": "\ud800"}) == b'{"lone":"\\ud800"}'


def test_a_value_that_is_no_json_raises_type_error() -> None:
    with pytest.raises(TypeError, match="set is not JSON serializable"):
        encode_reply({"result": {1, 2}})
