"""The fast layer: the API against a real collection in a temporary folder, no Qt."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest
from anki.collection import Collection

from plugin.headless.host import CollectionHost
from plugin.loop import SelectorWatcher
from plugin.service import ApiService
from tests.support.client import ApiClient, dispatcher_client
from tests.support.collections import new_collection


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
def host(col: Collection, config: dict[str, Any]) -> CollectionHost:
    return CollectionHost(col, config=config, environ={})


@pytest.fixture
def service(host: CollectionHost) -> Iterator[ApiService]:
    service = ApiService(host, SelectorWatcher())
    yield service
    service.close()


@pytest.fixture
def call(service: ApiService) -> ApiClient:
    """Run actions through the dispatcher: `call("deckNames")`, `call.error(...)`, `call.raw({...})`."""
    return dispatcher_client(service.dispatcher)
