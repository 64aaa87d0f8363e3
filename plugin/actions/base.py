"""What every category of actions shares: the host and the collection accessor."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import COLLECTION_UNAVAILABLE, ActionError

if TYPE_CHECKING:
    from anki.collection import Collection

    from ..config import Settings
    from ..host import Host
    from ..protocol import Dispatcher


class ActionsBase:
    """Mixin base of the API class; category modules subclass it."""

    host: Host
    dispatcher: Dispatcher

    @property
    def col(self) -> Collection:
        """The open collection; every collection action goes through here."""
        col = self.host.collection()
        if col is None:
            raise ActionError(COLLECTION_UNAVAILABLE)
        return col

    @property
    def settings(self) -> Settings:
        return self.host.settings()

    @property
    def window(self) -> Any:
        """Anki's main window, for actions that drive the desktop GUI."""
        window = self.host.main_window
        if window is None:
            raise ActionError(f"this action needs Anki's windows; it is not available in {self.host.kind} mode")
        return window
