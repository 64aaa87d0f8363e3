"""`apiLogPath`: every request and reply appended to a file, for debugging clients."""

from __future__ import annotations

import json
import logging
from typing import Any, TextIO

log = logging.getLogger(__name__)


class RequestLog:
    def __init__(self, path: str) -> None:
        self.path = path
        self._file: TextIO | None = open(path, "w", encoding="utf-8")  # noqa: SIM115 - kept open

    def request(self, payload: Any) -> None:
        self._write("[request]", payload)

    def reply(self, payload: Any) -> None:
        self._write("[reply]", payload)

    def _write(self, header: str, payload: Any) -> None:
        if self._file is None:
            return
        try:
            self._file.write(f"{header}\n{json.dumps(payload, indent=4, sort_keys=True, default=repr)}\n\n")
            self._file.flush()
        except OSError as error:  # a full disk must not break the API
            log.warning("request log %s disabled: %s", self.path, error)
            self.close()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def open_request_log(path: str | None) -> RequestLog | None:
    if not path:
        return None
    try:
        return RequestLog(path)
    except OSError as error:
        log.warning("cannot open request log %s: %s", path, error)
        return None
