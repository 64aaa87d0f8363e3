"""The host for a plain `anki.collection.Collection` (headless mode and the fast tests)."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any, Mapping

from ..config import Settings
from ..errors import ActionError
from ..host import Host, PermissionAnswer

if TYPE_CHECKING:
    from anki.collection import Collection


def profile_name_for(collection_path: str) -> str:
    """Anki keeps each profile's collection in a folder named after the profile."""
    folder = os.path.basename(os.path.dirname(os.path.abspath(collection_path)))
    return folder or "User 1"


class CollectionHost(Host):
    kind = "headless"

    def __init__(
        self,
        col: Collection | None,
        *,
        config: Mapping[str, Any] | None = None,
        config_path: str | None = None,
        profile_name: str | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.col = col
        self.config_path = config_path
        self._environ = environ
        self._raw_config: dict[str, Any] = dict(config or {})
        self._settings = Settings.from_mapping(self._raw_config, environ)
        if profile_name is None:
            profile_name = profile_name_for(col.path) if col is not None else "User 1"
        self.profile_name = profile_name

    # -- collection and config ---------------------------------------------------------

    def collection(self) -> Collection | None:
        return self.col

    def settings(self) -> Settings:
        return self._settings

    def update_config(self, changes: dict[str, Any]) -> None:
        self._raw_config.update(changes)
        self._settings = Settings.from_mapping(self._raw_config, self._environ)
        if self.config_path:
            tmp = f"{self.config_path}.tmp"
            with open(tmp, "w", encoding="utf-8") as file:
                json.dump(self._raw_config, file, indent=4)
            os.replace(tmp, self.config_path)

    # -- what needs a person or the desktop --------------------------------------------

    def ask_permission(self, origin: str) -> PermissionAnswer:
        # Nobody is there to ask: origins must be allowed in the config.
        return PermissionAnswer(granted=False)

    # -- profiles: the one open collection ----------------------------------------------

    def profile_names(self) -> list[str]:
        return [self.profile_name]

    def active_profile(self) -> str | None:
        return self.profile_name if self.col is not None else None

    def load_profile(self, name: str) -> bool:
        return name == self.profile_name

    def sync(self) -> None:
        raise ActionError("sync: auth not configured")
