"""The examples of pages marked `<!-- test-page: gui -->`, executed over HTTP against real Anki.

Same format and comparison as tests/fast/test_docs_examples.py (reading and
comparing live in tests/support/docs_examples.py). Per page, a fresh Anki in
its own base folder runs the page's setup over HTTP; notes and cards then get
the documented ids and the collection is saved as the page's template. Every
example starts from that template with Anki's windows closed and the deck list
shown.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from tests.integration.gui_helpers import close_windows
from tests.support import docs_examples
from tests.support.anki import start_anki
from tests.support.client import http_client
from tests.support.docs_examples import ACTION_PAGES, Example, Page, load_page, normalise, send_mapped

PAGES = [page for page in (load_page(path) for path in ACTION_PAGES) if page.gui]
EXAMPLES = [example for page in PAGES for example in page.examples]


class PageAnki:
    """One Anki for one page, able to go back to the state after the page's setup."""

    def __init__(self, page: Page, base: Path) -> None:
        self.page = page
        self.base = base
        self.files = base / "files"
        self.template = base / "template.anki2"
        self.anki = start_anki(base / "anki")
        self.send = http_client(self.anki.url).raw
        self.unsupported_setup: str | None = None

    def request(self, request: Any, prefix: str | None) -> Any:
        return send_mapped(self.send, request, prefix, self.files)

    def set_up(self) -> None:
        for request in self.page.setup:
            reply = self.request(request, self.page.setup_path_prefix)
            if isinstance(reply, dict) and reply.get("error") == "unsupported action":
                # the page needs actions of a category that is not merged into this tree
                self.unsupported_setup = request.get("action")
                return
            assert isinstance(reply, dict) and reply.get("error") is None, (request, reply)
        self.anki.probe(
            "from __future__ import annotations\n"
            + inspect.getsource(docs_examples.renumber_notes_and_cards)
            + f"\nFIRST_NOTE_ID = {docs_examples.FIRST_NOTE_ID}\nNOTE_ID_STEP = {docs_examples.NOTE_ID_STEP}\n"
            + "renumber_notes_and_cards(mw.col.db)\n"
        )
        self._reload(save_template=True)

    def restore(self) -> None:
        close_windows(self.anki)
        self._reload(save_template=False)

    def _reload(self, save_template: bool) -> None:
        """Close the collection (saving it), keep or restore the template, open it again."""
        self.anki.probe(
            f"""
            import shutil
            from pathlib import Path
            mw._docs_reloaded = False
            def reopen():
                path = Path(mw.pm.collectionPath())
                for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                    extra.unlink(missing_ok=True)
                if {save_template!r}:
                    shutil.copyfile(path, {str(self.template)!r})
                else:
                    shutil.copyfile({str(self.template)!r}, path)
                mw.loadCollection()
                mw.moveToState("deckBrowser")
                mw._docs_reloaded = True
            mw.unloadCollection(reopen)
            """
        )
        self.anki.wait_for("result = mw._docs_reloaded and mw.col is not None", timeout=60)

    def stop(self) -> None:
        close_windows(self.anki)
        assert self.anki.error_dialogs() == []
        self.anki.stop()


@pytest.fixture(scope="module")
def page_anki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[Page], PageAnki]]:
    started: dict[Path, PageAnki] = {}

    def get(page: Page) -> PageAnki:
        if page.path not in started:
            running = PageAnki(page, tmp_path_factory.mktemp(f"docs-gui-{page.path.stem}"))
            started[page.path] = running
            running.set_up()
        elif not started[page.path].unsupported_setup:
            started[page.path].restore()
        return started[page.path]

    yield get
    for running in started.values():
        running.stop()


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.label)
def test_gui_docs_example(example: Example, page_anki: Callable[[Page], PageAnki]) -> None:
    if example.skip:
        pytest.skip(example.skip)
    page = next(page for page in PAGES if page.path == example.page)
    running = page_anki(page)
    if running.unsupported_setup:
        pytest.skip(f"the page's setup needs {running.unsupported_setup}, which this tree does not have yet")
    reply = running.request(example.request, example.path_prefix or page.setup_path_prefix)
    assert normalise(reply, example) == normalise(example.expected, example)


def test_the_gui_pages_exist() -> None:
    assert [page.path.name for page in PAGES] == ["graphical.md"]
    assert len(EXAMPLES) >= 20
