"""The JSON protocol, independent of sockets: request object in, reply out.

The pipeline of one request is visible in `Dispatcher.handle`:
key check -> look up the action -> bind parameters -> call -> format the reply.
`parse_request` turns a body into the request object and produces the exact
error texts the original gives for malformed input.
"""

from __future__ import annotations

import hmac
import json
import logging
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

from .errors import INVALID_API_KEY, UNSUPPORTED_ACTION, ActionError, error_text
from .registry import REGISTRY, ParameterError, Registry

if TYPE_CHECKING:
    from .host import Host

log = logging.getLogger(__name__)

DEFAULT_VERSION = 4
MAX_MULTI_DEPTH = 16
"""`multi` may nest (Obsidian_to_Anki sends three levels); this bounds abuse."""

PERMISSION_ACTION = "requestPermission"


class MalformedRequest(Exception):
    """The body is not a valid request object; the text is the client's error."""


# -- parsing -------------------------------------------------------------------------------


def parse_request(body: bytes) -> dict[str, Any]:
    """Decode and validate a request body, or raise `MalformedRequest`."""
    try:
        text = body.decode("utf-8")
        request = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise MalformedRequest(error_text(error)) from None
    _validate_envelope(request)
    return request


def _validate_envelope(request: Any) -> None:
    """The checks of the original's JSON schema, with its first-line messages."""
    if not isinstance(request, dict):
        raise MalformedRequest(f"{_py_repr(request)} is not of type 'object'")
    if "action" not in request:
        raise MalformedRequest("'action' is a required property")
    action = request["action"]
    if not isinstance(action, str):
        raise MalformedRequest(f"{_py_repr(action)} is not of type 'string'")
    if action == "":
        raise MalformedRequest("'' should be non-empty")
    if "version" in request and not _is_json_integer(request["version"]):
        raise MalformedRequest(f"{_py_repr(request['version'])} is not of type 'integer'")
    if "params" in request and not isinstance(request["params"], dict):
        raise MalformedRequest(f"{_py_repr(request['params'])} is not of type 'object'")


def _is_json_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def _py_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "..."


# -- replies -------------------------------------------------------------------------------


def error_reply(message: str) -> dict[str, Any]:
    return {"result": None, "error": message}


def format_reply(result: Any, version: Any) -> Any:
    """Bare result up to version 4, `{"result", "error"}` from version 5 on.

    A non-numeric version (possible inside `multi`) fails here with Python's
    comparison error, as in the original; the caller turns it into an error reply.
    """
    if version <= DEFAULT_VERSION:
        return result
    return {"result": result, "error": None}


# -- dispatch ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestContext:
    """What the HTTP layer knows about the request that the protocol needs."""

    origin: str = ""
    origin_allowed: bool = True
    header_key: str | None = None
    """An API key sent as `Authorization: Bearer ...`."""


class Dispatcher:
    def __init__(self, api: Any, host: Host, registry: Registry = REGISTRY) -> None:
        self.api = api
        self.host = host
        self.registry = registry
        self._multi_depth = 0
        self._context = RequestContext()
        api.dispatcher = self

    def handle(self, request: Mapping[str, Any], context: RequestContext | None = None) -> Any:
        """Run one top-level request object and return its reply value."""
        context = context or RequestContext()
        params = request.get("params", {})
        if request.get("action") == PERMISSION_ACTION and isinstance(params, dict):
            params = {**params, "origin": context.origin, "allowed": context.origin_allowed}
        return self._run(request, params, context)

    def handle_element(self, element: Any, context: RequestContext) -> Any:
        """Run one element of `multi`: no permission injection, its own version and key."""
        if not isinstance(element, dict):
            # the original fails the whole multi with Python's attribute error
            raise ActionError(f"'{type(element).__name__}' object has no attribute 'get'")
        if self._multi_depth >= MAX_MULTI_DEPTH:
            return error_reply(f"multi is nested more than {MAX_MULTI_DEPTH} levels deep")
        self._multi_depth += 1
        try:
            return self._run(element, element.get("params", {}), context)
        finally:
            self._multi_depth -= 1

    def _run(self, request: Mapping[str, Any], params: Any, context: RequestContext) -> Any:
        action = request.get("action", "")
        version = request.get("version", DEFAULT_VERSION)
        try:
            if action != PERMISSION_ACTION and not self._key_is_valid(request.get("key"), context):
                raise ActionError(INVALID_API_KEY)
            entry = self.registry.resolve(action, version) if isinstance(action, str) else None
            if entry is None:
                raise ActionError(UNSUPPORTED_ACTION)
            arguments = entry.bind(params)
            result = self._call(entry.function, arguments, context)
            return format_reply(result, version)
        except (ActionError, ParameterError, KeyError) as error:
            return error_reply(error_text(error))
        except Exception as error:  # noqa: BLE001 - every failure becomes a reply
            log.debug("action %r failed:\n%s", action, traceback.format_exc())
            return error_reply(error_text(error))

    def _call(self, function: Any, arguments: Mapping[str, Any], context: RequestContext) -> Any:
        # Saved and restored: a modal dialog can serve other requests meanwhile.
        previous, self._context = self._context, context
        try:
            return function(self.api, **arguments)
        finally:
            self._context = previous

    @property
    def context(self) -> RequestContext:
        """The context of the request being run (`multi` passes it on)."""
        return self._context

    def _key_is_valid(self, key: Any, context: RequestContext) -> bool:
        expected = self.host.settings().apiKey
        if key is None and expected is not None and context.header_key is not None:
            key = context.header_key
        if isinstance(key, str) and isinstance(expected, str):
            return hmac.compare_digest(key.encode("utf-8"), expected.encode("utf-8"))
        return key == expected
