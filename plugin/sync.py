"""Collection sync through Anki's sync protocol, shared by the desktop and headless hosts.

`run_sync` is what the `sync` action does in both hosts: a normal sync that
refuses to replace either side. Headless mode also needs the one-way full sync
(the first sync of a collection is always one) and a way to wait for the media
sync Anki's backend runs in the background; those live here as well so that
nothing about the protocol is written twice.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from .compat import forget_cached_notetypes
from .errors import ActionError

if TYPE_CHECKING:
    from anki.collection import Collection
    from anki.sync import SyncAuth, SyncOutput

CHANGES_DOC = (
    "https://github.com/ankitects/anki/blob/e41c4573d789afe8b020fab5d9d1eede50c3fa3d/proto/anki/sync.proto#L57-L65"
)

# Anki's `SyncCollectionResponse.ChangesRequired` codes (stable since the 2.1.50 sync rewrite).
NO_CHANGES = 0
NORMAL_SYNC = 1
FULL_SYNC = 2
"""Both sides changed in ways that cannot be merged; someone must choose which one wins."""
FULL_DOWNLOAD = 3
"""This collection is empty: it can only be replaced by the server's."""
FULL_UPLOAD = 4
"""The server has nothing (or must be replaced): it can only receive this collection."""


def run_sync(col: Collection, auth: SyncAuth, *, media: bool) -> SyncOutput:
    """A normal (incremental) sync; a one-way full sync is refused, as in the original.

    With `media`, Anki's backend goes on to sync media in the background after
    the collection; `media_sync_status()` reports its progress.
    """
    output = col.sync_collection(auth, media)
    forget_cached_notetypes(col)
    accepted = [output.NO_CHANGES, output.NORMAL_SYNC]
    if output.required not in accepted:
        raise ActionError(
            f"Sync status {output.required} not one of {accepted} - see "
            f"SyncCollectionResponse.ChangesRequired for list of sync statuses: {CHANGES_DOC}"
        )
    return output


def full_sync(col: Collection, auth: SyncAuth, *, upload: bool, server_media_usn: int | None) -> None:
    """Replace the server's collection with this one (`upload`) or this one with the server's.

    The backend takes the collection over meanwhile; it is reopened whatever
    happens, as Anki's own GUI does. A `server_media_usn` (from the sync that
    asked for the full sync) makes the backend sync media afterwards.
    """
    col.close_for_full_sync()
    try:
        col.full_upload_or_download(auth=auth, server_usn=server_media_usn, upload=upload)
    finally:
        col.reopen(after_full_sync=True)


def wait_for_media_sync(col: Collection, *, poll_seconds: float = 0.1) -> None:
    """Block until the background media sync is over; raises what made it fail."""
    while col.media_sync_status().active:
        time.sleep(poll_seconds)


def stop_media_sync(col: Collection, *, grace: float = 5.0, timeout: float = 10.0) -> bool:
    """Let a background media sync end within `grace` seconds, else abort it; True once it stopped.

    Called before the collection closes. Media sync resumes where it left off
    next time, so aborting loses nothing.
    """
    try:
        if _media_sync_ends_within(col, grace):
            return True
        col.abort_media_sync()
        return _media_sync_ends_within(col, timeout)
    except Exception:  # noqa: BLE001 - the status raises when the media sync failed: it has stopped too
        return True


def _media_sync_ends_within(col: Collection, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while col.media_sync_status().active:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
