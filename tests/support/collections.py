"""Real collections in temporary folders for the fast test layer."""

from __future__ import annotations

from pathlib import Path

from anki.collection import Collection

PROFILE = "User 1"


def new_collection(folder: Path, profile: str = PROFILE) -> Collection:
    """A fresh collection laid out like Anki's (`<base>/<profile>/collection.anki2`)."""
    profile_dir = folder / profile
    profile_dir.mkdir(parents=True, exist_ok=True)
    return Collection(str(profile_dir / "collection.anki2"))
