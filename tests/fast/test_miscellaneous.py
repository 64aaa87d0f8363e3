"""Miscellaneous actions (protocol: actions/miscellaneous.md) against a real collection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection

from plugin.headless.host import CollectionHost
from plugin.host import PermissionAnswer
from plugin.protocol import RequestContext
from plugin.registry import REGISTRY
from plugin.service import ApiService
from tests.support.client import ApiClient, dispatcher_client
from tests.support.collections import new_collection
from tools.protocol_actions import ALL_ACTIONS


def add_basic_note(col: Collection, front: str, back: str, deck: str = "Default") -> int:
    deck_id = col.decks.id(deck)
    assert deck_id is not None
    note = col.new_note(col.models.by_name("Basic"))  # type: ignore[arg-type]
    note["Front"], note["Back"] = front, back
    col.add_note(note, deck_id)
    return note.id


# -- version ------------------------------------------------------------------------------


def test_version(call: ApiClient) -> None:
    assert call("version") == 6
    assert call.raw({"action": "version"}) == 6


class TestApiVersionSetting:
    @pytest.fixture
    def config(self) -> dict[str, Any]:
        return {"apiVersion": 5}

    def test_the_setting_is_reported(self, call: ApiClient) -> None:
        assert call("version") == 5
        assert call("requestPermission") == {"permission": "granted", "requireApikey": False, "version": 5}


# -- requestPermission --------------------------------------------------------------------


class AskingHost(CollectionHost):
    """A host whose user answers permission questions as scripted."""

    def __init__(self, col: Collection, answer: PermissionAnswer, config: dict[str, Any]) -> None:
        super().__init__(col, config=config, environ={})
        self.answer = answer
        self.asked: list[str] = []

    def ask_permission(self, origin: str) -> PermissionAnswer:
        self.asked.append(origin)
        return self.answer


def permission(service: ApiService, origin: str, allowed: bool) -> Any:
    context = RequestContext(origin=origin, origin_allowed=allowed)
    return service.dispatcher.handle({"action": "requestPermission", "version": 6}, context)


def asking_service(col: Collection, answer: PermissionAnswer, config: dict[str, Any] | None = None) -> ApiService:
    from plugin.loop import SelectorWatcher

    return ApiService(AskingHost(col, answer, config or {}), SelectorWatcher())


def test_an_allowed_origin_is_granted_without_asking(col: Collection) -> None:
    service = asking_service(col, PermissionAnswer(granted=False))
    reply = permission(service, "chrome-extension://abc", allowed=True)
    assert reply == {"result": {"permission": "granted", "requireApikey": False, "version": 6}, "error": None}
    assert service.host.asked == []  # type: ignore[attr-defined]


def test_yes_adds_the_origin_to_the_allowed_list(col: Collection) -> None:
    service = asking_service(col, PermissionAnswer(granted=True))
    reply = permission(service, "https://example.org", allowed=False)
    assert reply["result"] == {"permission": "granted", "requireApikey": False, "version": 6}
    assert service.host.asked == ["https://example.org"]  # type: ignore[attr-defined]
    assert service.host.settings().webCorsOriginList == ["http://localhost", "https://example.org"]


def test_no_with_ignore_adds_the_origin_to_the_ignore_list(col: Collection) -> None:
    service = asking_service(col, PermissionAnswer(granted=False, ignore_origin=True))
    assert permission(service, "https://spam.example", allowed=False)["result"] == {"permission": "denied"}
    assert service.host.settings().ignoreOriginList == ["https://spam.example"]
    # now denied silently
    assert permission(service, "https://spam.example", allowed=False)["result"] == {"permission": "denied"}
    assert service.host.asked == ["https://spam.example"]  # type: ignore[attr-defined]


def test_no_without_ignore_changes_nothing(col: Collection) -> None:
    service = asking_service(col, PermissionAnswer(granted=False))
    assert permission(service, "https://maybe.example", allowed=False)["result"] == {"permission": "denied"}
    settings = service.host.settings()
    assert (settings.webCorsOriginList, settings.ignoreOriginList) == (["http://localhost"], [])


def test_an_ignored_origin_is_denied_without_asking(col: Collection) -> None:
    service = asking_service(col, PermissionAnswer(granted=True), {"ignoreOriginList": ["https://x.example"]})
    assert permission(service, "https://x.example", allowed=False)["result"] == {"permission": "denied"}
    assert service.host.asked == []  # type: ignore[attr-defined]


def test_require_apikey_reflects_the_setting(col: Collection) -> None:
    service = asking_service(col, PermissionAnswer(granted=False), {"apiKey": "k"})
    assert permission(service, "", allowed=True)["result"]["requireApikey"] is True


# -- apiReflect ---------------------------------------------------------------------------


def test_api_reflect_example(call: ApiClient) -> None:
    result = call("apiReflect", scopes=["actions", "colors"], actions=["guiEditNote", "makeCoffee", "multi", "multi"])
    expected = [name for name in ["guiEditNote", "multi", "multi"] if name in REGISTRY]
    assert result == {"scopes": ["actions"], "actions": expected}


def test_api_reflect_lists_every_action_alphabetically(call: ApiClient) -> None:
    result = call("apiReflect", scopes=["actions"])
    assert result["scopes"] == ["actions"]
    assert result["actions"] == sorted(result["actions"])
    assert {"version", "multi", "apiReflect", "requestPermission"} <= set(result["actions"])
    assert "col" not in result["actions"]


def test_api_reflect_lists_only_protocol_actions(call: ApiClient) -> None:
    listed = call("apiReflect", scopes=["actions"])["actions"]
    assert set(listed) <= ALL_ACTIONS, "only protocol actions are public"


def test_api_reflect_without_the_actions_scope(call: ApiClient) -> None:
    assert call("apiReflect", scopes=["colors"], actions=["version"]) == {"scopes": []}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "scopes has invalid value"),
        ({"scopes": "actions"}, "scopes has invalid value"),
        ({"scopes": ["actions"], "actions": "version"}, "actions has invalid value"),
        ({"scopes": ["actions"], "actions": ["version", 5]}, "attribute name must be string, not 'int'"),
    ],
)
def test_api_reflect_errors(call: ApiClient, params: dict[str, Any], message: str) -> None:
    assert call.error("apiReflect", **params) == message


# -- profiles -----------------------------------------------------------------------------


def test_profiles_describe_the_open_collection(call: ApiClient) -> None:
    assert call("getProfiles") == ["User 1"]
    assert call("getActiveProfile") == "User 1"
    assert call("loadProfile", name="User 1") is True
    assert call("loadProfile", name="Work") is False
    assert call.error("loadProfile") == "AnkiConnect.loadProfile() missing 1 required positional argument: 'name'"


def test_the_profile_name_comes_from_the_collection_folder(tmp_path: Path) -> None:
    col = new_collection(tmp_path, profile="Work")
    try:
        host = CollectionHost(col, environ={})
        assert host.profile_names() == ["Work"]
    finally:
        col.close()


# -- collection availability ----------------------------------------------------------------


@pytest.fixture
def no_collection_call() -> ApiClient:
    from plugin.loop import SelectorWatcher

    host = CollectionHost(None, environ={})
    return dispatcher_client(ApiService(host, SelectorWatcher()).dispatcher)


@pytest.mark.parametrize(
    ("action", "params"),
    [
        ("reloadCollection", {}),
        ("exportPackage", {"deck": "Default", "path": "/tmp/x.apkg"}),
        ("importPackage", {"path": "/tmp/x.apkg"}),
    ],
)
def test_collection_actions_need_a_collection(no_collection_call: ApiClient, action: str, params: Any) -> None:
    assert no_collection_call.error(action, **params) == "collection is not available"


def test_actions_that_work_without_a_collection(no_collection_call: ApiClient) -> None:
    assert no_collection_call("version") == 6
    assert no_collection_call("requestPermission") == {"permission": "granted", "requireApikey": False, "version": 6}
    assert no_collection_call("apiReflect", scopes=[]) == {"scopes": []}
    assert no_collection_call("multi", actions=[{"action": "version"}]) == [6]
    assert no_collection_call("getActiveProfile") is None


def test_reload_collection(call: ApiClient) -> None:
    assert call("reloadCollection") is None


# -- sync -----------------------------------------------------------------------------------


def test_sync_without_a_login(call: ApiClient) -> None:
    assert call.error("sync") == "sync: auth not configured"


# -- packages -------------------------------------------------------------------------------


def test_export_and_import_a_deck_package(col: Collection, call: ApiClient, tmp_path: Path) -> None:
    col.decks.id("Spanish")
    add_basic_note(col, "perro", "dog", "Spanish")
    add_basic_note(col, "gato", "cat", "Spanish")
    add_basic_note(col, "elsewhere", "x", "Default")
    path = tmp_path / "exports" / "spanish.apkg"
    path.parent.mkdir()

    assert call("exportPackage", deck="Spanish", path=str(path), includeSched=True) is True
    assert path.stat().st_size > 0

    other = new_collection(tmp_path / "other")
    try:
        from plugin.loop import SelectorWatcher

        other_call = dispatcher_client(ApiService(CollectionHost(other, environ={}), SelectorWatcher()).dispatcher)
        assert other_call("importPackage", path=str(path)) is True
        fronts = sorted(other.get_note(nid)["Front"] for nid in other.find_notes(""))
        assert fronts == ["gato", "perro"]
        assert other.decks.id_for_name("Spanish") is not None
    finally:
        other.close()


def test_export_of_an_unknown_deck_is_false(call: ApiClient, tmp_path: Path) -> None:
    path = tmp_path / "none.apkg"
    assert call("exportPackage", deck="Nope", path=str(path)) is False
    assert not path.exists()


def test_import_of_a_missing_file_reports_the_error(call: ApiClient, tmp_path: Path) -> None:
    message = call.error("importPackage", path=str(tmp_path / "missing.apkg"))
    assert "missing.apkg" in message or "No such file" in message


def test_import_resolves_relative_paths_against_the_media_folder(
    col: Collection, call: ApiClient, tmp_path: Path
) -> None:
    add_basic_note(col, "uno", "one")
    media_package = Path(col.media.dir()) / "pkg.apkg"
    assert call("exportPackage", deck="Default", path=str(media_package)) is True
    col.remove_notes(col.find_notes(""))
    assert call("importPackage", path="pkg.apkg") is True
    assert [col.get_note(nid)["Front"] for nid in col.find_notes("")] == ["uno"]
