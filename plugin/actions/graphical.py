"""Actions of the graphical category (protocol: actions/graphical.md)."""

from __future__ import annotations

from .base import ActionsBase


class GraphicalActions(ActionsBase):
    pass
