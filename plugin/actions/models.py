"""Actions of the models category (protocol: actions/models.md)."""

from __future__ import annotations

from .base import ActionsBase


class ModelActions(ActionsBase):
    pass
