"""The fast layer: the API against a real collection in a temporary folder, no Qt."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest
from anki.collection import Collection

from plugin.headless.host import CollectionHost
from plugin.headless.runner import HeadlessServer
from plugin.service import ApiService
from tests.support.client import ApiClient, dispatcher_client
from tests.support.collections import RecordingHost, new_collection
from tests.support.headless import LoopDrivenHttp, http_api_client

IN_PROCESS = "in-process"
OVER_HTTP = "headless-http"


@pytest.fixture
def col(tmp_path: Path) -> Iterator[Collection]:
    collection = new_collection(tmp_path)
    yield collection
    collection.close()


@pytest.fixture
def config() -> dict[str, Any]:
    """The add-on config for the test; override the fixture to change it."""
    return {}


@pytest.fixture
def host(col: Collection, config: dict[str, Any]) -> RecordingHost:
    """The headless host of the test's collection; `host.changes` lists what actions reported."""
    return RecordingHost(col, config=config, environ={})


@pytest.fixture
def headless(host: CollectionHost) -> Iterator[HeadlessServer]:
    """The headless server for the test's collection (`python -m plugin serve` minus the port)."""
    server = HeadlessServer(host)
    yield server
    server.close()


@pytest.fixture
def service(headless: HeadlessServer) -> ApiService:
    return headless.service


@pytest.fixture(params=[IN_PROCESS, OVER_HTTP])
def call(request: pytest.FixtureRequest, headless: HeadlessServer) -> Iterator[ApiClient]:
    """Run actions: `call("deckNames")`, `call.error(...)`, `call.raw({...})`.

    Every test using it runs twice: in-process through the dispatcher, and over
    real HTTP against the headless server serving the same collection
    (tests/support/headless.py explains why the test thread drives that
    server's loop). Both share the test's `host`, `service` and `col`.
    """
    if request.param == IN_PROCESS:
        yield dispatcher_client(headless.service.dispatcher)
        return
    http = LoopDrivenHttp(headless)
    yield http_api_client(http)
    http.close()
