"""The host for a plain `anki.collection.Collection` (headless mode and the fast tests)."""

from __future__ import annotations

import json
import logging
import os
from typing import TYPE_CHECKING, Any, Mapping

from ..config import Settings
from ..errors import COLLECTION_UNAVAILABLE, ActionError
from ..host import Host, PermissionAnswer
from ..sync import stop_media_sync
from .syncing import AUTH_NOT_CONFIGURED, HeadlessSyncer, LoginStore, SyncOptions, login_path_for

if TYPE_CHECKING:
    from anki.collection import Collection

log = logging.getLogger(__name__)


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
        overrides: Mapping[str, Any] | None = None,
        profile_name: str | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        """`config` is what the config file holds (and what `update_config` saves back to
        `config_path`); `overrides` are command-line values that win over it but are never saved."""
        self.col = col
        self.config_path = config_path
        self._environ: Mapping[str, str] = os.environ if environ is None else environ
        self._raw_config: dict[str, Any] = dict(config or {})
        self._overrides: dict[str, Any] = dict(overrides or {})
        self._settings = self._read_settings()
        if profile_name is None:
            profile_name = profile_name_for(col.path) if col is not None else "User 1"
        self.profile_name = profile_name
        self._media_sync_running = False

    # -- collection and config ---------------------------------------------------------

    def collection(self) -> Collection | None:
        return self.col

    def settings(self) -> Settings:
        return self._settings

    def _read_settings(self) -> Settings:
        return Settings.from_mapping({**self._raw_config, **self._overrides}, self._environ)

    def update_config(self, changes: dict[str, Any]) -> None:
        self._raw_config.update(changes)
        self._settings = self._read_settings()
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

    # -- sync ----------------------------------------------------------------------------

    def sync_options(self) -> SyncOptions:
        return SyncOptions.from_config({**self._raw_config, **self._overrides}, self._environ)

    def syncer(self) -> HeadlessSyncer | None:
        """The sync set-up for the open collection (None without one: the login lives beside it)."""
        if self.col is None:
            return None
        return HeadlessSyncer(self.sync_options(), LoginStore(login_path_for(self.col.path)))

    def sync(self) -> None:
        syncer = self.syncer()
        # As in the desktop app, a missing login is reported before the collection is looked at.
        if syncer is None:
            if not self.sync_options().can_log_in:
                raise ActionError(AUTH_NOT_CONFIGURED)
            raise ActionError(COLLECTION_UNAVAILABLE)
        if not syncer.has_login():
            raise ActionError(AUTH_NOT_CONFIGURED)
        assert self.col is not None
        syncer.sync(self.col)
        self._media_sync_running = syncer.options.media
        self.collection_changed(None)

    # -- housekeeping between requests ---------------------------------------------------

    def poll_background(self) -> None:
        """Report the end of a background media sync (called by the loop between rounds)."""
        if not self._media_sync_running or self.col is None:
            return
        try:
            active = self.col.media_sync_status().active
        except Exception as error:  # noqa: BLE001 - the backend reports a failed media sync here
            self._media_sync_running = False
            log.warning("media sync failed: %s", error)
            return
        if not active:
            self._media_sync_running = False
            log.info("media sync finished")

    def close_collection(self) -> None:
        """Stop a media sync in progress and close the collection (it stays consistent on disk)."""
        col, self.col = self.col, None
        if col is None:
            return
        if not stop_media_sync(col):
            log.warning("the media sync did not stop in time; closing anyway")
        col.close()
