"""What the API does headless that it does not in the desktop app.

The action tests of every category already run headless: the `call` fixture
runs each of them in-process and over HTTP against the headless server (see
tests/fast/conftest.py). This module covers what only headless mode has:
graphical actions answer one clear error, nobody can be asked for permission.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection

from plugin.actions.base import ActionsBase
from plugin.headless.host import CollectionHost
from plugin.headless.runner import HeadlessServer
from plugin.loop import SelectorWatcher
from plugin.protocol import Dispatcher
from plugin.registry import REGISTRY, Registry
from plugin.service import ApiService
from tests.support.client import ApiClient, dispatcher_client
from tests.support.docs_examples import DOCS, load_page, renumber_notes_and_cards, send_mapped
from tests.support.headless import LoopDrivenHttp
from tools.protocol_actions import ACTIONS_BY_CATEGORY

HEADLESS_ERROR = "this action needs Anki's windows; it is not available in headless mode"
GRAPHICAL_PAGE = DOCS / "actions" / "graphical.md"


# -- graphical actions ------------------------------------------------------------------------


GRAPHICAL_ACTIONS = [
    pytest.param(
        name,
        marks=[] if name in REGISTRY else [pytest.mark.skip(reason="this graphical action is not implemented yet")],
    )
    for name in sorted(ACTIONS_BY_CATEGORY["graphical"])
]


@pytest.mark.parametrize("name", GRAPHICAL_ACTIONS)
def test_every_graphical_action_answers_one_clear_error(
    name: str, call: ApiClient, col: Collection, tmp_path: Path
) -> None:
    """Each documented request of a graphical action, on the page's own set-up, gets the headless error.

    Examples whose documented reply is an error may get that error instead: a
    graphical action may check its parameters before it needs a window.
    """
    page = load_page(GRAPHICAL_PAGE)
    examples = [example for example in page.examples if example.request.get("action") == name]
    assert examples, f"{GRAPHICAL_PAGE.name} shows no example of {name}"
    files = tmp_path / "files"
    for request in page.setup:
        reply = send_mapped(call.raw, request, page.setup_path_prefix, files)
        assert isinstance(reply, dict) and reply.get("error") is None, (request, reply)
    renumber_notes_and_cards(col.db)

    for example in examples:
        prefix = example.path_prefix or page.setup_path_prefix
        reply = send_mapped(call.raw, example.request, prefix, files)
        documented_error = example.expected.get("error") if isinstance(example.expected, dict) else None
        allowed = [{"result": None, "error": HEADLESS_ERROR}]
        if documented_error is not None:
            allowed.append({"result": None, "error": documented_error})
        assert reply in allowed, f"{example.label}: {reply}"


def test_the_window_of_the_headless_host_is_the_headless_error(host: CollectionHost) -> None:
    """What every graphical action relies on: `self.window` names headless mode."""
    registry = Registry()

    class WindowActions(ActionsBase):
        @registry.action()
        def guiProbe(self, card: int) -> Any:
            return self.window.findChild(card)

    api = WindowActions()
    api.host = host
    dispatcher = Dispatcher(api, host, registry)
    reply = dispatcher.handle({"action": "guiProbe", "version": 6, "params": {"card": 1}})
    assert reply == {"result": None, "error": HEADLESS_ERROR}


# -- sync without a collection ------------------------------------------------------------------


def test_sync_reports_a_missing_login_before_a_missing_collection() -> None:
    def call_without_collection(environ: dict[str, str]) -> ApiClient:
        return dispatcher_client(ApiService(CollectionHost(None, environ=environ), SelectorWatcher()).dispatcher)

    assert call_without_collection({}).error("sync") == "sync: auth not configured"
    login = {"ANKICONNECT_SYNC_USER": "me", "ANKICONNECT_SYNC_PASSWORD": "pw"}
    assert call_without_collection(login).error("sync") == "collection is not available"


# -- permission: nobody to ask ------------------------------------------------------------------


class TestPermissionHeadless:
    @pytest.fixture
    def config_file(self, tmp_path: Path) -> Path:
        path = tmp_path / "ankiconnect.json"
        path.write_text(json.dumps({"webCorsOriginList": ["http://localhost", "https://known.example"]}))
        return path

    @pytest.fixture
    def http(self, col: Collection, config_file: Path) -> Any:
        config = json.loads(config_file.read_text())
        host = CollectionHost(col, config=config, config_path=str(config_file), environ={})
        server = HeadlessServer(host)
        http = LoopDrivenHttp(server)
        yield http
        http.close()
        server.close()

    def post(self, http: LoopDrivenHttp, origin: str, request: dict[str, Any]) -> tuple[int, Any]:
        status, body = http.exchange(json.dumps(request).encode(), {"Origin": origin})
        return status, json.loads(body) if body else None

    def test_an_unknown_page_is_denied_without_a_question(self, http: LoopDrivenHttp, config_file: Path) -> None:
        before = config_file.read_text()
        request = {"action": "requestPermission", "version": 6}
        assert self.post(http, "https://unknown.example", request) == (
            200,
            {"result": {"permission": "denied"}, "error": None},
        )
        assert self.post(http, "https://unknown.example", {"action": "version", "version": 6}) == (403, None)
        assert config_file.read_text() == before

    def test_a_listed_page_is_granted(self, http: LoopDrivenHttp) -> None:
        request = {"action": "requestPermission", "version": 6}
        assert self.post(http, "https://known.example", request) == (
            200,
            {"result": {"permission": "granted", "requireApikey": False, "version": 6}, "error": None},
        )
