"""Actions of the statistics category (protocol: actions/statistics.md)."""

from __future__ import annotations

from .base import ActionsBase


class StatisticsActions(ActionsBase):
    pass
