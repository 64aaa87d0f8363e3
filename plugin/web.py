"""From an HTTP request to an HTTP response: origin, host and CORS rules around the protocol.

Status codes and header order follow the original add-on byte for byte
(protocol §1-2); the server layer adds the `Connection` header. Bodies are
the original's JSON byte for byte (`reply_json.py`).
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any, Callable

from .config import Settings
from .http11 import HttpRequest, HttpResponse
from .origin import check_origin
from .protocol import PERMISSION_ACTION, MalformedRequest, RequestContext, error_reply, parse_request
from .reply_json import encode_reply

if TYPE_CHECKING:
    from .protocol import Dispatcher
    from .request_log import RequestLog

JSON_TYPE = "application/json"
_LOOPBACK_NAMES = {"localhost", "localhost.", "127.0.0.1", "::1"}


class WebGateway:
    def __init__(
        self,
        dispatcher: Dispatcher,
        settings: Callable[[], Settings],
        request_log: RequestLog | None = None,
    ) -> None:
        self.dispatcher = dispatcher
        self.settings = settings
        self.request_log = request_log

    def respond(self, request: HttpRequest) -> HttpResponse:
        settings = self.settings()
        origin = request.header("origin")
        verdict = check_origin(origin, settings.allowed_origins)
        allow_origin = verdict.allow_origin_header

        if request.method.upper() == "OPTIONS":
            return _preflight(request, allow_origin)
        if not host_is_allowed(request.header("host"), settings):
            return forbidden(allow_origin)
        if not request.body:
            if not verdict.allowed:
                return forbidden(allow_origin)
            return json_response({"apiVersion": f"AnkiConnect v.{settings.apiVersion}"}, allow_origin)

        try:
            payload = parse_request(request.body)
        except MalformedRequest as error:
            if not verdict.allowed:
                return forbidden(allow_origin)
            return json_response(error_reply(str(error)), allow_origin)

        is_permission = payload["action"] == PERMISSION_ACTION
        if not verdict.allowed:
            if not is_permission:
                return forbidden(allow_origin)
            # let the page read the answer, granted or denied
            allow_origin = origin or allow_origin

        context = RequestContext(
            origin=origin or "",
            origin_allowed=verdict.allowed,
            header_key=_bearer_token(request.header("authorization")),
        )
        if self.request_log:
            self.request_log.request(payload)
        reply = self.dispatcher.handle(payload, context)
        if self.request_log:
            self.request_log.reply(reply)
        return json_response(reply, allow_origin)


def json_response(reply: Any, allow_origin: str) -> HttpResponse:
    try:
        body = encode_reply(reply)
    except (TypeError, ValueError) as error:  # a bug in an action, not the client's fault
        body = encode_reply(error_reply(f"the result could not be encoded as JSON: {error}"))
    return HttpResponse(
        200,
        [
            ("Content-Type", JSON_TYPE),
            ("Access-Control-Allow-Origin", allow_origin),
            ("Access-Control-Allow-Headers", "*"),
            ("Content-Length", str(len(body))),
        ],
        body,
    )


def forbidden(allow_origin: str) -> HttpResponse:
    return HttpResponse(
        403,
        [("Access-Control-Allow-Origin", allow_origin), ("Access-Control-Allow-Headers", "*")],
        close=True,
    )


def _preflight(request: HttpRequest, allow_origin: str) -> HttpResponse:
    headers = [
        ("Content-Type", JSON_TYPE),
        ("Access-Control-Allow-Origin", allow_origin),
        ("Access-Control-Allow-Headers", "*"),
        ("Content-Length", "0"),
    ]
    if (request.header("access-control-request-private-network") or "").lower() == "true":
        headers.append(("Access-Control-Allow-Private-Network", "true"))
    return HttpResponse(200, headers)


def _bearer_token(header: str | None) -> str | None:
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def host_is_allowed(host_header: str | None, settings: Settings) -> bool:
    """Refuse DNS-rebinding requests: a browser naming a host we do not serve.

    Allowed: no Host header (not a browser), IP literals (cannot be rebound),
    `localhost` and `*.localhost` (browsers resolve those to loopback
    themselves), the bind address, and hosts the user listed in `webAllowedHosts`.
    """
    if host_header is None:
        return True
    host = _strip_port(host_header.strip()).lower()
    if not host or host in _LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    if host == settings.webBindAddress.lower():
        return True
    if host in (h.lower() for h in settings.webAllowedHosts) or "*" in settings.webAllowedHosts:
        return True
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _strip_port(host: str) -> str:
    if host.startswith("["):  # [::1]:8765
        return host[1 : host.find("]")] if "]" in host else host
    if host.count(":") == 1:
        return host.split(":", 1)[0]
    return host
