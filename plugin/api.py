"""The API class, assembled from one mixin per category of actions.

Every method tagged with `@action()` in a category module is an action; the
registry (not this class) decides what a request can call, so helper methods
here are never reachable from the wire.
"""

from __future__ import annotations

from .actions.cards import CardActions
from .actions.decks import DeckActions
from .actions.graphical import GraphicalActions
from .actions.media import MediaActions
from .actions.miscellaneous import MiscellaneousActions
from .actions.models import ModelActions
from .actions.notes import NoteActions
from .actions.statistics import StatisticsActions
from .host import Host


class AnkiConnect(
    MiscellaneousActions,
    NoteActions,
    CardActions,
    DeckActions,
    ModelActions,
    MediaActions,
    StatisticsActions,
    GraphicalActions,
):
    def __init__(self, host: Host) -> None:
        self.host = host
