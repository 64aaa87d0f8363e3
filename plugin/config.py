"""The add-on's settings: defaults, environment overrides and type checks.

Anki hands us the user's config as a plain dict (`config.json` merged with the
user's saved values); headless mode reads the same keys from a JSON file. Both
go through `Settings.from_mapping`, which never fails: a value of the wrong
type falls back to its default and is reported in `Settings.problems`, so a
typo in the config cannot keep the server from starting.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from typing import Any, Mapping

BIND_ADDRESS_ENV = "ANKICONNECT_BIND_ADDRESS"
CORS_ORIGIN_ENV = "ANKICONNECT_CORS_ORIGIN"

DEFAULT_MAX_REQUEST_BYTES = 256 * 1024 * 1024


def _default_origins() -> list[str]:
    return ["http://localhost"]


@dataclass(frozen=True)
class Settings:
    # The keys of the original add-on, same names and defaults.
    apiKey: str | None = None
    apiLogPath: str | None = None
    apiPollInterval: int = 25
    apiVersion: int = 6
    webBacklog: int = 5
    webBindAddress: str = "127.0.0.1"
    webBindPort: int = 8765
    webCorsOrigin: str | None = None
    webCorsOriginList: list[str] = field(default_factory=_default_origins)
    ignoreOriginList: list[str] = field(default_factory=list)
    webTimeout: int = 10000
    # Keys of our own.
    webMaxRequestBytes: int = DEFAULT_MAX_REQUEST_BYTES
    webAllowedHosts: list[str] = field(default_factory=list)
    mediaMaxDownloadBytes: int = DEFAULT_MAX_REQUEST_BYTES

    problems: tuple[str, ...] = field(default=(), compare=False)
    """Human-readable notes about config values that were ignored."""

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any] | None, environ: Mapping[str, str] | None = None) -> Settings:
        raw = dict(raw or {})
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        problems: list[str] = []
        for spec in fields(cls):
            if spec.name == "problems" or spec.name not in raw:
                continue
            value = raw[spec.name]
            if _CHECKS[spec.name](value):
                values[spec.name] = list(value) if isinstance(value, list) else value
            else:
                problems.append(f"config key {spec.name!r} has an invalid value {value!r}; using the default")
        # Environment variables win when set (containers set them on purpose).
        if env.get(BIND_ADDRESS_ENV):
            values["webBindAddress"] = env[BIND_ADDRESS_ENV]
        if env.get(CORS_ORIGIN_ENV):
            values["webCorsOrigin"] = env[CORS_ORIGIN_ENV]
        return cls(**values, problems=tuple(problems))

    def to_mapping(self) -> dict[str, Any]:
        """The config keys and values, as stored in a config file."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "problems"}

    @property
    def allowed_origins(self) -> list[str]:
        """`webCorsOriginList` plus the deprecated single `webCorsOrigin`."""
        origins = list(self.webCorsOriginList)
        if self.webCorsOrigin:
            origins.append(self.webCorsOrigin)
        return origins

    @property
    def requires_key(self) -> bool:
        return bool(self.apiKey)


def _is_int(minimum: int) -> Any:
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= minimum


def _is_optional_str(v: Any) -> bool:
    return v is None or isinstance(v, str)


def _is_str_list(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(item, str) for item in v)


_CHECKS = {
    "apiKey": _is_optional_str,
    "apiLogPath": _is_optional_str,
    "apiPollInterval": _is_int(1),
    "apiVersion": _is_int(0),
    "webBacklog": _is_int(0),
    "webBindAddress": lambda v: isinstance(v, str) and bool(v),
    "webBindPort": lambda v: _is_int(0)(v) and v <= 65535,
    "webCorsOrigin": _is_optional_str,
    "webCorsOriginList": _is_str_list,
    "ignoreOriginList": _is_str_list,
    "webTimeout": _is_int(1),
    "webMaxRequestBytes": _is_int(1),
    "webAllowedHosts": _is_str_list,
    "mediaMaxDownloadBytes": _is_int(1),
}

DEFAULTS = Settings()
