"""Downloading media from `url` sources: http(s) only, bounded in time and size.

The request runs on the thread that called it (Anki's main thread in the
add-on), as in the original; the deadline keeps a slow server from holding it
longer than `webTimeout`.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urljoin, urlsplit

from .errors import ActionError

ALLOWED_SCHEMES = ("http", "https")
CHUNK_BYTES = 64 * 1024
USER_AGENT = "AnkiConnect (Anki add-on)"


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects, but never to a scheme other than http(s) (`file:`, `ftp:`, `data:` ...)."""

    def http_error_302(self, req: Any, fp: Any, code: int, msg: str, headers: Any) -> Any:
        target = headers.get("location") or headers.get("uri")
        if target is not None and urlsplit(urljoin(req.full_url, target)).scheme.lower() not in ALLOWED_SCHEMES:
            raise ActionError(f"{req.full_url} download failed: redirected to a URL that is not http or https")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener() -> urllib.request.OpenerDirector:
    # Built by hand instead of `build_opener`, which would add file:, ftp: and data: handlers.
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        _HttpOnlyRedirects(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def check_url(url: Any) -> str:
    if not isinstance(url, str):
        raise ActionError("url must be a string")
    if urlsplit(url).scheme.lower() not in ALLOWED_SCHEMES:
        raise ActionError(f"{url} cannot be downloaded: only http and https URLs are allowed")
    return url


def download(url: Any, *, timeout_ms: int, max_bytes: int) -> bytes:
    """The body of a `200 OK` answer to GET `url`, or an `ActionError` saying why not."""
    url = check_url(url)
    deadline = time.monotonic() + timeout_ms / 1000
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with _opener().open(request, timeout=timeout_ms / 1000) as response:
            if response.status != 200:
                raise ActionError(f"{url} download failed with return code {response.status}")
            declared = response.headers.get("Content-Length")
            if declared is not None and declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(url, max_bytes)
            return _read_body(response, url, deadline, max_bytes)
    except urllib.error.HTTPError as error:
        raise ActionError(f"{url} download failed with return code {error.code}") from None
    except urllib.error.URLError as error:
        raise ActionError(f"{url} download failed: {error.reason}") from None
    except (OSError, ValueError) as error:  # timeouts, resets, malformed URLs and answers
        raise ActionError(f"{url} download failed: {error}") from None


def _read_body(response: Any, url: str, deadline: float, max_bytes: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise ActionError(f"{url} download failed: timed out")
        chunk = response.read(CHUNK_BYTES)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(url, max_bytes)
        chunks.append(chunk)


def _too_large(url: str, max_bytes: int) -> ActionError:
    return ActionError(f"{url} download failed: larger than mediaMaxDownloadBytes ({max_bytes} bytes)")
