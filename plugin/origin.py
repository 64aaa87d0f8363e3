"""Which web origins may call the API, and what `Access-Control-Allow-Origin` says.

The rules (first match wins) are the original add-on's, so that every browser
client allowed today is allowed here and nobody else is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

LOCALHOST = "http://localhost"

_TRUSTED_PREFIXES = (
    "http://127.0.0.1:",
    "chrome-extension://",
    "moz-extension://",
    "safari-web-extension://",
)
_TRUSTED_EXACT = ("http://127.0.0.1", "https://127.0.0.1")


@dataclass(frozen=True)
class OriginVerdict:
    allowed: bool
    allow_origin_header: str


def check_origin(origin: str | None, allowed_origins: Sequence[str]) -> OriginVerdict:
    if "*" in allowed_origins:
        return OriginVerdict(True, "*")
    if origin is None:
        return OriginVerdict(True, LOCALHOST)
    if origin in allowed_origins:
        return OriginVerdict(True, origin)
    if LOCALHOST in allowed_origins and (origin in _TRUSTED_EXACT or origin.startswith(_TRUSTED_PREFIXES)):
        return OriginVerdict(True, origin)
    return OriginVerdict(False, LOCALHOST)
