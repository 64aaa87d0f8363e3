"""The integration layer: real Anki started offscreen with the add-on installed."""

from __future__ import annotations

from typing import Iterator

import pytest

from tests.support.anki import RunningAnki, start_anki
from tests.support.client import ApiClient, http_client


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration/" in item.nodeid:
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def anki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningAnki]:
    """One Anki for the whole session; tests must not depend on each other's data."""
    running = start_anki(tmp_path_factory.mktemp("anki-session"))
    yield running
    assert running.error_dialogs() == []
    running.stop()


@pytest.fixture
def api(anki: RunningAnki) -> ApiClient:
    """`api("deckNames")` over HTTP against the session's Anki."""
    return http_client(anki.url)
