"""The add-on inside real Anki: HTTP on loopback, exact bytes, dialogs, no crash dialogs."""

from __future__ import annotations

import json
import socket
import threading
from typing import Any

import pytest

from tests.support.anki import RunningAnki
from tests.support.client import ApiClient, ResponseReader, raw_exchange, split_response


def post(body: bytes, *headers: bytes) -> bytes:
    lines = [b"POST / HTTP/1.1", b"Host: 127.0.0.1", b"Content-Length: %d" % len(body), *headers]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


@pytest.mark.smoke
def test_version_byte_for_byte(anki: RunningAnki) -> None:
    raw = raw_exchange(anki.port, post(b'{"action": "version", "version": 6}'))
    assert raw == (
        b"HTTP/1.1 200 OK\r\n"
        b"Content-Type: application/json\r\n"
        b"Access-Control-Allow-Origin: http://localhost\r\n"
        b"Access-Control-Allow-Headers: *\r\n"
        b"Content-Length: 28\r\n"
        b"Connection: keep-alive\r\n"
        b"Keep-Alive: timeout=120\r\n"
        b"\r\n"
        b'{"result": 6, "error": null}'
    )


@pytest.mark.smoke
def test_the_done_criteria_of_the_foundation(anki: RunningAnki) -> None:
    def body(request: bytes) -> bytes:
        return split_response(raw_exchange(anki.port, post(request)))[2]

    assert body(b'{"action": "version", "version": 6}') == b'{"result": 6, "error": null}'
    assert body(b'{"action": "version"}') == b"6"
    assert body(b'{"action": "nope", "version": 6}') == b'{"result": null, "error": "unsupported action"}'


def test_the_banner_for_a_browser_opening_the_address(anki: RunningAnki) -> None:
    raw = raw_exchange(anki.port, b"GET / HTTP/1.1\r\nHost: 127.0.0.1:8765\r\n\r\n")
    assert split_response(raw)[2] == b'{"apiVersion": "AnkiConnect v.6"}'


def test_preflight_from_a_browser_extension(anki: RunningAnki) -> None:
    raw = raw_exchange(
        anki.port,
        b"OPTIONS / HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: chrome-extension://yomitan\r\n"
        b"Access-Control-Request-Method: POST\r\nAccess-Control-Request-Headers: content-type\r\n\r\n",
    )
    status, headers, body = split_response(raw)
    assert status == "HTTP/1.1 200 OK"
    assert headers[:4] == [
        ("Content-Type", "application/json"),
        ("Access-Control-Allow-Origin", "chrome-extension://yomitan"),
        ("Access-Control-Allow-Headers", "*"),
        ("Content-Length", "0"),
    ]
    assert body == b""


def test_a_disallowed_origin_is_refused_with_the_exact_403(anki: RunningAnki) -> None:
    raw = raw_exchange(anki.port, post(b'{"action": "version"}', b"Origin: https://evil.example"))
    assert raw == (
        b"HTTP/1.1 403 Forbidden\r\n"
        b"Access-Control-Allow-Origin: http://localhost\r\n"
        b"Access-Control-Allow-Headers: *\r\n"
        b"Connection: close\r\n"
        b"\r\n"
    )


def test_many_requests_on_one_kept_alive_connection(anki: RunningAnki) -> None:
    with socket.create_connection(("127.0.0.1", anki.port), timeout=10) as sock:
        reader = ResponseReader(sock)
        for _ in range(50):
            sock.sendall(post(b'{"action": "version"}'))
            assert split_response(reader.next())[2] == b"6"


def test_a_malformed_body_is_an_error_reply_and_anki_shows_nothing(anki: RunningAnki) -> None:
    raw = raw_exchange(anki.port, post(b"\xff\xfe not json"))
    assert json.loads(split_response(raw)[2]) == {
        "result": None,
        "error": "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte",
    }
    assert anki.error_dialogs() == []


def test_an_action_failing_inside_anki_reaches_the_client_not_a_dialog(anki: RunningAnki, api: ApiClient) -> None:
    message = api.error("importPackage", path="/nonexistent/folder/deck.apkg")
    assert "deck.apkg" in message or "No such file" in message
    assert anki.error_dialogs() == []


@pytest.mark.smoke
def test_the_server_runs_on_the_main_thread(anki: RunningAnki) -> None:
    assert anki.probe(
        """
        import threading
        controller = mw._ankiconnect
        result = [controller.service.server.listener is not None,
                  threading.current_thread() is threading.main_thread()]
        """
    ) == [True, True]


