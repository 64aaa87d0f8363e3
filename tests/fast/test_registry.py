"""The action registry: tagging, version aliases, parameter binding and its error texts."""

from __future__ import annotations

from typing import Any

import pytest

from plugin.api import AnkiConnect
from plugin.registry import REGISTRY, ParameterError, Registry


def make_registry() -> tuple[Registry, type]:
    registry = Registry()

    class Api:
        @registry.action()
        def plain(self, deck: str, cards: Any = None) -> str:
            return f"{deck}:{cards}"

        @registry.action(aliases=[(5, "renamedAtFive"), (7, "renamedAtSeven")])
        def evolving(self) -> str:
            return "evolving"

        @registry.action()
        def three(self, modelName: str, inOrderFields: list, cardTemplates: list) -> None:
            return None

        def helper(self) -> None:
            """Not tagged: never reachable."""

    return registry, Api


def test_an_untagged_method_is_not_an_action() -> None:
    registry, _ = make_registry()
    assert registry.resolve("helper", 6) is None
    assert registry.names() == ["evolving", "plain", "three"]


@pytest.mark.parametrize(
    ("name", "version", "found"),
    [
        ("evolving", 4, "evolving"),
        ("evolving", 5, None),
        ("renamedAtFive", 4, None),
        ("renamedAtFive", 5, "evolving"),
        ("renamedAtFive", 6, "evolving"),
        ("renamedAtSeven", 7, "evolving"),
        ("renamedAtFive", 99, None),
        ("plain", -1, "plain"),
        ("plain", 99, "plain"),
    ],
)
def test_aliases_answer_to_the_name_of_the_largest_version_not_above_the_request(
    name: str, version: int, found: str | None
) -> None:
    registry, _ = make_registry()
    entry = registry.resolve(name, version)
    assert (entry.name if entry else None) == found


def test_actions_without_aliases_answer_at_any_version_even_a_non_number() -> None:
    registry, _ = make_registry()
    entry = registry.resolve("plain", "6")
    assert entry is not None and entry.name == "plain"


def test_no_action_of_the_api_declares_an_alias() -> None:
    # protocol §8.2: both generations register none
    for name in REGISTRY.names():
        entry = REGISTRY.resolve(name, 6)
        assert entry is not None and entry.aliases == ()


def test_every_registered_action_is_a_method_of_the_api_class() -> None:
    for name in REGISTRY.names():
        entry = REGISTRY.resolve(name, 6)
        assert entry is not None
        assert getattr(AnkiConnect, name) is entry.function


def test_binding_passes_keyword_arguments() -> None:
    registry, _ = make_registry()
    entry = registry.resolve("plain", 6)
    assert entry is not None
    assert entry.bind({"deck": "Default"}) == {"deck": "Default"}


@pytest.mark.parametrize(
    ("action", "params", "message"),
    [
        ("plain", {"deck": "x", "foobar": 1}, "AnkiConnect.plain() got an unexpected keyword argument 'foobar'"),
        ("plain", {}, "AnkiConnect.plain() missing 1 required positional argument: 'deck'"),
        ("plain", {"cards": 1}, "AnkiConnect.plain() missing 1 required positional argument: 'deck'"),
        (
            "three",
            {},
            "AnkiConnect.three() missing 3 required positional arguments: "
            "'modelName', 'inOrderFields', and 'cardTemplates'",
        ),
        (
            "three",
            {"modelName": "x"},
            "AnkiConnect.three() missing 2 required positional arguments: 'inOrderFields' and 'cardTemplates'",
        ),
        # an unknown parameter is reported before missing ones, as Python does
        ("plain", {"zzz": 1}, "AnkiConnect.plain() got an unexpected keyword argument 'zzz'"),
        ("plain", [1], "AnkiConnect.plain() argument after ** must be a mapping, not list"),
        ("plain", None, "AnkiConnect.plain() argument after ** must be a mapping, not NoneType"),
        ("plain", "x", "AnkiConnect.plain() argument after ** must be a mapping, not str"),
    ],
)
def test_parameter_errors_reproduce_pythons_texts(action: str, params: Any, message: str) -> None:
    registry, _ = make_registry()
    entry = registry.resolve(action, 6)
    assert entry is not None
    with pytest.raises(ParameterError) as raised:
        entry.bind(params)
    assert str(raised.value) == message


def test_registering_a_name_twice_is_refused() -> None:
    registry = Registry()

    def twice(self: Any) -> None: ...

    registry.action()(twice)
    with pytest.raises(ValueError, match="registered twice"):
        registry.action()(twice)


def test_positional_only_or_variadic_parameters_are_refused() -> None:
    registry = Registry()

    def variadic(self: Any, **params: Any) -> None: ...

    with pytest.raises(ValueError, match="parameters must be named"):
        registry.action()(variadic)
