"""What the API needs from its surroundings.

The same actions run inside Anki's desktop app and headless on a collection
file. Everything that differs between the two (where the collection and the
config come from, how a permission question is asked, profiles, sync, telling
open windows that the collection changed) sits behind this interface.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .config import Settings

if TYPE_CHECKING:
    from anki.collection import Collection, OpChanges


def op_changes(result: Any) -> OpChanges | None:
    """The `OpChanges` of a backend result; None (anything may have changed) when it has none."""
    from anki.collection import OpChanges

    if result is None or isinstance(result, OpChanges):
        return result
    return getattr(result, "changes", None)


@dataclass(frozen=True)
class PermissionAnswer:
    granted: bool
    ignore_origin: bool = False
    """The user asked not to be asked again for this origin."""


class Host:
    """Base class with the behaviour shared by both environments."""

    kind = "abstract"

    def collection(self) -> Collection | None:
        raise NotImplementedError

    def settings(self) -> Settings:
        raise NotImplementedError

    def update_config(self, changes: dict[str, Any]) -> None:
        """Save new values for some config keys (the user's config, not defaults)."""
        raise NotImplementedError

    def ask_permission(self, origin: str) -> PermissionAnswer:
        raise NotImplementedError

    def profile_names(self) -> list[str]:
        raise NotImplementedError

    def active_profile(self) -> str | None:
        raise NotImplementedError

    def load_profile(self, name: str) -> bool:
        raise NotImplementedError

    def sync(self) -> None:
        raise NotImplementedError

    def collection_changed(self, changes: Any = None) -> None:
        """An action changed the collection; refresh whatever shows it.

        `changes` is what Anki's backend returned for the operation: `OpChanges`,
        or a result carrying them (`OpChangesWithCount`, `OpChangesWithId`, ...;
        see `op_changes`), or None when the action changed things the backend
        did not describe.
        """

    @property
    def main_window(self) -> Any | None:
        """Anki's main window (`aqt.mw`) in the desktop app, None headless."""
        return None
