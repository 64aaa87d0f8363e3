"""The envelope, reply shapes by version, API keys and `multi` (protocol §3-§9)."""

from __future__ import annotations

from typing import Any

import pytest

from plugin.protocol import MAX_MULTI_DEPTH, MalformedRequest, RequestContext, parse_request
from plugin.service import ApiService
from tests.support.client import ApiClient


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"\xe7\x8c", "'utf-8' codec can't decode bytes in position 0-1: unexpected end of data"),
        (b"{1: 2}", "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"),
        (b'{"action":"x"} x', "Extra data: line 1 column 16 (char 15)"),
        (b"1.2", "1.2 is not of type 'object'"),
        (b"[1, 2]", "[1, 2] is not of type 'object'"),
        (b'"text"', "'text' is not of type 'object'"),
        (b"null", "None is not of type 'object'"),
        (b"{}", "'action' is a required property"),
        (b'{"version": "6"}', "'action' is a required property"),
        (b'{"action": 1}', "1 is not of type 'string'"),
        (b'{"action": ""}', "'' should be non-empty"),
        (b'{"action":"x","version":"6"}', "'6' is not of type 'integer'"),
        (b'{"action":"x","version":true}', "True is not of type 'integer'"),
        (b'{"action":"x","version":6.5}', "6.5 is not of type 'integer'"),
        (b'{"action":"x","params":null}', "None is not of type 'object'"),
        (b'{"action":"x","params":[]}', "[] is not of type 'object'"),
    ],
)
def test_malformed_bodies_get_the_originals_first_line(body: bytes, message: str) -> None:
    with pytest.raises(MalformedRequest) as raised:
        parse_request(body)
    assert str(raised.value) == message


def test_a_float_version_without_fraction_passes_as_an_integer() -> None:
    assert parse_request(b'{"action": "version", "version": 6.0}') == {"action": "version", "version": 6.0}


def test_deeply_nested_json_is_refused_cleanly() -> None:
    with pytest.raises(MalformedRequest) as raised:
        parse_request(b"[" * 100_000 + b"]" * 100_000)
    assert str(raised.value) == "request is nested too deeply"


def test_extra_members_are_ignored(call: ApiClient) -> None:
    assert call.raw({"action": "version", "version": 6, "extra": [1]}) == {"result": 6, "error": None}


@pytest.mark.parametrize("version", [None, 0, -3, 1, 2, 4, 4.0])
def test_versions_up_to_4_get_the_bare_result(call: ApiClient, version: Any) -> None:
    request: dict[str, Any] = {"action": "version"}
    if version is not None:
        request["version"] = version
    assert call.raw(request) == 6


@pytest.mark.parametrize("version", [5, 6, 6.0, 7, 100])
def test_versions_from_5_get_result_and_error(call: ApiClient, version: Any) -> None:
    assert call.raw({"action": "version", "version": version}) == {"result": 6, "error": None}


@pytest.mark.parametrize("version", [None, 2, 6])
def test_errors_are_objects_at_every_version(call: ApiClient, version: Any) -> None:
    request: dict[str, Any] = {"action": "nope"}
    if version is not None:
        request["version"] = version
    assert call.raw(request) == {"result": None, "error": "unsupported action"}


def test_an_object_result_at_version_4_is_returned_as_is(call: ApiClient) -> None:
    reply = call.raw({"action": "requestPermission", "params": {}})
    assert reply == {"permission": "granted", "requireApikey": False, "version": 6}


def test_parameter_errors_are_replies(call: ApiClient) -> None:
    assert call.raw({"action": "version", "version": 6, "params": {"x": 1}}) == {
        "result": None,
        "error": "AnkiConnect.version() got an unexpected keyword argument 'x'",
    }
    assert (
        call.error("getProfiles", foobar=1) == "AnkiConnect.getProfiles() got an unexpected keyword argument 'foobar'"
    )


def test_action_names_are_case_sensitive(call: ApiClient) -> None:
    assert call.error("Version") == "unsupported action"


@pytest.mark.parametrize(
    "removed", ["isSuspended", "upgrade", "updateCompleteDeck", "editFieldNames", "getReviewsOfCard"]
)
def test_removed_names_are_unsupported(call: ApiClient, removed: str) -> None:
    assert call.error(removed) == "unsupported action"


def test_internal_names_are_unsupported(call: ApiClient) -> None:
    for name in ("col", "settings", "host", "dispatcher", "_granted", "__init__", "window"):
        assert call.error(name) == "unsupported action"


# -- API key -------------------------------------------------------------------------------


class TestApiKey:
    @pytest.fixture
    def config(self) -> dict[str, Any]:
        return {"apiKey": "secret"}

    def test_the_right_key_passes(self, call: ApiClient) -> None:
        assert call.raw({"action": "version", "version": 6, "key": "secret"}) == {"result": 6, "error": None}

    @pytest.mark.parametrize("key", [None, "", "Secret", "secret ", 1])
    def test_any_other_key_is_refused(self, call: ApiClient, key: Any) -> None:
        request: dict[str, Any] = {"action": "version", "version": 6}
        if key is not None:
            request["key"] = key
        assert call.raw(request) == {"result": None, "error": "valid api key must be provided"}

    def test_the_key_is_checked_before_the_action_is_looked_up(self, call: ApiClient) -> None:
        assert call.raw({"action": "nope"}) == {"result": None, "error": "valid api key must be provided"}

    def test_request_permission_needs_no_key(self, call: ApiClient) -> None:
        reply = call.raw({"action": "requestPermission", "version": 6})
        assert reply == {"result": {"permission": "granted", "requireApikey": True, "version": 6}, "error": None}

    def test_each_multi_element_needs_its_own_key(self, call: ApiClient) -> None:
        reply = call.raw(
            {
                "action": "multi",
                "version": 6,
                "key": "secret",
                "params": {"actions": [{"action": "version", "key": "secret"}, {"action": "version"}]},
            }
        )
        assert reply == {"result": [6, {"result": None, "error": "valid api key must be provided"}], "error": None}

    def test_a_bearer_header_authenticates_requests_without_a_key(self, service: ApiService) -> None:
        context = RequestContext(header_key="secret")
        handle = service.dispatcher.handle
        assert handle({"action": "version", "version": 6}, context) == {"result": 6, "error": None}
        wrong = RequestContext(header_key="guess")
        assert handle({"action": "version", "version": 6}, wrong)["error"] == "valid api key must be provided"
        # a key in the body is what counts when both are given
        assert handle({"action": "version", "version": 6, "key": "x"}, context)["error"] is not None


