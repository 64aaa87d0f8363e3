"""Actions of the graphical category (protocol: actions/graphical.md).

They drive Anki's desktop windows. Parameters are checked first, exactly as
the protocol describes; only then is Anki's main window required, so headless
mode answers bad input with the same errors and everything else with one error
naming headless mode. Modules that import Qt are imported inside the actions,
after that check, because this module is also loaded headless.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from ..errors import ActionError, missing_key
from ..note_input import attach_media, set_fields
from ..registry import action
from .base import ActionsBase

if TYPE_CHECKING:
    from anki.notes import Note

SORT_ORDERS = {"ascending": False, "descending": True}
"""`reorderCards.order` -> sort descending?"""


class GraphicalActions(ActionsBase):
    def _main_window(self, needs_collection: bool = True) -> Any:
        """Anki's main window, after checking that a collection is open if the action needs one."""
        if needs_collection:
            self.col  # noqa: B018 - raises `collection is not available`
        return self.window

    # -- browser ---------------------------------------------------------------------------

    @action()
    def guiBrowse(self, query: Any = None, reorderCards: Any = None) -> list[int]:
        col = self.col
        sort: tuple[str, bool] | None = None
        sort_problem: ActionError | None = None
        try:
            sort = _parse_reorder_cards(reorderCards)
        except ActionError as problem:
            # the original reports this only after opening the browser and searching
            sort_problem = problem
        search: str | None = None
        card_ids: list[int] = []
        if query is not None:
            search = _normalised_search(col, query)
            card_ids = list(col.find_cards(query))
        if sort_problem is not None and self.host.main_window is None:
            raise sort_problem
        window = self._main_window()
        from ..desktop.browser import open_browser, sort_browser

        browser = open_browser(window, search)
        if sort_problem is not None:
            raise sort_problem
        if sort is not None:
            sort_browser(browser, *sort)
        return card_ids

    @action()
    def guiSelectCard(self, card: Any) -> bool:
        return self._select_card(card)

    @action()
    def guiSelectNote(self, note: Any) -> bool:
        # deprecated alias: the value is a card id, despite the name
        return self._select_card(note)

    def _select_card(self, card: Any) -> bool:
        if isinstance(card, bool) or not isinstance(card, int):
            raise ActionError(f"Card was not found: {card}")
        self._main_window()
        from ..desktop.browser import select_card

        return select_card(card)

    @action()
    def guiSelectedNotes(self) -> list[int]:
        self._main_window()
        from ..desktop.browser import selected_note_ids

        return selected_note_ids()

    # -- editing ---------------------------------------------------------------------------

    @action()
    def guiAddCards(self, note: Any = None) -> int:
        from ..desktop.add_cards import open_add_cards

        if note is None:
            return open_add_cards(self._main_window(), None, None)
        if not isinstance(note, dict):
            raise ActionError("note has invalid value")
        prepared, deck_id = self._note_for_add_dialog(note)
        window = self._main_window()  # before any file is stored
        # files are stored now and referenced in the fields, as addNote does
        attach_media(prepared, note, self.media_store)
        return open_add_cards(window, prepared, deck_id)

    def _note_for_add_dialog(self, params: dict[str, Any]) -> tuple[Note, int]:
        """Validate a note object in the protocol's order and build the (unsaved) note."""
        if "deckName" not in params:
            raise missing_key("deckName")
        deck_id = self.get_deck_id(params["deckName"])
        if "modelName" not in params:
            raise missing_key("modelName")
        model = self.get_model(params["modelName"])
        fields = params.get("fields") or {}
        if not isinstance(fields, dict) or not all(isinstance(v, str) for v in fields.values()):
            raise ActionError("fields has invalid value")
        tags = params.get("tags") or []
        if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
            raise ActionError("tags has invalid value")
        note = self.col.new_note(model)
        set_fields(note, fields, match_case=True)  # the Add dialog matches names exactly
        note.tags = list(tags)
        return note, deck_id

    @action()
    def guiEditNote(self, note: Any) -> None:
        found = self.get_note(note)
        window = self._main_window()
        from ..desktop.edit_note import open_edit_window

        open_edit_window(window, found)

    # -- review ----------------------------------------------------------------------------

    @action()
    def guiReviewActive(self) -> bool:
        from ..desktop.review import is_reviewing

        return is_reviewing(self._main_window())

    @action()
    def guiCurrentCard(self) -> dict[str, Any]:
        from ..desktop.review import current_card

        return current_card(self._main_window())

    @action()
    def guiStartCardTimer(self) -> bool:
        from ..desktop.review import start_card_timer

        return start_card_timer(self._main_window())

    @action()
    def guiShowQuestion(self) -> bool:
        from ..desktop.review import show_question

        return show_question(self._main_window())

    @action()
    def guiShowAnswer(self) -> bool:
        from ..desktop.review import show_answer

        return show_answer(self._main_window())

    @action()
    def guiAnswerCard(self, ease: Any) -> bool:
        if isinstance(ease, bool) or not isinstance(ease, int):
            raise ActionError(f"ease must be an integer: {ease}")
        from ..desktop.review import answer_card

        return answer_card(self._main_window(), ease)

    @action()
    def guiPlayAudio(self) -> bool:
        from ..desktop.review import play_audio

        return play_audio(self._main_window())

    # -- main window -----------------------------------------------------------------------

    @action()
    def guiDeckOverview(self, name: Any) -> bool:
        from ..desktop.main_window import show_deck_overview

        return show_deck_overview(self._main_window(), name)

    @action()
    def guiDeckBrowser(self) -> None:
        from ..desktop.main_window import show_deck_browser

        show_deck_browser(self._main_window())

    @action()
    def guiDeckReview(self, name: Any) -> bool:
        from ..desktop.main_window import start_deck_review

        return start_deck_review(self._main_window(), name)

    @action()
    def guiUndo(self) -> bool:
        from ..desktop.main_window import undo

        undo(self._main_window())
        return True

    @action()
    def guiImportFile(self, path: Any = None) -> None:
        if path is not None:
            if not isinstance(path, str):
                raise ActionError("path has invalid value")
            if not os.path.isfile(path):
                raise ActionError(f"file was not found: {path}")
        from ..desktop.main_window import import_file

        import_file(self._main_window(), path)

    @action()
    def guiCheckDatabase(self) -> bool:
        from ..desktop.main_window import check_database

        check_database(self._main_window())
        return True

    @action()
    def guiExitAnki(self) -> None:
        from ..desktop.main_window import exit_anki

        exit_anki(self._main_window(needs_collection=False))


def _parse_reorder_cards(value: Any) -> tuple[str, bool] | None:
    """`reorderCards` -> (column key, descending), with the original's error texts."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ActionError(f"reorderCards should be a dict: {value}")
    if "columnId" not in value or "order" not in value:
        raise ActionError('Must provide a "columnId" and a "order" property"')
    order = value["order"]
    if not isinstance(order, str) or order not in SORT_ORDERS:
        raise ActionError(f"invalid card order: {order}")
    column = value["columnId"]
    if not isinstance(column, str):
        raise ActionError(f"invalid columnId: {column}")
    return column, SORT_ORDERS[order]


def _normalised_search(col: Any, query: Any) -> str:
    """The search as the browser's search box shows it; a bad search is the client's error."""
    from anki.errors import SearchError

    if not isinstance(query, str):
        raise ActionError("query has invalid value")
    try:
        return str(col.build_search_string(query))
    except SearchError as error:
        raise ActionError(str(error)) from None
