"""What a hostile web page or local program can try, against real Anki over HTTP.

Anki runs with an API key and one extra allowed host name, as a user who opened
the API to the LAN would configure it. Every refused request is checked to
have changed nothing: all tables, the media folder, files around it.
"""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.integration.test_collection_safety import SNAPSHOT
from tests.support.anki import RunningAnki, start_anki
from tests.support.client import ApiClient, raw_exchange, split_response
from tests.support.local_web import RouteHandler, local_web_server

KEY = "correct horse battery staple"
ALLOWED_HOST = "anki.home.arpa"
ATTACKER = "https://attacker.example"


@pytest.fixture(scope="module")
def anki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningAnki]:
    running = start_anki(
        tmp_path_factory.mktemp("attacks"),
        config={"apiKey": KEY, "webAllowedHosts": [ALLOWED_HOST]},
        wait=False,
    )
    try:
        wait_until_serving_with_key(running)
    except Exception:
        running.stop()
        raise
    yield running
    assert running.probe("result = mw.col.db.scalar('pragma integrity_check')") == "ok"
    assert running.error_dialogs() == []
    running.stop()


def wait_until_serving_with_key(anki: RunningAnki, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if call(anki, "reloadCollection") == {"result": None, "error": None}:
                return
        except (OSError, AssertionError, ValueError):
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(anki.process.log_tail())
        time.sleep(0.1)


def exchange(
    anki: RunningAnki, request: Any, *, host: str = "127.0.0.1", origin: str | None = None, bearer: str | None = None
) -> tuple[str, bytes]:
    body = json.dumps(request).encode()
    lines = [b"POST / HTTP/1.1", b"Host: " + host.encode(), b"Content-Length: %d" % len(body)]
    if origin is not None:
        lines.append(b"Origin: " + origin.encode())
    if bearer is not None:
        lines.append(b"Authorization: Bearer " + bearer.encode())
    status, _, payload = split_response(raw_exchange(anki.port, b"\r\n".join(lines) + b"\r\n\r\n" + body))
    return status, payload


def call(anki: RunningAnki, action: str, key: Any = KEY, **params: Any) -> Any:
    """The reply of a request from a local program (no Origin) carrying `key`."""
    request = {"action": action, "version": 6, "params": params}
    if key is not None:
        request["key"] = key
    status, payload = exchange(anki, request)
    assert status == "HTTP/1.1 200 OK"
    return json.loads(payload)


@pytest.fixture(scope="module")
def api(anki: RunningAnki) -> ApiClient:
    def send(request: dict[str, Any]) -> Any:
        status, payload = exchange(anki, {**request, "key": KEY})
        assert status == "HTTP/1.1 200 OK"
        return json.loads(payload)

    return ApiClient(send)


@pytest.fixture(scope="module")
def note_id(api: ApiClient) -> int:
    api("createDeck", deck="Attacks")
    return api(
        "addNote", note={"deckName": "Attacks", "modelName": "Basic", "fields": {"Front": "safe", "Back": "sound"}}
    )


def snapshot(anki: RunningAnki) -> dict[str, Any]:
    return anki.probe(SNAPSHOT)


# -- origins: refused before any action runs ------------------------------------------------------

WRITES = {
    "createDeck": {"deck": "Attacker's deck"},
    "addNote": {"note": {"deckName": "Attacks", "modelName": "Basic", "fields": {"Front": "pwned"}}},
    "deleteNotes": {"notes": ["NOTE"]},
    "updateNoteFields": {"note": {"id": "NOTE", "fields": {"Front": "pwned"}}},
    "storeMediaFile": {"filename": "_attacker.js", "data": base64.b64encode(b"alert(1)").decode()},
    "deleteDecks": {"decks": ["Attacks"], "cardsToo": True},
    "multi": {"actions": [{"action": "createDeck", "params": {"deck": "Attacker's deck"}, "key": KEY}]},
}


def _with_note(params: dict[str, Any], note_id: int) -> dict[str, Any]:
    return json.loads(json.dumps(params).replace('"NOTE"', str(note_id)))


@pytest.mark.parametrize("origin", [ATTACKER, "null", "http://localhost:3000", "http://127.0.0.1.attacker.example"])
@pytest.mark.parametrize("action", sorted(WRITES))
def test_a_disallowed_origin_is_refused_before_a_write_runs(
    anki: RunningAnki, note_id: int, action: str, origin: str
) -> None:
    request = {"action": action, "version": 6, "key": KEY, "params": _with_note(WRITES[action], note_id)}
    before = snapshot(anki)
    # even with the right key and the key in a header too: the origin decides first
    assert exchange(anki, request, origin=origin) == ("HTTP/1.1 403 Forbidden", b"")
    assert exchange(anki, request, origin=origin, bearer=KEY) == ("HTTP/1.1 403 Forbidden", b"")
    assert snapshot(anki) == before


def test_a_disallowed_origin_may_only_ask_for_permission(anki: RunningAnki) -> None:
    # a malformed body gets 403 too, so a page learns nothing from it
    assert exchange(anki, "not a request", origin=ATTACKER) == ("HTTP/1.1 403 Forbidden", b"")
    status, payload = exchange(anki, {"action": "version", "version": 6}, origin=ATTACKER)
    assert (status, payload) == ("HTTP/1.1 403 Forbidden", b"")
    # answered "denied" without a dialog: the origin is on the ignore list
    anki.probe(
        """
        config = mw.addonManager.getConfig('ankiconnect')
        config['ignoreOriginList'] = ['https://ignored.example']
        mw.addonManager.writeConfig('ankiconnect', config)
        mw._ankiconnect.on_config_updated(config)
        """
    )
    status, payload = exchange(anki, {"action": "requestPermission", "version": 6}, origin="https://ignored.example")
    assert (status, json.loads(payload)) == ("HTTP/1.1 200 OK", {"result": {"permission": "denied"}, "error": None})


def test_allowed_origins_are_served(anki: RunningAnki) -> None:
    for origin in ("http://localhost", "http://127.0.0.1:5173", "chrome-extension://yomitan-id"):
        status, payload = exchange(anki, {"action": "version", "version": 6, "key": KEY}, origin=origin)
        assert (status, json.loads(payload)) == ("HTTP/1.1 200 OK", {"result": 6, "error": None})


# -- Host: DNS rebinding ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host",
    [
        "attacker.example",
        "attacker.example:8765",
        "anki.home.arpa.attacker.example",
        "localhost.attacker.example",
        "127.0.0.1.nip.io",
    ],
)
def test_a_rebinding_host_is_refused_before_a_write_runs(anki: RunningAnki, host: str) -> None:
    before = snapshot(anki)
    request = {"action": "createDeck", "version": 6, "key": KEY, "params": {"deck": "Rebound"}}
    assert exchange(anki, request, host=host) == ("HTTP/1.1 403 Forbidden", b"")
    assert snapshot(anki) == before


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1:8765",
        "localhost",
        "LOCALHOST:8765",
        "app.localhost",
        "[::1]:8765",
        ALLOWED_HOST,
        "Anki.Home.Arpa:8765",
    ],
)
def test_loopback_names_and_configured_hosts_are_served(anki: RunningAnki, host: str) -> None:
    status, payload = exchange(anki, {"action": "version", "version": 6, "key": KEY}, host=host)
    assert (status, json.loads(payload)) == ("HTTP/1.1 200 OK", {"result": 6, "error": None})


