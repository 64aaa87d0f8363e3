"""Config keys, defaults, environment overrides and bad values (protocol §11)."""

from __future__ import annotations

import json
from pathlib import Path

from plugin.config import DEFAULTS, Settings

PLUGIN = Path(__file__).resolve().parents[2] / "plugin"

ORIGINAL_DEFAULTS = {
    "apiKey": None,
    "apiLogPath": None,
    "apiPollInterval": 25,
    "apiVersion": 6,
    "webBacklog": 5,
    "webBindAddress": "127.0.0.1",
    "webBindPort": 8765,
    "webCorsOrigin": None,
    "webCorsOriginList": ["http://localhost"],
    "ignoreOriginList": [],
    "webTimeout": 10000,
}


def test_every_key_of_the_original_has_its_default() -> None:
    values = DEFAULTS.to_mapping()
    for key, default in ORIGINAL_DEFAULTS.items():
        assert values[key] == default, key


def test_the_shipped_config_file_holds_every_key_with_the_defaults() -> None:
    shipped = json.loads((PLUGIN / "config.json").read_text())
    assert shipped == DEFAULTS.to_mapping()
    assert Settings.from_mapping(shipped, environ={}) == DEFAULTS


def test_every_key_is_documented_in_config_md() -> None:
    text = (PLUGIN / "config.md").read_text()
    for key in DEFAULTS.to_mapping():
        assert f"`{key}`" in text, key


def test_user_values_are_used() -> None:
    settings = Settings.from_mapping({"webBindPort": 9000, "apiKey": "k", "webCorsOriginList": ["*"]}, environ={})
    assert (settings.webBindPort, settings.apiKey, settings.webCorsOriginList) == (9000, "k", ["*"])
    assert settings.requires_key


def test_values_of_the_wrong_type_fall_back_to_the_default_and_are_reported() -> None:
    settings = Settings.from_mapping({"webBindPort": "8766", "webTimeout": -1, "webCorsOriginList": "x"}, environ={})
    assert (settings.webBindPort, settings.webTimeout, settings.webCorsOriginList) == (
        8765,
        10000,
        ["http://localhost"],
    )
    assert settings.problems == (
        "config key 'webBindPort' has an invalid value '8766'; using the default",
        "config key 'webCorsOriginList' has an invalid value 'x'; using the default",
        "config key 'webTimeout' has an invalid value -1; using the default",
    )


def test_booleans_are_not_numbers() -> None:
    assert Settings.from_mapping({"webBindPort": True}, environ={}).webBindPort == 8765


def test_environment_variables_override_the_config() -> None:
    env = {"ANKICONNECT_BIND_ADDRESS": "0.0.0.0", "ANKICONNECT_CORS_ORIGIN": "http://app.example"}
    settings = Settings.from_mapping({"webBindAddress": "127.0.0.1"}, environ=env)
    assert settings.webBindAddress == "0.0.0.0"
    assert settings.allowed_origins == ["http://localhost", "http://app.example"]


def test_empty_environment_variables_are_ignored() -> None:
    settings = Settings.from_mapping({}, environ={"ANKICONNECT_BIND_ADDRESS": ""})
    assert settings.webBindAddress == "127.0.0.1"


def test_unknown_keys_are_ignored() -> None:
    assert Settings.from_mapping({"somethingElse": 1}, environ={}) == DEFAULTS