class TestEmptyApiKey:
    @pytest.fixture
    def config(self) -> dict[str, Any]:
        return {"apiKey": ""}

    def test_an_empty_key_is_not_off(self, call: ApiClient) -> None:
        assert call.raw({"action": "version"})["error"] == "valid api key must be provided"
        assert call.raw({"action": "version", "key": ""}) == 6
        assert call("requestPermission") == {"permission": "granted", "requireApikey": False, "version": 6}


def test_without_a_configured_key_sending_one_is_refused(call: ApiClient) -> None:
    assert call.raw({"action": "version", "key": "abc"}) == {"result": None, "error": "valid api key must be provided"}


# -- multi ---------------------------------------------------------------------------------


def test_multi_example_of_the_protocol(call: ApiClient) -> None:
    reply = call.raw(
        {
            "action": "multi",
            "version": 6,
            "params": {
                "actions": [
                    {"action": "version"},
                    {"action": "version", "version": 6},
                    {"action": "bogus", "version": 6},
                    {"action": "version", "params": {"x": 1}},
                ]
            },
        }
    )
    assert reply == {
        "result": [
            6,
            {"result": 6, "error": None},
            {"result": None, "error": "unsupported action"},
            {"result": None, "error": "AnkiConnect.version() got an unexpected keyword argument 'x'"},
        ],
        "error": None,
    }


def test_multi_at_version_4_is_a_bare_list_of_bare_results(call: ApiClient) -> None:
    assert call.raw({"action": "multi", "params": {"actions": [{"action": "version"}]}}) == [6]


def test_multi_elements_without_action_are_unsupported(call: ApiClient) -> None:
    assert call("multi", actions=[{}]) == [{"result": None, "error": "unsupported action"}]


def test_a_non_object_element_fails_the_whole_multi(call: ApiClient) -> None:
    assert call.error("multi", actions=[{"action": "version"}, "version"]) == "'str' object has no attribute 'get'"


@pytest.mark.parametrize(("version", "type_name"), [("6", "str"), (None, "NoneType")])
def test_a_non_numeric_element_version_fails_that_slot_after_running(
    call: ApiClient, version: Any, type_name: str
) -> None:
    reply = call("multi", actions=[{"action": "version", "version": version}])
    assert reply == [{"result": None, "error": f"'<=' not supported between instances of '{type_name}' and 'int'"}]


def test_element_params_that_are_not_an_object(call: ApiClient) -> None:
    reply = call("multi", actions=[{"action": "version", "params": [1]}])
    assert reply == [{"result": None, "error": "AnkiConnect.version() argument after ** must be a mapping, not list"}]


def test_nested_multi_three_levels_like_obsidian(call: ApiClient) -> None:
    inner = {"action": "multi", "version": 6, "params": {"actions": [{"action": "version", "version": 6}]}}
    middle = {"action": "multi", "version": 6, "params": {"actions": [inner, inner]}}
    reply = call("multi", actions=[middle])
    leaf = {"result": [{"result": 6, "error": None}], "error": None}
    assert reply == [{"result": [leaf, leaf], "error": None}]


def test_multi_nesting_has_a_bound(call: ApiClient) -> None:
    request: dict[str, Any] = {"action": "version", "version": 6}
    for _ in range(MAX_MULTI_DEPTH + 1):
        request = {"action": "multi", "version": 6, "params": {"actions": [request]}}
    reply = call.raw(request)
    for _ in range(MAX_MULTI_DEPTH + 1):  # the outermost multi and 16 nested ones run
        assert reply["error"] is None
        reply = reply["result"][0]
    assert reply == {"result": None, "error": f"multi is nested more than {MAX_MULTI_DEPTH} levels deep"}


def test_multi_needs_a_list(call: ApiClient) -> None:
    assert call.error("multi", actions={"action": "version"}) == "actions has invalid value"
    assert call.error("multi") == "AnkiConnect.multi() missing 1 required positional argument: 'actions'"


def test_request_permission_inside_multi_gets_no_injected_parameters(call: ApiClient) -> None:
    reply = call("multi", actions=[{"action": "requestPermission", "version": 6}])
    assert reply == [
        {
            "result": None,
            "error": "AnkiConnect.requestPermission() missing 2 required positional arguments: 'origin' and 'allowed'",
        }
    ]


def test_request_permission_inside_multi_uses_given_parameters(call: ApiClient) -> None:
    reply = call("multi", actions=[{"action": "requestPermission", "params": {"origin": "x", "allowed": True}}])
    assert reply == [{"permission": "granted", "requireApikey": False, "version": 6}]


def test_injected_parameters_overwrite_client_values(call: ApiClient) -> None:
    reply = call.raw({"action": "requestPermission", "params": {"allowed": False, "origin": "http://evil.example"}})
    assert reply == {"permission": "granted", "requireApikey": False, "version": 6}
