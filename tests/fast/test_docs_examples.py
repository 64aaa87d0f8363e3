"""Every request/reply example in docs/actions/*.md, executed against a real collection.

The format and its directives are described in tests/support/docs_examples.py
and in docs/README.md. Pages marked as needing Anki's windows run in the
integration layer instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

from plugin.headless.host import CollectionHost
from plugin.loop import SelectorWatcher
from plugin.registry import REGISTRY
from plugin.service import ApiService
from tests.fast.anki_wording import as_this_anki_answers
from tests.support.collections import PROFILE, new_collection
from tests.support.docs_examples import (
    ACTION_PAGES,
    Example,
    Page,
    copy_profile,
    load_page,
    normalise,
    renumber_notes_and_cards,
    send_mapped,
)

PAGES = [load_page(path) for path in ACTION_PAGES]
EXAMPLES = [example for page in PAGES if not page.gui for example in page.examples]


def run(service: ApiService, request: Any, prefix: str | None, files: Path) -> Any:
    return send_mapped(service.dispatcher.handle, request, prefix, files)


def open_service(folder: Path) -> ApiService:
    col = new_collection(folder)
    return ApiService(CollectionHost(col, environ={}), SelectorWatcher())


@pytest.fixture(scope="session")
def page_template(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Page], Path]:
    """The collection of a page after its setup, built once per page."""
    built: dict[Path, Path] = {}

    def build(page: Page) -> Path:
        if page.path not in built:
            folder = tmp_path_factory.mktemp(f"docs-{page.path.stem}")
            service = open_service(folder)
            col = service.host.collection()
            assert col is not None
            for request in page.setup:
                reply = run(service, request, page.setup_path_prefix, folder / "files")
                assert isinstance(reply, dict) and reply.get("error") is None, (request, reply)
            renumber_notes_and_cards(col.db)
            service.close()
            col.close()
            built[page.path] = folder
        return built[page.path]

    return build


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.label)
def test_docs_example(example: Example, page_template: Callable[[Page], Path], tmp_path: Path) -> None:
    if example.skip:
        pytest.skip(example.skip)
    page = next(page for page in PAGES if page.path == example.page)
    template = page_template(page)
    copy_profile(template / PROFILE, tmp_path / PROFILE)
    if (template / "files").exists():
        copy_profile(template / "files", tmp_path / "files")
    service = open_service(tmp_path)
    try:
        prefix = example.path_prefix or page.setup_path_prefix
        reply = run(service, example.request, prefix, tmp_path / "files")
        col = service.host.collection()
        assert col is not None
        # the pages show Anki 26.9's own texts; other Ankis word some of them differently
        expected = as_this_anki_answers(col, example.expected)
        assert normalise(reply, example) == normalise(expected, example)
    finally:
        service.close()
        col = service.host.collection()
        if col is not None:
            col.close()


def test_every_action_has_an_example_in_the_docs() -> None:
    shown = {example.request.get("action") for page in PAGES for example in page.examples}
    assert sorted(set(REGISTRY.names()) - shown) == []


def test_the_example_reader_finds_examples_and_directives(tmp_path: Path) -> None:
    page = tmp_path / "sample.md"
    page.write_text(
        "# Sample\n\n<!-- setup\n"
        '{"action": "createDeck", "version": 6, "params": {"deck": "A"}}\n'
        "-->\n\n<!-- test: any result[*].id; unordered result -->\n"
        '```json\n{"action": "x", "version": 6}\n```\n```json\n{"result": [], "error": null}\n```\n'
        '```json\n{"not": "an example"}\n```\n'
    )
    loaded = load_page(page)
    assert loaded.setup == [{"action": "createDeck", "version": 6, "params": {"deck": "A"}}]
    (example,) = loaded.examples
    assert (example.request, example.expected) == ({"action": "x", "version": 6}, {"result": [], "error": None})
    assert (example.any_paths, example.unordered_paths) == (["result[*].id"], ["result"])
    reply = {"result": [{"id": 5, "n": 2}, {"id": 9, "n": 1}], "error": None}
    expected = {"result": [{"id": 1, "n": 1}, {"id": 2, "n": 2}], "error": None}
    assert normalise(reply, example) == normalise(expected, example)
