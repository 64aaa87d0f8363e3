"""The add-on's own note editor window, opened by `guiEditNote`.

Like Anki's *Edit Current*, for any note, plus Preview, Browse and
Previous/Next buttons that walk the notes recently opened through the API.
It follows API changes: when another operation changes the note's text, the
editor reloads the note rather than later saving its stale copy over it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

import aqt
import aqt.editor
from anki.cards import Card
from anki.collection import OpChanges
from anki.errors import NotFoundError
from anki.notes import NoteId
from aqt import gui_hooks
from aqt.browser.previewer import MultiCardPreviewer
from aqt.qt import QDialog, QDialogButtonBox, QKeySequence, QPushButton, Qt, QVBoxLayout, QWidget
from aqt.utils import restoreGeom, saveGeom

from .windows import bring_to_front

if TYPE_CHECKING:
    from anki.notes import Note
    from aqt.main import AnkiQt

DIALOG_NAME = "ankiconnect-edit-note"
WINDOW_OBJECT_NAME = "ankiconnect-edit-note"
HISTORY_LIMIT = 25


def open_edit_window(mw: AnkiQt, note: Note) -> EditNoteWindow:
    """Open the window on `note`, or show `note` in the window already open."""
    _register()
    window: EditNoteWindow = aqt.dialogs.open(DIALOG_NAME, mw, note)
    return window


def _register() -> None:
    if DIALOG_NAME not in aqt.dialogs._dialogs:
        aqt.dialogs.register_dialog(DIALOG_NAME, EditNoteWindow)


class EditNoteWindow(QDialog):
    def __init__(self, mw: AnkiQt, note: Note) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.mw = mw
        self.setObjectName(WINDOW_OBJECT_NAME)
        self.history: list[int] = []
        self.position = -1
        self.previewer: NotePreviewer | None = None
        self._closed = False
        self.setMinimumSize(400, 300)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        fields = QWidget(self)
        layout.addWidget(fields, 1)
        self.editor = aqt.editor.Editor(mw, fields, self, editor_mode=aqt.editor.EditorMode.EDIT_CURRENT)
        self.buttons = QDialogButtonBox(Qt.Orientation.Horizontal, self)
        layout.addWidget(self.buttons)
        self.preview_button = self._button("Preview", self.show_preview, "Ctrl+Shift+P")
        self.browse_button = self._button("Browse", self.show_in_browser, "Ctrl+B")
        self.previous_button = self._button("Previous", self.show_previous, "Alt+Left")
        self.next_button = self._button("Next", self.show_next, "Alt+Right")
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        assert close is not None
        close.setShortcut(QKeySequence("Ctrl+Return"))
        self.buttons.rejected.connect(self.close)
        gui_hooks.operation_did_execute.append(self.on_operation_did_execute)
        restoreGeom(self, "ankiconnect-edit-note")
        self._open(note, remember=True)
        bring_to_front(self)

    def _button(self, label: str, slot: Callable[[], None], shortcut: str) -> QPushButton:
        button = self.buttons.addButton(label, QDialogButtonBox.ButtonRole.ActionRole)
        assert button is not None
        button.setAutoDefault(False)
        button.setShortcut(QKeySequence(shortcut))
        button.clicked.connect(lambda *_: slot())
        return button

    # -- which note is shown -------------------------------------------------------------

    @property
    def note(self) -> Note | None:
        return self.editor.note

    def reopen(self, mw: AnkiQt, note: Note) -> None:
        """`aqt.dialogs.open` on the open window: save the shown note, then show `note`."""
        self.editor.call_after_note_saved(lambda: self._open(note, remember=True))

    def _open(self, note: Note, remember: bool) -> None:
        if self._closed:
            return
        if remember:
            self.history = [nid for nid in self.history[: self.position + 1] if nid != note.id]
            self.history = [*self.history, note.id][-HISTORY_LIMIT:]
            self.position = len(self.history) - 1
        self.editor.set_note(note, focusTo=0)
        self.setWindowTitle(f"Edit note {note.id}")
        self._update_buttons()
        if self.previewer is not None:
            self.previewer.show_note_changed()

    def show_previous(self) -> None:
        self._walk(-1)

    def show_next(self) -> None:
        self._walk(+1)

    def _walk(self, step: int) -> None:
        def after_saving() -> None:
            target = self.position + step
            while 0 <= target < len(self.history):
                try:
                    note = self.mw.col.get_note(NoteId(self.history[target]))  # type: ignore[union-attr]
                except NotFoundError:
                    del self.history[target]
                    if step < 0:
                        target -= 1
                    continue
                self.position = target
                self._open(note, remember=False)
                return
            self._update_buttons()

        self.editor.call_after_note_saved(after_saving)

    def _update_buttons(self) -> None:
        self.previous_button.setEnabled(self.position > 0)
        self.next_button.setEnabled(self.position < len(self.history) - 1)

    # -- other windows -------------------------------------------------------------------

    def show_in_browser(self) -> None:
        note = self.note
        if note is None:
            return
        note_id = note.id
        self.editor.call_after_note_saved(lambda: _browse_note(self.mw, note_id))

    def show_preview(self) -> None:
        if self.previewer is not None:
            bring_to_front(self.previewer)
            return
        self.previewer = NotePreviewer(self, self.mw, self._on_preview_closed)
        self.previewer.open()

    def _on_preview_closed(self) -> None:
        self.previewer = None

    # -- changes made elsewhere ------------------------------------------------------------

    def on_operation_did_execute(self, changes: OpChanges, handler: object | None) -> None:
        if not changes.note_text or handler is self.editor or self.note is None:
            return
        note = self.note
        try:
            note.load()
        except NotFoundError:
            self.editor.set_note(None)
            self.close()
            return
        self.editor.set_note(note)
        if self.previewer is not None:
            self.previewer.show_note_changed()

    # -- closing ---------------------------------------------------------------------------

    def closeWithCallback(self, callback: Callable[[], None]) -> None:  # noqa: N802 - Anki calls this name
        """Used by Anki when it closes every window (profile close, exit)."""

        def after_saving() -> None:
            self._cleanup()
            QDialog.reject(self)
            callback()

        self.editor.call_after_note_saved(after_saving)

    def reject(self) -> None:
        def after_saving() -> None:
            self._cleanup()
            QDialog.reject(self)

        self.editor.call_after_note_saved(after_saving)

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        if self._closed:
            event.accept()
            return
        event.ignore()
        self.reject()

    def _cleanup(self) -> None:
        if self._closed:
            return
        self._closed = True
        gui_hooks.operation_did_execute.remove(self.on_operation_did_execute)
        if self.previewer is not None:
            self.previewer.close()
        self.editor.cleanup()
        saveGeom(self, "ankiconnect-edit-note")
        aqt.dialogs.markClosed(DIALOG_NAME)
        self.mw.deferred_delete_and_garbage_collect(self)


def _browse_note(mw: AnkiQt, note_id: int) -> None:
    from .browser import open_browser

    open_browser(mw, f"nid:{note_id}")


class NotePreviewer(MultiCardPreviewer):
    """Anki's previewer over the cards of the note shown in the edit window."""

    def __init__(self, window: EditNoteWindow, mw: AnkiQt, on_close: Callable[[], None]) -> None:
        super().__init__(parent=None, mw=mw, on_close=on_close)
        self.window_ = window
        self.index = 0
        self.last_card_id: int | None = None

    def _cards(self) -> list[Card]:
        note = self.window_.note
        return note.cards() if note is not None else []

    def card(self) -> Card | None:
        cards = self._cards()
        if not cards:
            return None
        self.index = min(self.index, len(cards) - 1)
        return cards[self.index]

    def card_changed(self) -> bool:
        card = self.card()
        card_id = card.id if card is not None else None
        changed = card_id != self.last_card_id
        self.last_card_id = card_id
        return changed

    def show_note_changed(self) -> None:
        self.index = 0
        self.render_card()

    def _on_prev_card(self) -> None:
        if self.index > 0:
            self.index -= 1
            self.render_card()

    def _on_next_card(self) -> None:
        if self.index < len(self._cards()) - 1:
            self.index += 1
            self.render_card()

    def _should_enable_prev(self) -> bool:
        return super()._should_enable_prev() or self.index > 0

    def _should_enable_next(self) -> bool:
        return super()._should_enable_next() or self.index < len(self._cards()) - 1
