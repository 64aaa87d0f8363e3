"""The profile's media folder: safe file names, storing from data/path/url, reading, listing.

Shared by the media actions (`storeMediaFile` ...) and by note creation, whose
`audio`/`video`/`picture` members go through the same `MediaStore.store`.
Qt-free: the graphical actions reuse it to prefill the Add dialog.

Names are checked before anything touches the disk: a name that could leave
the media folder or alias a device (`../x`, `/etc/x`, `a\\b`, `CON`, `nul.txt`,
control characters) is refused, and the rest is normalised as Anki does it
(NFC, characters Anki forbids removed, a trailing dot or space protected,
long names shortened). Anki's backend then writes the file and has the last
word on the name (recent versions also lower-case it); callers get that name.
"""

from __future__ import annotations

import binascii
import fnmatch
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .downloads import download
from .errors import ActionError

if TYPE_CHECKING:
    from anki.collection import Collection

    from .config import Settings

NO_SOURCE = 'You must provide a "data", "path", or "url" field.'

MAX_NAME_BYTES = 120
"""Anki shortens longer media file names to this many bytes of UTF-8."""

_FORBIDDEN = re.compile(r'[\[\]<>:"?*|]')
_SEPARATORS = ("/", "\\")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WINDOWS_DEVICE = re.compile(r"^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\s*$|\s*\.)", re.IGNORECASE)
_TRAILING = re.compile(r"[. ]$")


# -- names ---------------------------------------------------------------------------------


def media_file_name(name: Any) -> str:
    """The name Anki stores `name` under, or an `ActionError` for a name that is not safe.

    Refused: non-strings, empty names, path separators (so `..`, absolute and
    drive paths cannot name anything outside the folder), control characters
    (NUL included) and Windows device names, which are unsafe on some systems
    whatever system Anki runs on now (the folder is synced to all of them).
    """
    if not isinstance(name, str):
        raise ActionError(f"media file name must be a string, not {type(name).__name__}")
    if name == "":
        raise ActionError("media file name must not be empty")
    if any(separator in name for separator in _SEPARATORS):
        raise ActionError(f"invalid media file name {name!r}: it must not contain a path (/ or \\)")
    if _CONTROL.search(name):
        raise ActionError(f"invalid media file name {name!r}: it must not contain control characters")
    normalised = _FORBIDDEN.sub("", unicodedata.normalize("NFC", name))
    if normalised.strip(" .") == "":
        raise ActionError(f"invalid media file name {name!r}: nothing is left of it once Anki's rules are applied")
    if _WINDOWS_DEVICE.match(normalised):
        raise ActionError(f"invalid media file name {name!r}: it is a reserved device name on Windows")
    if _TRAILING.search(normalised):
        normalised += "_"
    return _shorten(normalised)


def _shorten(name: str) -> str:
    """Anki's rule for names longer than `MAX_NAME_BYTES`: keep the extension (up to 10 bytes)."""
    if len(name.encode("utf-8")) <= MAX_NAME_BYTES:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    extension = _cut_utf8(extension, 10)
    stem = _cut_utf8(stem, MAX_NAME_BYTES - len(extension.encode("utf-8")) - 2)
    return f"{stem}.{extension}" if dot else stem


def _cut_utf8(text: str, max_bytes: int) -> str:
    return text.encode("utf-8")[:max_bytes].decode("utf-8", errors="ignore")


def _with_hash_suffix(name: str, data: bytes) -> str:
    """The name Anki gives new content when `name` is taken by different content."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    return f"{stem}-{hashlib.sha1(data).hexdigest()}.{extension}"


# -- sources -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MediaSource:
    """Where a file's content comes from: the first non-empty of data, path, url."""

    data: Any = None
    path: Any = None
    url: Any = None

    def read(self, settings: Settings) -> bytes:
        if self.data:
            return decode_base64(self.data)
        if self.path:
            return read_local_file(self.path)
        if self.url:
            return download(self.url, timeout_ms=settings.webTimeout, max_bytes=settings.mediaMaxDownloadBytes)
        raise ActionError(NO_SOURCE)


