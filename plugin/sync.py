"""Collection sync through Anki's sync protocol, shared by the desktop and headless hosts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import ActionError

if TYPE_CHECKING:
    from anki.collection import Collection
    from anki.sync import SyncAuth, SyncOutput

CHANGES_DOC = (
    "https://github.com/ankitects/anki/blob/e41c4573d789afe8b020fab5d9d1eede50c3fa3d/proto/anki/sync.proto#L57-L65"
)


def run_sync(col: Collection, auth: SyncAuth, *, media: bool) -> SyncOutput:
    """A normal (incremental) sync; a one-way full sync is refused, as in the original."""
    output = col.sync_collection(auth, media)
    accepted = [output.NO_CHANGES, output.NORMAL_SYNC]
    if output.required not in accepted:
        raise ActionError(
            f"Sync status {output.required} not one of {accepted} - see "
            f"SyncCollectionResponse.ChangesRequired for list of sync statuses: {CHANGES_DOC}"
        )
    return output
