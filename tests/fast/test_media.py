"""Media actions (protocol: actions/media.md) and the media store, against a real collection.

Downloads go to a local `http.server` on 127.0.0.1, never to the internet.
"""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import time
from pathlib import Path
from typing import Any, Iterator

import pytest
from anki.collection import Collection

from plugin.media_store import media_file_name
from tests.support.client import ApiClient
from tests.support.local_web import RouteHandler, local_web_server


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def media_dir(col: Collection) -> Path:
    return Path(col.media.dir())


def files(col: Collection) -> list[str]:
    return sorted(os.listdir(media_dir(col)))


# -- a local web server -------------------------------------------------------------------


class Handler(RouteHandler):
    routes = {
        "/perro.mp3": (200, {}, b"woof"),
        "/missing.mp3": (404, {}, b"not here"),
        "/moved.mp3": (302, {"Location": "/perro.mp3"}, b""),
        "/to-file": (302, {"Location": "file:///etc/passwd"}, b""),
        "/to-ftp": (301, {"Location": "ftp://127.0.0.1/x"}, b""),
        "/big.bin": (200, {}, b"x" * 5000),
        "/created": (201, {}, b"made"),
    }
    missing = (200, {}, b"slow")

    def do_GET(self) -> None:
        if self.path == "/slow.mp3":
            time.sleep(1.5)
        if self.path == "/unsized.bin":  # no Content-Length: the size limit applies while reading
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"y" * 5000)
            self.close_connection = True
            return
        super().do_GET()


@pytest.fixture(scope="module")
def web() -> Iterator[str]:
    with local_web_server(Handler) as url:
        yield url


# -- storeMediaFile -----------------------------------------------------------------------


def test_store_and_retrieve(col: Collection, call: ApiClient) -> None:
    assert call("storeMediaFile", filename="_hello.txt", data="aGVsbG8gd29ybGQ=") == "_hello.txt"
    assert (media_dir(col) / "_hello.txt").read_bytes() == b"hello world"
    assert call("retrieveMediaFile", filename="_hello.txt") == "aGVsbG8gd29ybGQ="
    assert call("retrieveMediaFile", filename="nothing.txt") is False


def test_store_replaces_an_existing_file_by_default(col: Collection, call: ApiClient) -> None:
    call("storeMediaFile", filename="a.txt", data=b64(b"old"))
    assert call("storeMediaFile", filename="a.txt", data=b64(b"new")) == "a.txt"
    assert files(col) == ["a.txt"]
    assert (media_dir(col) / "a.txt").read_bytes() == b"new"


def test_store_without_delete_existing_keeps_the_old_file(col: Collection, call: ApiClient) -> None:
    call("storeMediaFile", filename="a.txt", data=b64(b"old"))
    assert call("storeMediaFile", filename="a.txt", data=b64(b"old"), deleteExisting=False) == "a.txt"
    renamed = call("storeMediaFile", filename="a.txt", data=b64(b"new"), deleteExisting=False)
    assert renamed == f"a-{hashlib.sha1(b'new').hexdigest()}.txt"
    assert (media_dir(col) / "a.txt").read_bytes() == b"old"
    assert (media_dir(col) / renamed).read_bytes() == b"new"


def test_a_matching_skip_hash_stores_nothing(col: Collection, call: ApiClient) -> None:
    digest = hashlib.md5(b"same").hexdigest()
    assert call("storeMediaFile", filename="s.txt", data=b64(b"same"), skipHash=digest.upper()) is None
    assert files(col) == []
    assert call("storeMediaFile", filename="s.txt", data=b64(b"other"), skipHash=digest) == "s.txt"


def test_the_first_non_empty_source_wins(col: Collection, call: ApiClient, tmp_path: Path) -> None:
    source = tmp_path / "picture.png"
    source.write_bytes(b"from disk")
    assert call("storeMediaFile", filename="p.png", data="", path=str(source), url="http://127.0.0.1:1/x") == "p.png"
    assert (media_dir(col) / "p.png").read_bytes() == b"from disk"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, 'You must provide a "data", "path", or "url" field.'),
        ({"data": "", "path": "", "url": ""}, 'You must provide a "data", "path", or "url" field.'),
        ({"data": "abc"}, "Incorrect padding"),
        ({"path": "relative/x.png"}, "path must be absolute: relative/x.png"),
        (
            {"url": "file:///etc/passwd"},
            "file:///etc/passwd cannot be downloaded: only http and https URLs are allowed",
        ),
        ({"url": "ftp://127.0.0.1/x"}, "ftp://127.0.0.1/x cannot be downloaded: only http and https URLs are allowed"),
    ],
)
def test_store_errors(col: Collection, call: ApiClient, params: dict[str, Any], message: str) -> None:
    assert call.error("storeMediaFile", filename="x.png", **params) == message
    assert files(col) == []


