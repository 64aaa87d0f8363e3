"""Actions of the cards category (protocol: actions/cards.md)."""

from __future__ import annotations

from .base import ActionsBase


class CardActions(ActionsBase):
    pass
