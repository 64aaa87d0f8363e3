"""HTTP behaviour around the protocol, byte for byte (protocol §1-2, §7)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from plugin.http11 import HttpRequest, HttpResponse
from plugin.origin import check_origin
from plugin.service import ApiService

DEFAULT_ORIGINS = ["http://localhost"]


def send(service: ApiService, body: bytes | str = b"", method: str = "POST", **headers: str) -> HttpResponse:
    data = body.encode() if isinstance(body, str) else body
    lowered = {name.replace("_", "-").lower(): value for name, value in headers.items()}
    return service.gateway.respond(HttpRequest(method, "/", "HTTP/1.1", lowered, data))


def test_a_json_reply_byte_for_byte(service: ApiService) -> None:
    response = send(service, '{"action": "version", "version": 6}')
    assert response.to_bytes() == (
        b"HTTP/1.1 200 OK\r\n"
        b"Content-Type: application/json\r\n"
        b"Access-Control-Allow-Origin: http://localhost\r\n"
        b"Access-Control-Allow-Headers: *\r\n"
        b"Content-Length: 28\r\n"
        b"\r\n"
        b'{"result": 6, "error": null}'
    )


def test_replies_escape_non_ascii_like_pythons_json(service: ApiService) -> None:
    response = send(
        service, '{"action": "multi", "version": 6, "params": {"actions": [{"action": "r\u00e9sum\u00e9"}]}}'
    )
    assert response.body == b'{"result": [{"result": null, "error": "unsupported action"}], "error": null}'
    response = send(service, '{"action": "loadProfile", "version": 6, "params": {"name": "\u65e5\u672c"}}')
    assert response.body == b'{"result": false, "error": null}'
    response = send(service, '{"action": "getNoteTags", "version": 6, "params": {"note": "\u65e5\U0001f600"}}')
    assert response.body == b'{"result": null, "error": "Note was not found: \\u65e5\\ud83d\\ude00"}'


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "get"])
def test_the_method_is_ignored_except_options(service: ApiService, method: str) -> None:
    assert send(service, '{"action": "version"}', method=method).body == b"6"


def test_an_empty_body_gets_the_banner(service: ApiService) -> None:
    response = send(service)
    assert response.status == 200
    assert response.body == b'{"apiVersion": "AnkiConnect v.6"}'
    assert response.headers[0] == ("Content-Type", "application/json")


def test_a_disallowed_origin_gets_the_exact_403(service: ApiService) -> None:
    response = send(service, '{"action": "version"}', origin="http://evil.example")
    assert response.to_bytes() == (
        b"HTTP/1.1 403 Forbidden\r\n"
        b"Access-Control-Allow-Origin: http://localhost\r\n"
        b"Access-Control-Allow-Headers: *\r\n"
        b"\r\n"
    )
    assert response.close


@pytest.mark.parametrize("body", [b"", b"{not json", b'{"action": 5}'])
def test_a_disallowed_origin_gets_403_for_empty_or_malformed_bodies(service: ApiService, body: bytes) -> None:
    assert send(service, body, origin="http://evil.example").status == 403


def test_malformed_json_from_an_allowed_origin_is_a_200_error_object(service: ApiService) -> None:
    response = send(service, "{1: 2}", origin="chrome-extension://abc")
    assert response.status == 200
    assert response.body == (
        b'{"result": null, "error": "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"}'
    )
    assert ("Access-Control-Allow-Origin", "chrome-extension://abc") in response.headers


def test_preflight(service: ApiService) -> None:
    response = send(service, method="OPTIONS", origin="http://evil.example")
    assert response.to_bytes() == (
        b"HTTP/1.1 200 OK\r\n"
        b"Content-Type: application/json\r\n"
        b"Access-Control-Allow-Origin: http://localhost\r\n"
        b"Access-Control-Allow-Headers: *\r\n"
        b"Content-Length: 0\r\n"
        b"\r\n"
    )


def test_preflight_for_private_network_access(service: ApiService) -> None:
    response = send(
        service, method="options", origin="chrome-extension://abc", access_control_request_private_network="true"
    )
    assert response.headers == [
        ("Content-Type", "application/json"),
        ("Access-Control-Allow-Origin", "chrome-extension://abc"),
        ("Access-Control-Allow-Headers", "*"),
        ("Content-Length", "0"),
        ("Access-Control-Allow-Private-Network", "true"),
    ]


def test_request_permission_from_a_disallowed_origin_echoes_the_origin(service: ApiService) -> None:
    response = send(service, '{"action": "requestPermission", "version": 6}', origin="http://evil.example")
    assert response.status == 200
    assert ("Access-Control-Allow-Origin", "http://evil.example") in response.headers
    # headless: nobody can be asked, so the answer is no
    assert response.body == b'{"result": {"permission": "denied"}, "error": null}'


def test_request_permission_from_an_allowed_origin_is_granted(service: ApiService) -> None:
    response = send(service, '{"action": "requestPermission", "version": 2}', origin="moz-extension://x")
    assert response.body == b'{"permission": "granted", "requireApikey": false, "version": 6}'
    assert ("Access-Control-Allow-Origin", "moz-extension://x") in response.headers


class TestWildcardOrigin:
    @pytest.fixture
    def config(self) -> dict[str, Any]:
        return {"webCorsOriginList": ["*"]}

    def test_everything_is_allowed_with_a_star(self, service: ApiService) -> None:
        response = send(service, '{"action": "version"}', origin="http://anything.example")
        assert response.body == b"6"
        assert ("Access-Control-Allow-Origin", "*") in response.headers


# -- origin rules (protocol §2) --------------------------------------------------------------


@pytest.mark.parametrize(
    ("origin", "origins", "allowed", "header"),
    [
        (None, DEFAULT_ORIGINS, True, "http://localhost"),
        ("http://localhost", DEFAULT_ORIGINS, True, "http://localhost"),
        ("http://localhost:3000", DEFAULT_ORIGINS, False, "http://localhost"),
        ("http://127.0.0.1", DEFAULT_ORIGINS, True, "http://127.0.0.1"),
        ("https://127.0.0.1", DEFAULT_ORIGINS, True, "https://127.0.0.1"),
        ("http://127.0.0.1:5173", DEFAULT_ORIGINS, True, "http://127.0.0.1:5173"),
        ("https://127.0.0.1:8443", DEFAULT_ORIGINS, False, "http://localhost"),
        ("chrome-extension://abc", DEFAULT_ORIGINS, True, "chrome-extension://abc"),
        ("moz-extension://abc", DEFAULT_ORIGINS, True, "moz-extension://abc"),
        ("safari-web-extension://abc", DEFAULT_ORIGINS, True, "safari-web-extension://abc"),
        ("null", DEFAULT_ORIGINS, False, "http://localhost"),
        ("null", ["null"], True, "null"),
        ("app://obsidian.md", DEFAULT_ORIGINS, False, "http://localhost"),
        ("app://obsidian.md", [*DEFAULT_ORIGINS, "app://obsidian.md"], True, "app://obsidian.md"),
        ("chrome-extension://abc", ["app://obsidian.md"], False, "http://localhost"),
        ("http://127.0.0.1:5173", [], False, "http://localhost"),
        ("http://evil.example", ["*"], True, "*"),
        (None, ["*"], True, "*"),
    ],
)
def test_origin_rules(origin: str | None, origins: list[str], allowed: bool, header: str) -> None:
    verdict = check_origin(origin, origins)
    assert (verdict.allowed, verdict.allow_origin_header) == (allowed, header)


class TestDeprecatedSingleOrigin:
    @pytest.fixture
    def config(self) -> dict[str, Any]:
        return {"webCorsOrigin": "app://obsidian.md"}

    def test_it_is_appended_to_the_list(self, service: ApiService) -> None:
        assert send(service, '{"action": "version"}', origin="app://obsidian.md").body == b"6"
        assert send(service, '{"action": "version"}', origin="chrome-extension://x").body == b"6"


# -- Host header (DNS rebinding) ---------------------------------------------------------------


@pytest.mark.parametrize(
    "host_header", ["localhost", "localhost:8765", "127.0.0.1:8765", "[::1]:8765", "anki.localhost:8765", "192.168.1.4"]
)
def test_loopback_and_ip_hosts_are_served(service: ApiService, host_header: str) -> None:
    assert send(service, '{"action": "version"}', host=host_header).body == b"6"


@pytest.mark.parametrize("host_header", ["evil.example", "evil.example:8765", "localhost.evil.example"])
def test_other_host_names_are_refused(service: ApiService, host_header: str) -> None:
    response = send(service, '{"action": "version"}', host=host_header)
    assert response.status == 403


class TestConfiguredHost:
    @pytest.fixture
    def config(self) -> dict[str, Any]:
        return {"webAllowedHosts": ["anki.home.arpa"]}

    def test_a_configured_host_is_served(self, service: ApiService) -> None:
        assert send(service, '{"action": "version"}', host="anki.home.arpa:8765").body == b"6"
        assert send(service, '{"action": "version"}', host="other.home.arpa:8765").status == 403


class TestRequestLog:
    @pytest.fixture
    def config(self, tmp_path: Any) -> dict[str, Any]:
        log = tmp_path / "requests.log"
        log.write_text("old content\n")
        return {"apiLogPath": str(log)}

    def test_requests_and_replies_are_logged(self, service: ApiService, config: dict[str, Any]) -> None:
        send(service, '{"action": "version", "version": 6}')
        text = Path(config["apiLogPath"]).read_text(encoding="utf-8")
        assert text == (
            '[request]\n{\n    "action": "version",\n    "version": 6\n}\n\n'
            '[reply]\n{\n    "error": null,\n    "result": 6\n}\n\n'
        )
