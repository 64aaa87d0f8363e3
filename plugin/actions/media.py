"""Actions of the media category (protocol: actions/media.md).

The work is done by `media_store.MediaStore`, which note creation shares.
"""

from __future__ import annotations

import base64
from typing import Any

from ..media_store import MediaSource
from ..registry import action
from .base import ActionsBase


class MediaActions(ActionsBase):
    @action()
    def storeMediaFile(
        self,
        filename: Any,
        data: Any = None,
        path: Any = None,
        url: Any = None,
        skipHash: Any = None,
        deleteExisting: Any = True,
    ) -> str | None:
        return self.media_store.store(
            filename,
            MediaSource(data, path, url),
            skip_hash=skipHash,
            delete_existing=bool(deleteExisting),
        )

    @action()
    def retrieveMediaFile(self, filename: Any) -> str | bool:
        content = self.media_store.retrieve(filename)
        return False if content is None else base64.b64encode(content).decode("ascii")

    @action()
    def getMediaFilesNames(self, pattern: Any = "*") -> list[str]:
        return self.media_store.names(pattern)

    @action()
    def getMediaDirPath(self) -> str:
        return self.media_store.folder

    @action()
    def deleteMediaFile(self, filename: Any) -> None:
        self.media_store.delete(filename)