# -- the API key ------------------------------------------------------------------------------------

INVALID_KEY = {"result": None, "error": "valid api key must be provided"}


@pytest.mark.parametrize("key", [None, "", "wrong", KEY + " ", KEY.upper(), 12345, [KEY], {"key": KEY}])
def test_a_missing_or_wrong_key_is_refused_and_changes_nothing(anki: RunningAnki, key: Any) -> None:
    before = snapshot(anki)
    assert call(anki, "createDeck", key=key, deck="Keyless") == INVALID_KEY
    assert call(anki, "unknownAction", key=key) == INVALID_KEY  # checked before the action is looked up
    assert snapshot(anki) == before


def test_the_key_in_the_body(anki: RunningAnki) -> None:
    assert call(anki, "deckNames")["error"] is None
    assert call(anki, "requestPermission", key=None)["result"] == {
        "permission": "granted",
        "requireApikey": True,
        "version": 6,
    }


def test_the_key_as_a_bearer_token(anki: RunningAnki) -> None:
    request = {"action": "version", "version": 6}
    assert exchange(anki, request, bearer=KEY) == ("HTTP/1.1 200 OK", b'{"result": 6, "error": null}')
    assert json.loads(exchange(anki, request, bearer="wrong")[1]) == INVALID_KEY
    assert json.loads(exchange(anki, request, bearer="")[1]) == INVALID_KEY
    # a key in the body is the one checked; the header only stands in for a missing one
    assert json.loads(exchange(anki, {**request, "key": "wrong"}, bearer=KEY)[1]) == INVALID_KEY
    assert json.loads(exchange(anki, {**request, "key": KEY}, bearer="wrong")[1]) == {"result": 6, "error": None}


def test_each_element_of_multi_needs_the_key(anki: RunningAnki) -> None:
    before = snapshot(anki)
    actions = [
        {"action": "version", "version": 6, "key": KEY},
        {"action": "createDeck", "version": 6, "params": {"deck": "Keyless"}},
        {"action": "createDeck", "version": 6, "params": {"deck": "Keyless"}, "key": "wrong"},
    ]
    assert call(anki, "multi", actions=actions)["result"] == [{"result": 6, "error": None}, INVALID_KEY, INVALID_KEY]
    assert snapshot(anki) == before
    # without the outer key, nothing inside runs at all
    assert call(anki, "multi", key=None, actions=actions[:1]) == INVALID_KEY
    # a bearer token covers every element that has no key of its own
    request = {"action": "multi", "version": 6, "params": {"actions": actions[:2]}}
    status, payload = exchange(anki, request, bearer=KEY)
    assert status == "HTTP/1.1 200 OK"
    deck_id = json.loads(payload)["result"][1]["result"]
    assert json.loads(payload) == {
        "result": [{"result": 6, "error": None}, {"result": deck_id, "error": None}],
        "error": None,
    }
    assert call(anki, "deleteDecks", decks=["Keyless"], cardsToo=True) == {"result": None, "error": None}


