"""Errors whose text is part of the protocol.

Clients match these strings (Yomitan looks for `... it is a duplicate`,
yanki-connect for `collection is not available`), so they live in one place.
"""

from __future__ import annotations

UNSUPPORTED_ACTION = "unsupported action"
INVALID_API_KEY = "valid api key must be provided"
COLLECTION_UNAVAILABLE = "collection is not available"


class ActionError(Exception):
    """An action failed for a reason the client should read verbatim."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def missing_key(key: str) -> KeyError:
    """The error for a required key missing inside a nested object.

    The original surfaces Python's KeyError, whose text is the quoted key
    (`'modelName'`); clients see exactly that.
    """
    return KeyError(key)


def error_text(error: BaseException) -> str:
    """The message a client sees for an exception raised by an action."""
    if isinstance(error, RecursionError):
        return "request is nested too deeply"
    if isinstance(error, MemoryError):
        return "not enough memory to complete the request"
    return str(error)
