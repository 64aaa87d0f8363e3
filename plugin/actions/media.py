"""Actions of the media category (protocol: actions/media.md)."""

from __future__ import annotations

from .base import ActionsBase


class MediaActions(ActionsBase):
    pass
