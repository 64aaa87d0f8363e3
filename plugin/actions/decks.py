"""Actions of the decks category (protocol: actions/decks.md)."""

from __future__ import annotations

from .base import ActionsBase


class DeckActions(ActionsBase):
    pass