def decode_base64(data: Any) -> bytes:
    if not isinstance(data, str):
        raise ActionError("data must be a base64 string")
    try:
        # What base64.b64decode does, without first copying the text into bytes
        # (4 ms of a 5 MiB upload); same result, same errors.
        return binascii.a2b_base64(data)
    except (binascii.Error, ValueError) as error:
        raise ActionError(str(error)) from None


def read_local_file(path: Any) -> bytes:
    if not isinstance(path, str):
        raise ActionError("path must be a string")
    if not os.path.isabs(path):
        raise ActionError(f"path must be absolute: {path}")
    with open(path, "rb") as file:
        return file.read()


# -- the folder ----------------------------------------------------------------------------


class MediaStore:
    """The media folder of `col`; `settings` bounds `url` downloads."""

    def __init__(self, col: Collection, settings: Settings) -> None:
        self.col = col
        self.settings = settings

    @property
    def folder(self) -> str:
        return os.path.abspath(self.col.media.dir())

    def path_of(self, name: str) -> str:
        return os.path.join(self.folder, name)

    def store(
        self,
        filename: Any,
        source: MediaSource,
        *,
        skip_hash: Any = None,
        delete_existing: bool = True,
    ) -> str | None:
        """Store a file; the name it was stored under, or None when `skip_hash` matched.

        The name is checked before the content is fetched, so a bad name never
        costs a download and nothing is written for it.
        """
        name = media_file_name(filename)
        data = source.read(self.settings)
        if isinstance(skip_hash, str) and hashlib.md5(data).hexdigest() == skip_hash.lower():
            return None
        if not delete_existing:
            return self.col.media.write_data(name, data)
        return self._replace(name, data)

    def _replace(self, name: str, data: bytes) -> str:
        """Write `data` as `name`, moving a different file of that name to Anki's trash first."""
        media = self.col.media
        if self._differs(name, data):
            media.trash_files([name])
        # Recent Anki lower-cases names, so a differently cased file can still be in the way.
        candidates = {name, name.lower()}
        if not any(os.path.exists(self.path_of(c)) for c in candidates):
            return media.write_data(name, data)  # nothing in the way: no hash to compute
        strays = {_with_hash_suffix(c, data) for c in candidates}
        new_strays = {stray for stray in strays if not os.path.exists(self.path_of(stray))}
        stored = media.write_data(name, data)
        if stored in strays:
            taken = next(c for c in candidates if _with_hash_suffix(c, data) == stored)
            media.trash_files([taken])
            replaced = media.write_data(name, data)
            if stored in new_strays and replaced != stored:
                media.trash_files([stored])
            stored = replaced
        return stored

    def _differs(self, name: str, data: bytes) -> bool:
        path = self.path_of(name)
        if not os.path.isfile(path):
            return False
        if os.path.getsize(path) != len(data):
            return True
        with open(path, "rb") as file:
            return file.read() != data

    def retrieve(self, filename: Any) -> bytes | None:
        """The file's content, or None when there is no such file."""
        path = self.path_of(media_file_name(filename))
        if not os.path.isfile(path):
            return None
        with open(path, "rb") as file:
            return file.read()

    def delete(self, filename: Any) -> None:
        """Move the file to Anki's media trash; a missing file is not an error."""
        name = media_file_name(filename)
        if os.path.isfile(self.path_of(name)):
            self.col.media.trash_files([name])

    def names(self, pattern: Any = "*") -> list[str]:
        """Names of the files in the folder that match a shell-style pattern.

        Only names are matched, never paths, so no pattern reaches outside the
        folder. As with a shell, `*` and `?` do not match a leading dot.
        """
        if not isinstance(pattern, str):
            raise ActionError("pattern must be a string")
        hidden = pattern.startswith(".")
        with os.scandir(self.folder) as entries:
            return [
                entry.name
                for entry in entries
                if entry.is_file()
                and (hidden or not entry.name.startswith("."))
                and fnmatch.fnmatch(entry.name, pattern)
            ]
