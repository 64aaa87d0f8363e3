"""The collection's database handle, with the protocol's error when it is gone."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ActionError

if TYPE_CHECKING:
    from anki.collection import Collection
    from anki.dbproxy import DBProxy

DATABASE_UNAVAILABLE = "database is not available"


def database(col: Collection) -> DBProxy:
    """`col.db`, which Anki sets to None while the collection is closed (e.g. during a full sync)."""
    if col.db is None:
        raise ActionError(DATABASE_UNAVAILABLE)
    return col.db
