"""Opening a collection file safely, with errors a person can act on."""

from __future__ import annotations

import os
import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from anki.collection import Collection


class CollectionOpenError(Exception):
    """The collection cannot be opened; the text says why and what to do."""


def open_collection(path: str, *, create: bool = False) -> Collection:
    """Open the collection at `path`; a new one only when `create` is set.

    A missing file is an error by default: a typo in a service's command line
    should not quietly serve an empty collection.
    """
    from anki.collection import Collection
    from anki.errors import DBError

    path = os.path.abspath(path)
    if os.path.isdir(path):
        raise CollectionOpenError(f"{path} is a folder; give the path of the collection file (collection.anki2)")
    if not os.path.exists(path):
        if not create:
            raise CollectionOpenError(f"there is no collection at {path} (pass --create to start a new one there)")
        os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        return Collection(path)
    except DBError as error:
        if is_locked(path, str(error)):
            raise CollectionOpenError(
                f"the collection {path} is open in another program (Anki's desktop app, another server "
                f"or a sync in progress); close it there first. Anki says: {error}"
            ) from None
        raise CollectionOpenError(f"cannot open the collection {path}: {error}") from None


def is_locked(path: str, backend_message: str) -> bool:
    """Whether another program holds the collection open.

    Anki opens its database in exclusive locking mode, so any other process
    holding it makes a plain read fail with SQLite's "database is locked". The
    backend's own message for this case is translated, so it is only a fallback
    (for a second open inside the same process, which SQLite cannot see).
    """
    try:
        connection = sqlite3.connect(path, timeout=0)
    except sqlite3.Error:
        return False
    try:
        connection.execute("select 1 from sqlite_master limit 1").fetchall()
    except sqlite3.OperationalError as error:
        if "locked" in str(error):
            return True
    except sqlite3.Error:
        pass
    finally:
        connection.close()
    return "already open" in backend_message