def test_a_missing_path_reports_python_s_error(col: Collection, call: ApiClient, tmp_path: Path) -> None:
    missing = tmp_path / "nope.png"
    assert call.error("storeMediaFile", filename="x.png", path=str(missing)) == (
        f"[Errno 2] No such file or directory: '{missing}'"
    )


UNSAFE_NAMES = [
    ("../x.txt", "invalid media file name '../x.txt': it must not contain a path (/ or \\)"),
    ("/etc/passwd", "invalid media file name '/etc/passwd': it must not contain a path (/ or \\)"),
    ("..\\x.txt", "invalid media file name '..\\\\x.txt': it must not contain a path (/ or \\)"),
    ("C:\\x.txt", "invalid media file name 'C:\\\\x.txt': it must not contain a path (/ or \\)"),
    ("a\x00b.txt", "invalid media file name 'a\\x00b.txt': it must not contain control characters"),
    ("a\nb.txt", "invalid media file name 'a\\nb.txt': it must not contain control characters"),
    ("CON", "invalid media file name 'CON': it is a reserved device name on Windows"),
    ("nul.txt", "invalid media file name 'nul.txt': it is a reserved device name on Windows"),
    ("Lpt1.tar.gz", "invalid media file name 'Lpt1.tar.gz': it is a reserved device name on Windows"),
    ("", "media file name must not be empty"),
    ("..", "invalid media file name '..': nothing is left of it once Anki's rules are applied"),
    ("???", "invalid media file name '???': nothing is left of it once Anki's rules are applied"),
    (5, "media file name must be a string, not int"),
]


@pytest.mark.parametrize(("name", "message"), UNSAFE_NAMES)
def test_unsafe_names_are_refused_and_nothing_is_written(
    col: Collection, call: ApiClient, name: Any, message: str
) -> None:
    before = sorted(os.listdir(media_dir(col).parent))
    assert call.error("storeMediaFile", filename=name, data=b64(b"x")) == message
    assert files(col) == []
    assert sorted(os.listdir(media_dir(col).parent)) == before
    assert call.error("retrieveMediaFile", filename=name) == message
    assert call.error("deleteMediaFile", filename=name) == message


def test_characters_anki_forbids_are_removed(col: Collection, call: ApiClient) -> None:
    assert call("storeMediaFile", filename='a:b?"c"[1]<2>*|.txt', data=b64(b"x")) == "abc12.txt"
    assert call("retrieveMediaFile", filename="a:b?c[1]<2>.txt") == b64(b"x")


@pytest.mark.parametrize(
    "name",
    ["plain.txt", "cafe\u0301.png", "trailing.", "space ", "ok[1].png", "a" * 300 + ".mp3", "é" * 100, "x" * 121],
)
def test_names_are_normalised_as_anki_stores_them(col: Collection, name: str) -> None:
    expected = media_file_name(name)
    stored = col.media.write_data(name, b"x")
    # Anki 25.09+ also lower-cases names; older versions keep the case
    assert stored in {expected, expected.lower()}
    assert len(expected.encode()) <= 120


def test_a_differently_cased_file_is_replaced_where_anki_lower_cases(col: Collection, call: ApiClient) -> None:
    first = call("storeMediaFile", filename="Upper.TXT", data=b64(b"old"))
    second = call("storeMediaFile", filename="Upper.TXT", data=b64(b"new"))
    assert first == second
    assert files(col) == [first]
    assert (media_dir(col) / first).read_bytes() == b"new"


# -- downloads ----------------------------------------------------------------------------


