"""AnkiConnect-compatible HTTP API for Anki.

Anki imports this package as an add-on (under whatever folder name it was
installed with, so every import inside is relative). Imported anywhere else
(headless mode, tests) it does nothing on its own.
"""

from __future__ import annotations

import sys


def _loaded_by_anki() -> bool:
    aqt = sys.modules.get("aqt")
    return aqt is not None and getattr(aqt, "mw", None) is not None


if _loaded_by_anki():
    from .desktop import setup as _setup

    _setup(__name__)
