"""The action registry: one decorator tags API methods, one table finds them.

`@action()` records a method once, at import time, with the API versions and
names it answers to. A request is then a dictionary lookup plus a check of its
parameters against the signature read at registration, so no request reflects
over the API class. Parameter errors reproduce the texts Python's own call
machinery gives in the original add-on (clients match them), in one fixed form
(`AnkiConnect.NAME() ...`) whatever Python runs inside Anki.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, TypeVar

API_CLASS_NAME = "AnkiConnect"

F = TypeVar("F", bound=Callable[..., Any])


class ParameterError(TypeError):
    """Parameters that do not fit the action's signature."""


@dataclass(frozen=True)
class ActionEntry:
    name: str
    function: Callable[..., Any]
    aliases: tuple[tuple[int, str], ...]
    parameters: frozenset[str]
    required: tuple[str, ...]

    def name_for_version(self, version: Any) -> str:
        """The name this action answers to at `version` (8.1 of the protocol)."""
        best: tuple[int, str] | None = None
        for api_version, alias in self.aliases:
            if api_version <= version and (best is None or api_version > best[0]):
                best = (api_version, alias)
        return best[1] if best else self.name

    def bind(self, params: Any) -> Mapping[str, Any]:
        """Check `params` against the signature; return them as keyword arguments.

        This runs for every action of every request (200 times for a `multi` of
        200), so the passing path does as little as it can.
        """
        # dict first: a JSON object always is one, and the ABC check costs 0.4 µs per call
        if not isinstance(params, dict) and not isinstance(params, Mapping):
            kind = "NoneType" if params is None else type(params).__name__
            raise ParameterError(f"{self._label} argument after ** must be a mapping, not {kind}")
        if not self.parameters.issuperset(params):
            unexpected = next(name for name in params if name not in self.parameters)
            raise ParameterError(f"{self._label} got an unexpected keyword argument '{unexpected}'")
        for name in self.required:
            if name not in params:
                missing = [name for name in self.required if name not in params]
                raise ParameterError(f"{self._label} missing {_describe_missing(missing)}")
        return params

    @property
    def _label(self) -> str:
        return f"{API_CLASS_NAME}.{self.name}()"


def _describe_missing(names: list[str]) -> str:
    quoted = [f"'{name}'" for name in names]
    if len(quoted) == 1:
        return f"1 required positional argument: {quoted[0]}"
    if len(quoted) == 2:
        listed = f"{quoted[0]} and {quoted[1]}"
    else:
        listed = ", ".join(quoted[:-1]) + f", and {quoted[-1]}"
    return f"{len(quoted)} required positional arguments: {listed}"


class Registry:
    def __init__(self) -> None:
        self._entries: dict[str, ActionEntry] = {}
        self._by_name: dict[str, list[ActionEntry]] = {}

    def action(self, *, aliases: Iterable[tuple[int, str]] = ()) -> Callable[[F], F]:
        """Tag a method of the API class as a public action.

        `aliases` lists `(apiVersion, name)` pairs: from that API version on, the
        action answers to `name` instead of its own. No action uses one today.
        """

        def register(function: F) -> F:
            self._add(function, tuple(aliases))
            return function

        return register

    def _add(self, function: Callable[..., Any], aliases: tuple[tuple[int, str], ...]) -> None:
        name = function.__name__
        if name in self._entries:
            raise ValueError(f"action {name!r} is registered twice")
        signature = inspect.signature(function)
        params = list(signature.parameters.values())[1:]  # drop self
        for param in params:
            if param.kind not in (param.POSITIONAL_OR_KEYWORD, param.KEYWORD_ONLY):
                raise ValueError(f"action {name!r}: parameters must be named ({param.name})")
        entry = ActionEntry(
            name=name,
            function=function,
            aliases=aliases,
            parameters=frozenset(p.name for p in params),
            required=tuple(p.name for p in params if p.default is inspect.Parameter.empty),
        )
        self._entries[name] = entry
        for answered in {name, *(alias for _, alias in aliases)}:
            self._by_name.setdefault(answered, []).append(entry)

    def resolve(self, name: str, version: Any) -> ActionEntry | None:
        """The action a request names at `version`, or None."""
        for entry in self._by_name.get(name, ()):
            if not entry.aliases or entry.name_for_version(version) == name:
                return entry
        return None

    def names(self) -> list[str]:
        """Every action name, alphabetically."""
        return sorted(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._entries


REGISTRY = Registry()
action = REGISTRY.action