def test_download_by_url(col: Collection, call: ApiClient, web: str) -> None:
    assert call("storeMediaFile", filename="perro.mp3", url=f"{web}/perro.mp3") == "perro.mp3"
    assert (media_dir(col) / "perro.mp3").read_bytes() == b"woof"
    assert call("storeMediaFile", filename="moved.mp3", url=f"{web}/moved.mp3") == "moved.mp3"
    assert (media_dir(col) / "moved.mp3").read_bytes() == b"woof"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing.mp3", "{url} download failed with return code 404"),
        ("/created", "{url} download failed with return code 201"),
        ("/to-file", "{url} download failed: redirected to a URL that is not http or https"),
        ("/to-ftp", "{url} download failed: redirected to a URL that is not http or https"),
    ],
)
def test_download_failures(col: Collection, call: ApiClient, web: str, path: str, message: str) -> None:
    url = f"{web}{path}"
    assert call.error("storeMediaFile", filename="x.mp3", url=url) == message.format(url=url)
    assert files(col) == []


def test_a_refused_connection_is_reported(call: ApiClient) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/x.mp3"
    assert call.error("storeMediaFile", filename="x.mp3", url=url).startswith(f"{url} download failed: ")


class TestDownloadLimits:
    @pytest.fixture
    def config(self) -> dict[str, Any]:
        return {"webTimeout": 300, "mediaMaxDownloadBytes": 1000}

    def test_a_download_larger_than_the_limit_is_refused(self, col: Collection, call: ApiClient, web: str) -> None:
        for path in ("/big.bin", "/unsized.bin"):
            url = f"{web}{path}"
            assert call.error("storeMediaFile", filename="big.bin", url=url) == (
                f"{url} download failed: larger than mediaMaxDownloadBytes (1000 bytes)"
            )
        assert files(col) == []

    def test_a_slow_server_times_out(self, col: Collection, call: ApiClient, web: str) -> None:
        url = f"{web}/slow.mp3"
        assert call.error("storeMediaFile", filename="slow.mp3", url=url) == f"{url} download failed: timed out"
        assert files(col) == []

    def test_a_download_within_the_limits_works(self, col: Collection, call: ApiClient, web: str) -> None:
        assert call("storeMediaFile", filename="perro.mp3", url=f"{web}/perro.mp3") == "perro.mp3"


def test_note_media_from_a_url(col: Collection, call: ApiClient, web: str) -> None:
    audio = [
        {"url": f"{web}/perro.mp3", "filename": "perro.mp3", "fields": ["Front"]},
        {"url": f"{web}/missing.mp3", "filename": "gone.mp3", "fields": ["Back"]},
    ]
    note = {"deckName": "Default", "modelName": "Basic", "fields": {"Front": "perro"}, "audio": audio}
    note_id = call("addNote", note=note)
    assert col.get_note(note_id).fields == [
        "perro[sound:perro.mp3]",
        f"{web}/missing.mp3 download failed with return code 404",
    ]


# -- listing, paths, deleting -------------------------------------------------------------


def test_get_media_files_names(col: Collection, call: ApiClient) -> None:
    for name in ("_config.json", "_conf_backup.json", "dog.jpg", ".hidden"):
        col.media.write_data(name, b"x")
    (media_dir(col) / "folder").mkdir()
    assert sorted(call("getMediaFilesNames")) == ["_conf_backup.json", "_config.json", "dog.jpg"]
    assert sorted(call("getMediaFilesNames", pattern="_conf*.json")) == ["_conf_backup.json", "_config.json"]
    assert call("getMediaFilesNames", pattern="d?g.[jp][pn]g") == ["dog.jpg"]
    assert call("getMediaFilesNames", pattern=".h*") == [".hidden"]


def test_patterns_cannot_leave_the_media_folder(col: Collection, call: ApiClient) -> None:
    col.media.write_data("inside.txt", b"x")
    assert call("getMediaFilesNames", pattern="../*") == []
    assert call("getMediaFilesNames", pattern="/*") == []
    assert call("getMediaFilesNames", pattern="*/../*") == []
    assert call.error("getMediaFilesNames", pattern=5) == "pattern must be a string"


def test_get_media_dir_path(col: Collection, call: ApiClient) -> None:
    assert call("getMediaDirPath") == os.path.abspath(col.media.dir())


def test_delete_media_file_moves_it_to_the_trash(col: Collection, call: ApiClient) -> None:
    col.media.write_data("_old.txt", b"x")
    assert call("deleteMediaFile", filename="_old.txt") is None
    assert files(col) == []
    assert call("retrieveMediaFile", filename="_old.txt") is False
    col.media.restore_trash()
    assert files(col) == ["_old.txt"]
    assert call("deleteMediaFile", filename="never-there.txt") is None
