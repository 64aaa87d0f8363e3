"""Headless sync: where the login comes from, where it is kept, and the first (full) sync.

Desktop Anki keeps the AnkiWeb login in its profile. Headless there is no
profile, so:

* credentials come from the environment (`ANKICONNECT_SYNC_USER`,
  `ANKICONNECT_SYNC_PASSWORD`, `ANKICONNECT_SYNC_ENDPOINT`,
  `ANKICONNECT_SYNC_MEDIA`) or the config file (`syncUser`, `syncPassword`,
  `syncEndpoint`, `syncMedia`); the environment wins, as for the other keys;
* the first sync logs in and keeps only the host key the server returns, in a
  file beside the collection (`collection.sync-login.json`, readable by its
  owner only); later syncs use that key, so the password can be removed;
* a key the server refuses is forgotten, and the password (when still given)
  is used to log in again.

The sync protocol itself (normal and full sync, media) is shared with the
desktop host in `plugin/sync.py`.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Mapping, TypeVar

from ..compat import forget_cached_notetypes, sync_login
from ..errors import ActionError
from ..sync import (
    FULL_DOWNLOAD,
    FULL_UPLOAD,
    NO_CHANGES,
    NORMAL_SYNC,
    full_sync,
    run_sync,
    wait_for_media_sync,
)

if TYPE_CHECKING:
    from anki.collection import Collection
    from anki.sync import SyncAuth, SyncOutput

log = logging.getLogger(__name__)

USER_ENV = "ANKICONNECT_SYNC_USER"
PASSWORD_ENV = "ANKICONNECT_SYNC_PASSWORD"
ENDPOINT_ENV = "ANKICONNECT_SYNC_ENDPOINT"
MEDIA_ENV = "ANKICONNECT_SYNC_MEDIA"

AUTH_NOT_CONFIGURED = "sync: auth not configured"

UPLOAD = "upload"
DOWNLOAD = "download"

_TRUE_WORDS = {"1", "true", "yes", "on"}
_FALSE_WORDS = {"0", "false", "no", "off"}

T = TypeVar("T")


# -- options ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SyncOptions:
    user: str | None = None
    password: str | None = None
    endpoint: str | None = None
    """The sync server; None means AnkiWeb."""
    media: bool = True
    problems: tuple[str, ...] = ()

    @classmethod
    def from_config(cls, raw: Mapping[str, Any], environ: Mapping[str, str]) -> SyncOptions:
        problems: list[str] = []

        def text(key: str, env: str) -> str | None:
            if environ.get(env):
                return environ[env]
            value = raw.get(key)
            if value is None or (isinstance(value, str) and value):
                return value
            problems.append(f"config key {key!r} has an invalid value; it is ignored")
            return None

        media = raw.get("syncMedia", True)
        if not isinstance(media, bool):
            problems.append("config key 'syncMedia' has an invalid value; using the default (true)")
            media = True
        env_media = environ.get(MEDIA_ENV, "").strip().lower()
        if env_media in _TRUE_WORDS | _FALSE_WORDS:
            media = env_media in _TRUE_WORDS
        elif env_media:
            problems.append(f"{MEDIA_ENV} must be 1 or 0 (true or false); it is ignored")
        return cls(
            user=text("syncUser", USER_ENV),
            password=text("syncPassword", PASSWORD_ENV),
            endpoint=text("syncEndpoint", ENDPOINT_ENV),
            media=media,
            problems=tuple(problems),
        )

    @property
    def can_log_in(self) -> bool:
        return bool(self.user and self.password)


# -- the kept login --------------------------------------------------------------------------


def login_path_for(collection_path: str) -> str:
    """`/data/collection.anki2` keeps its login in `/data/collection.sync-login.json`."""
    return os.path.splitext(os.path.abspath(collection_path))[0] + ".sync-login.json"


@dataclass(frozen=True)
class SavedLogin:
    hkey: str
    user: str | None = None
    endpoint: str | None = None
    """Where to sync now: the configured server, or where it redirected us since."""
    configured_endpoint: str | None = None
    """The server configured when logging in; another one means logging in again."""

    def auth(self) -> SyncAuth:
        from anki.sync import SyncAuth

        return SyncAuth(hkey=self.hkey, endpoint=self.endpoint)

    def fits(self, options: SyncOptions) -> bool:
        """Still the login of what is configured (same user and server)?"""
        same_user = options.user is None or options.user == self.user
        return same_user and options.endpoint == self.configured_endpoint


class LoginStore:
    """The host key in a small JSON file that only its owner can read."""

    def __init__(self, path: str) -> None:
        self.path = path

    def load(self) -> SavedLogin | None:
        try:
            with open(self.path, encoding="utf-8") as file:
                data = json.load(file)
            return SavedLogin(
                hkey=str(data["hkey"]),
                user=data.get("user"),
                endpoint=data.get("endpoint"),
                configured_endpoint=data.get("configuredEndpoint"),
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as error:
            log.warning("ignoring the unreadable sync login %s: %s", self.path, error)
            return None

    def save(self, login: SavedLogin) -> None:
        data = {
            "user": login.user,
            "hkey": login.hkey,
            "endpoint": login.endpoint,
            "configuredEndpoint": login.configured_endpoint,
        }
        tmp = f"{self.path}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(data, file, indent=4)
        os.replace(tmp, self.path)

    def forget(self) -> None:
        try:
            os.remove(self.path)
        except FileNotFoundError:
            pass


# -- syncing ---------------------------------------------------------------------------------


class HeadlessSyncer:
    def __init__(self, options: SyncOptions, store: LoginStore) -> None:
        self.options = options
        self.store = store

    def has_login(self) -> bool:
        """A kept login for what is configured, or credentials to log in with."""
        saved = self.store.load()
        return (saved is not None and saved.fits(self.options)) or self.options.can_log_in

    def sync(self, col: Collection) -> SyncOutput:
        """The `sync` action: a normal sync, media in the background; full syncs are refused."""
        output = self._with_auth(col, lambda auth: run_sync(col, auth, media=self.options.media))
        self._follow_redirect(output)
        return output

    def sync_allowing_full(self, col: Collection, direction: str | None) -> str:
        """The `sync` command: like the action, but a full sync in `direction` is allowed.

        Waits for media. Returns what happened: "normal sync", "full upload" or
        "full download".
        """
        media = self.options.media

        def attempt(auth: SyncAuth) -> tuple[SyncOutput, SyncAuth]:
            return col.sync_collection(auth, media), auth

        output, auth = self._with_auth(col, attempt)
        forget_cached_notetypes(col)
        self._follow_redirect(output)
        if output.required in (NO_CHANGES, NORMAL_SYNC):
            # the backend has done it (it answers NO_CHANGES after a successful normal sync)
            outcome = "normal sync"
        else:
            upload = choose_full_sync(output.required, direction)
            if output.new_endpoint:
                auth = _redirected(auth, output.new_endpoint)
            full_sync(col, auth, upload=upload, server_media_usn=_media_usn(output, media))
            outcome = "full upload" if upload else "full download"
        if media:
            wait_for_media_sync(col)
        return outcome

    # -- login -----------------------------------------------------------------------------

    def _with_auth(self, col: Collection, attempt: Callable[[SyncAuth], T]) -> T:
        """Run `attempt` with the kept login, logging in (again) when needed and possible."""
        from anki.errors import SyncError, SyncErrorKind

        saved = self.store.load()
        if saved is not None and saved.fits(self.options):
            try:
                return attempt(saved.auth())
            except SyncError as error:
                if error.kind is not SyncErrorKind.AUTH:
                    raise
                self.store.forget()
                if not self.options.can_log_in:
                    raise ActionError(
                        f"sync: the server refused the kept login ({error}); give the user and password "
                        f"again ({USER_ENV} and {PASSWORD_ENV}) to log in"
                    ) from None
                log.info("the server refused the kept sync login; logging in again")
        if not self.options.can_log_in:
            raise ActionError(AUTH_NOT_CONFIGURED)
        return attempt(self._log_in(col))

    def _log_in(self, col: Collection) -> SyncAuth:
        from anki.errors import SyncError, SyncErrorKind

        assert self.options.user and self.options.password
        try:
            auth = sync_login(col, self.options.user, self.options.password, self.options.endpoint)
        except SyncError as error:
            if error.kind is SyncErrorKind.AUTH:
                raise ActionError(f"sync: login failed: {error}") from None
            raise
        endpoint = auth.endpoint or self.options.endpoint or None
        self.store.save(
            SavedLogin(
                hkey=auth.hkey,
                user=self.options.user,
                endpoint=endpoint,
                configured_endpoint=self.options.endpoint,
            )
        )
        log.info(
            "logged in to %s as %s; the login is kept in %s", endpoint or "AnkiWeb", self.options.user, self.store.path
        )
        return auth

    def _follow_redirect(self, output: SyncOutput) -> None:
        """AnkiWeb may move an account to another server; remember where."""
        if not output.new_endpoint:
            return
        saved = self.store.load()
        if saved is not None:
            self.store.save(SavedLogin(saved.hkey, saved.user, output.new_endpoint, saved.configured_endpoint))


def choose_full_sync(required: int, direction: str | None) -> bool:
    """Whether to upload (True) or download (False) when Anki requires a full sync.

    Only in the direction the person asked for, and never one that would replace
    a collection with an empty one.
    """
    if required == FULL_UPLOAD:
        if direction == UPLOAD:
            return True
        reason = "a full sync is needed: the server has no collection yet, so this one must be uploaded"
        if direction is None:
            raise ActionError(f"{reason}; run the sync command with --full-sync upload")
        raise ActionError(f"{reason}; refusing to download, which would leave this collection empty")
    if required == FULL_DOWNLOAD:
        if direction == DOWNLOAD:
            return False
        reason = "a full sync is needed: this collection is empty, so the server's must be downloaded"
        if direction is None:
            raise ActionError(f"{reason}; run the sync command with --full-sync download")
        raise ActionError(f"{reason}; refusing to upload, which would leave the server's collection empty")
    if direction is None:
        raise ActionError(
            "a full sync is needed: this collection and the server's have changes that cannot be merged. "
            "Choose the one to keep: --full-sync upload replaces the server's with this one, "
            "--full-sync download replaces this one with the server's"
        )
    return direction == UPLOAD


def _media_usn(output: SyncOutput, media: bool) -> int | None:
    return output.server_media_usn if media else None


def _redirected(auth: SyncAuth, endpoint: str) -> SyncAuth:
    from anki.sync import SyncAuth

    return SyncAuth(hkey=auth.hkey, endpoint=endpoint)
