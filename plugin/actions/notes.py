"""Actions of the notes category (protocol: actions/notes.md)."""

from __future__ import annotations

from .base import ActionsBase


class NoteActions(ActionsBase):
    pass
