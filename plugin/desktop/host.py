"""The host inside Anki's desktop app."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from anki.collection import OpChanges
from aqt import gui_hooks
from aqt.qt import QTimer

from ..config import Settings
from ..errors import ActionError
from ..host import Host, PermissionAnswer, op_changes
from ..sync import run_sync
from . import dialogs
from .refresh import current_window, refresh_unfocused_windows

if TYPE_CHECKING:
    from anki.collection import Collection
    from aqt.main import AnkiQt


REFRESH_QUIET_MS = 100
"""Windows are refreshed once no change has come for this long: unnoticeable to a person."""
REFRESH_MAX_DELAY_S = 1.0
"""Under steady load they are refreshed at least this often all the same."""


class DesktopHost(Host):
    kind = "desktop"

    def __init__(self, mw: AnkiQt, module: str) -> None:
        self.mw = mw
        self.module = module
        self._settings: Settings | None = None
        self._pending_changes: OpChanges | None = None
        self._pending_since = 0.0
        self._refresh_timer = QTimer(mw)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.timeout.connect(self._flush_changes)
        self._asking_permission = False

    # -- collection and config ---------------------------------------------------------

    def collection(self) -> Collection | None:
        return self.mw.col

    def settings(self) -> Settings:
        # Cached; Anki calls `invalidate_settings` when the user edits the config.
        if self._settings is None:
            self._settings = Settings.from_mapping(self.mw.addonManager.getConfig(self.module))
        return self._settings

    def invalidate_settings(self) -> None:
        self._settings = None

    def update_config(self, changes: dict[str, Any]) -> None:
        config = self.mw.addonManager.getConfig(self.module) or {}
        config.update(changes)
        self.mw.addonManager.writeConfig(self.module, config)
        self._settings = None

    # -- the person at the desk --------------------------------------------------------

    def ask_permission(self, origin: str) -> PermissionAnswer:
        if self._asking_permission:
            # one question at a time; a page cannot stack dialogs
            return PermissionAnswer(granted=False)
        self._asking_permission = True
        try:
            return dialogs.ask_permission(self.mw, origin)
        finally:
            self._asking_permission = False

    # -- profiles ----------------------------------------------------------------------

    def profile_names(self) -> list[str]:
        return list(self.mw.pm.profiles())

    def active_profile(self) -> str | None:
        return self.mw.pm.name

    def load_profile(self, name: str) -> bool:
        if name not in self.mw.pm.profiles():
            return False
        if self.mw.col is not None and self.mw.pm.name == name:
            return True
        # Switch after the reply is sent; closing may sync and take a while.
        self.mw.progress.single_shot(0, lambda: self._switch_profile(name), False)
        return True

    def _switch_profile(self, name: str) -> None:
        mw = self.mw

        def open_requested() -> None:
            mw.pm.load(name)
            mw.loadProfile()

        if mw.col is not None:
            mw.unloadProfile(open_requested)
        else:
            open_requested()
            diag = getattr(mw, "profileDiag", None)
            if diag is not None:
                diag.closeWithoutQuitting()

    def sync(self) -> None:
        col = self.mw.col
        auth = self.mw.pm.sync_auth()
        if auth is None:
            raise ActionError("sync: auth not configured")
        if col is None:
            raise ActionError("collection is not available")
        output = run_sync(col, auth, media=self.mw.pm.media_syncing_enabled())
        if output.new_endpoint:
            self.mw.pm.set_current_sync_url(output.new_endpoint)
        self.mw.pm.set_host_number(output.host_number)
        self.collection_changed(None)
        # As the original: then Anki's own sync, which refreshes its windows and shows media
        # progress. After the reply is sent, so the client does not wait for it.
        self.mw.progress.single_shot(0, self.mw.on_sync_button_clicked, False)

    # -- windows -----------------------------------------------------------------------

    @property
    def main_window(self) -> AnkiQt:
        return self.mw

    def collection_changed(self, changes: Any = None) -> None:
        """Tell Anki's windows about a change, once per burst of requests.

        Changes are merged and announced through Anki's operation-change hook
        (`operation_did_execute`) once requests have paused for
        `REFRESH_QUIET_MS`, after the replies are sent. Redrawing the main
        window costs far more than most actions, so a burst of writes, even one
        request at a time from several clients, causes one refresh rather than
        one per write; under steady load windows still catch up every
        `REFRESH_MAX_DELAY_S`. `None` means "anything may have changed".
        """
        changes = op_changes(changes)
        now = time.monotonic()
        if self._pending_changes is None:
            self._pending_changes, self._pending_since = OpChanges(), now
        _merge_changes(self._pending_changes, changes)
        if now - self._pending_since < REFRESH_MAX_DELAY_S or not self._refresh_timer.isActive():
            self._refresh_timer.start(REFRESH_QUIET_MS)  # (re)starts the wait

    def _flush_changes(self) -> None:
        changes, self._pending_changes = self._pending_changes, None
        if changes is None or self.mw.col is None:
            return
        self.mw.update_undo_actions()
        # handler None: no window caused the change, so each one takes it in
        gui_hooks.operation_did_execute(changes, None)
        if current_window() is None:
            refresh_unfocused_windows(self.mw)


def _merge_changes(into: OpChanges, changes: OpChanges | None) -> None:
    for field in OpChanges.DESCRIPTOR.fields:
        if field.name == "kind":
            continue
        if changes is None or getattr(changes, field.name):
            setattr(into, field.name, True)