# -- requestPermission ------------------------------------------------------------------------

CLICK = """
from aqt.qt import QApplication, QMessageBox
boxes = [w for w in QApplication.topLevelWidgets()
         if w.objectName() == "ankiconnect-permission" and w.isVisible()]
result = None
if boxes:
    box = boxes[0]
    result = box.text()
    box.checkBox().setChecked({ignore})
    box.button(QMessageBox.StandardButton.{button}).click()
"""


def ask_permission_in_background(anki: RunningAnki, origin: str) -> tuple[threading.Thread, dict[str, Any]]:
    outcome: dict[str, Any] = {}

    def ask() -> None:
        body = b'{"action": "requestPermission", "version": 6}'
        raw = raw_exchange(anki.port, post(body, b"Origin: " + origin.encode()), timeout=60)
        outcome["headers"] = dict(split_response(raw)[1])
        outcome["reply"] = json.loads(split_response(raw)[2])

    thread = threading.Thread(target=ask)
    thread.start()
    return thread, outcome


def config_of(anki: RunningAnki) -> dict[str, Any]:
    return anki.probe("result = mw.addonManager.getConfig('ankiconnect')")


def test_permission_yes_allows_the_origin_from_then_on(anki: RunningAnki, api: ApiClient) -> None:
    origin = "https://cards.example.org"
    thread, outcome = ask_permission_in_background(anki, origin)
    text = anki.wait_for(CLICK.format(ignore=False, button="Yes"))
    thread.join(30)
    assert origin in text
    assert outcome["reply"] == {
        "result": {"permission": "granted", "requireApikey": False, "version": 6},
        "error": None,
    }
    assert outcome["headers"]["Access-Control-Allow-Origin"] == origin
    assert origin in config_of(anki)["webCorsOriginList"]
    raw = raw_exchange(anki.port, post(b'{"action": "version"}', b"Origin: " + origin.encode()))
    assert split_response(raw)[2] == b"6"


def test_permission_no_with_ignore_denies_later_requests_silently(anki: RunningAnki) -> None:
    origin = "https://spam.example.org"
    thread, outcome = ask_permission_in_background(anki, origin)
    anki.wait_for(CLICK.format(ignore=True, button="No"))
    thread.join(30)
    assert outcome["reply"] == {"result": {"permission": "denied"}, "error": None}
    assert origin in config_of(anki)["ignoreOriginList"]
    # asked again: denied at once, no dialog
    thread, outcome = ask_permission_in_background(anki, origin)
    thread.join(30)
    assert outcome["reply"] == {"result": {"permission": "denied"}, "error": None}


def test_other_clients_are_served_while_the_question_is_open(anki: RunningAnki, api: ApiClient) -> None:
    thread, outcome = ask_permission_in_background(anki, "https://waiting.example.org")
    anki.wait_for(
        "from aqt.qt import QApplication\n"
        "result = any(w.objectName() == 'ankiconnect-permission' and w.isVisible()"
        " for w in QApplication.topLevelWidgets())"
    )
    # the dialog is open and unanswered, yet requests go through
    assert api("version") == 6
    assert api("multi", actions=[{"action": "getActiveProfile"}]) == ["User 1"]
    # a second page asking meanwhile is denied, not stacked
    second, second_outcome = ask_permission_in_background(anki, "https://second.example.org")
    second.join(30)
    assert second_outcome["reply"] == {"result": {"permission": "denied"}, "error": None}
    anki.wait_for(CLICK.format(ignore=False, button="No"))
    thread.join(30)
    assert outcome["reply"] == {"result": {"permission": "denied"}, "error": None}


@pytest.mark.parametrize("action", ["getProfiles", "getActiveProfile"])
def test_profile_actions_in_anki(api: ApiClient, action: str) -> None:
    expected = {"getProfiles": ["User 1"], "getActiveProfile": "User 1"}[action]
    assert api(action) == expected


def test_the_housekeeping_timer_runs_only_while_clients_are_connected(anki: RunningAnki) -> None:
    active = "result = mw._ankiconnect.housekeeping.timer.isActive()"
    idle = (
        "result = not mw._ankiconnect.service.server.connections and not mw._ankiconnect.housekeeping.timer.isActive()"
    )
    anki.wait_for(idle)  # nobody connected: Anki is not woken for nothing
    with socket.create_connection(("127.0.0.1", anki.port), timeout=10) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nContent-Le")  # a half request keeps the connection open
        assert anki.wait_for(active) is True
    anki.wait_for(idle)
