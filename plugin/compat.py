"""Where Anki's Python API differs between 23.10 and 26.9, and how we bridge it.

Everything here detects features, not version numbers, and nothing outside
this module branches on the Anki version. Each difference is tested in
tests/fast/test_compat.py, which runs on both ends of the supported range
(`make test-compat`). Differences in what Anki says or stores (message
wording, media name case, options-group keys) are passed on to clients as
they are; docs/README.md lists them. The private Anki calls the add-on relies
on are also reached through here, each guarded, so that a rename in a future
Anki breaks one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from anki import import_export_pb2

if TYPE_CHECKING:
    from anki.collection import Collection
    from anki.sync import SyncAuth


# -- .apkg export: options object (24.x+) or keyword arguments (23.10) ----------------------

_HAS_EXPORT_OPTIONS = hasattr(import_export_pb2, "ExportAnkiPackageOptions")


def export_deck_package(col: Collection, *, path: str, deck_id: int, with_scheduling: bool) -> None:
    """Write one deck with its media to an .apkg file (the legacy format, readable by old clients too)."""
    from anki.collection import DeckIdLimit

    limit = DeckIdLimit(deck_id)  # type: ignore[arg-type]
    if _HAS_EXPORT_OPTIONS:
        options = import_export_pb2.ExportAnkiPackageOptions(
            with_scheduling=with_scheduling,
            with_deck_configs=with_scheduling,
            with_media=True,
            legacy=True,
        )
        col.export_anki_package(out_path=path, options=options, limit=limit)
    else:  # Anki 23.10
        export: Any = col.export_anki_package
        export(out_path=path, limit=limit, with_scheduling=with_scheduling, with_media=True, legacy_support=True)


# -- .apkg import: deck options became optional in 24.x -------------------------------------

_IMPORT_OPTION_FIELDS = set(import_export_pb2.ImportAnkiPackageOptions.DESCRIPTOR.fields_by_name)


def import_package_options(**wanted: Any) -> import_export_pb2.ImportAnkiPackageOptions:
    """Import options, leaving out those this Anki does not know (23.10 has no `with_deck_configs`)."""
    known = {name: value for name, value in wanted.items() if name in _IMPORT_OPTION_FIELDS}
    return import_export_pb2.ImportAnkiPackageOptions(**known)


# -- sync login: the returned auth names its server (24.x+) or not (23.10) ------------------


def sync_login(col: Collection, user: str, password: str, endpoint: str | None) -> SyncAuth:
    """Log in to `endpoint` (AnkiWeb when None); the auth it returns always names that server.

    Anki 23.10 answers with the key alone, and a sync with that auth goes to
    AnkiWeb whatever server the login went to.
    """
    auth = col.sync_login(user, password, endpoint)
    if endpoint and not auth.HasField("endpoint"):
        auth.endpoint = endpoint
    return auth


# -- private Anki APIs we depend on, guarded in one place --------------------------------


def forget_cached_notetypes(col: Collection) -> None:
    """Drop the note types `col.models` keeps in memory (after a sync or a rolled-back batch).

    Anki's GUI does the same after a sync; the cache has no public way to be cleared.
    """
    clear = getattr(col.models, "_clear_cache", None)
    if clear is not None:
        clear()