# -- media names cannot leave the media folder ------------------------------------------------------

ESCAPES = [
    "../escaped.txt",
    "../../escaped.txt",
    "..\\escaped.txt",
    "/tmp/escaped.txt",
    "C:\\escaped.txt",
    "sub/escaped.txt",
    "escaped\x00.txt",
    "..",
    ".",
    "",
]


@pytest.mark.parametrize("name", ESCAPES)
def test_media_names_cannot_leave_the_media_folder(anki: RunningAnki, api: ApiClient, name: str) -> None:
    folder = Path(api("getMediaDirPath"))
    around = sorted(str(p) for p in folder.parent.parent.rglob("*") if "collection.media" not in p.parts)
    before = snapshot(anki)
    data = base64.b64encode(b"escaped").decode()
    errors = [
        api.error("storeMediaFile", filename=name, data=data),
        api.error("retrieveMediaFile", filename=name),
        api.error("deleteMediaFile", filename=name),
    ]
    assert len(set(errors)) == 1
    assert errors[0].startswith(("invalid media file name ", "media file name must not be empty"))
    assert snapshot(anki) == before
    assert sorted(str(p) for p in folder.parent.parent.rglob("*") if "collection.media" not in p.parts) == around


def test_files_beside_the_media_folder_cannot_be_read_or_deleted(anki: RunningAnki, api: ApiClient) -> None:
    folder = Path(api("getMediaDirPath"))
    collection = folder.parent / "collection.anki2"
    assert collection.is_file()
    assert api.error("retrieveMediaFile", filename="../collection.anki2") == (
        "invalid media file name '../collection.anki2': it must not contain a path (/ or \\)"
    )
    assert api.error("deleteMediaFile", filename="../collection.anki2").startswith("invalid media file name")
    assert collection.is_file()
    assert api("getMediaFilesNames", pattern="../*") == []
    assert api("getMediaFilesNames", pattern="*collection*") == []


# -- storeMediaFile url: http(s) only, no redirect elsewhere -----------------------------------------


class Site(RouteHandler):
    routes = {
        "/word.mp3": (200, {}, b"ID3 pronunciation"),
        "/moved.mp3": (302, {"Location": "/word.mp3"}, b""),
        "/to-file": (302, {"Location": "file:///etc/hostname"}, b""),
        "/to-file-307": (307, {"Location": "file:///etc/hostname"}, b""),
        "/to-ftp": (301, {"Location": "ftp://127.0.0.1/x"}, b""),
        "/to-data": (303, {"Location": "data:text/plain;base64,cHduZWQ="}, b""),
        "/to-redirect-to-file": (302, {"Location": "/to-file"}, b""),
    }


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    with local_web_server(Site) as url:
        yield url


def test_a_url_download_over_http_is_stored(anki: RunningAnki, api: ApiClient, site: str) -> None:
    assert api("storeMediaFile", filename="_word.mp3", url=f"{site}/word.mp3") == "_word.mp3"
    assert api("storeMediaFile", filename="_moved.mp3", url=f"{site}/moved.mp3") == "_moved.mp3"
    assert api("retrieveMediaFile", filename="_moved.mp3") == base64.b64encode(b"ID3 pronunciation").decode()
    api("deleteMediaFile", filename="_word.mp3")
    api("deleteMediaFile", filename="_moved.mp3")


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("file:///etc/hostname", "file:///etc/hostname cannot be downloaded: only http and https URLs are allowed"),
        ("FILE:///etc/hostname", "FILE:///etc/hostname cannot be downloaded: only http and https URLs are allowed"),
        ("ftp://127.0.0.1/x", "ftp://127.0.0.1/x cannot be downloaded: only http and https URLs are allowed"),
        ("data:text/plain;base64,cHduZWQ=", None),
        ("/etc/hostname", "/etc/hostname cannot be downloaded: only http and https URLs are allowed"),
    ],
)
def test_only_http_urls_are_downloaded(anki: RunningAnki, api: ApiClient, url: str, error: str | None) -> None:
    before = snapshot(anki)
    expected = error or f"{url} cannot be downloaded: only http and https URLs are allowed"
    assert api.error("storeMediaFile", filename="_stolen.txt", url=url) == expected
    assert snapshot(anki) == before


@pytest.mark.parametrize("path", ["/to-file", "/to-file-307", "/to-ftp", "/to-data", "/to-redirect-to-file"])
def test_no_redirect_leads_away_from_http(anki: RunningAnki, api: ApiClient, site: str, path: str) -> None:
    before = snapshot(anki)
    message = api.error("storeMediaFile", filename="_stolen.txt", url=f"{site}{path}")
    first_hop = f"{site}/to-file" if path == "/to-redirect-to-file" else f"{site}{path}"
    assert message == f"{first_hop} download failed: redirected to a URL that is not http or https"
    assert snapshot(anki) == before
