"""Handshake, batching, profiles, sync and packages (protocol: actions/miscellaneous.md)."""

from __future__ import annotations

import os
from typing import Any

from ..compat import export_deck_package, import_package_options
from ..errors import ActionError
from ..registry import REGISTRY, action
from .base import ActionsBase

DENIED = {"permission": "denied"}


class MiscellaneousActions(ActionsBase):
    @action()
    def version(self) -> int:
        return self.settings.apiVersion

    @action()
    def requestPermission(self, origin: str, allowed: bool) -> dict[str, Any]:
        settings = self.settings
        if allowed:
            return self._granted()
        if origin in settings.ignoreOriginList:
            return DENIED
        answer = self.host.ask_permission(origin)
        if answer.granted:
            if origin not in settings.webCorsOriginList:
                self.host.update_config({"webCorsOriginList": [*settings.webCorsOriginList, origin]})
            return self._granted()
        if answer.ignore_origin and origin and origin not in settings.ignoreOriginList:
            self.host.update_config({"ignoreOriginList": [*settings.ignoreOriginList, origin]})
        return DENIED

    def _granted(self) -> dict[str, Any]:
        settings = self.settings
        return {"permission": "granted", "requireApikey": settings.requires_key, "version": settings.apiVersion}

    @action()
    def apiReflect(self, scopes: Any = None, actions: Any = None) -> dict[str, Any]:
        if not isinstance(scopes, list):
            raise ActionError("scopes has invalid value")
        if actions is not None and not isinstance(actions, list):
            raise ActionError("actions has invalid value")
        if "actions" not in scopes:
            return {"scopes": []}
        if actions is None:
            return {"scopes": ["actions"], "actions": REGISTRY.names()}
        for name in actions:
            if not isinstance(name, str):
                raise ActionError(f"attribute name must be string, not '{type(name).__name__}'")
        return {"scopes": ["actions"], "actions": [name for name in actions if name in REGISTRY]}

    @action()
    def multi(self, actions: Any) -> list[Any]:
        if not isinstance(actions, list):
            raise ActionError("actions has invalid value")
        context = self.dispatcher.context
        return [self.dispatcher.handle_element(element, context) for element in actions]

    @action()
    def sync(self) -> None:
        self.host.sync()

    @action()
    def getProfiles(self) -> list[str]:
        return self.host.profile_names()

    @action()
    def getActiveProfile(self) -> str | None:
        return self.host.active_profile()

    @action()
    def loadProfile(self, name: str) -> bool:
        return self.host.load_profile(name)

    @action()
    def reloadCollection(self) -> None:
        # Anki 23.10+ keeps no state that needs reloading; only the check remains.
        self.col  # noqa: B018 - raises when no collection is open

    @action()
    def exportPackage(self, deck: str, path: str, includeSched: bool = False) -> bool:
        col = self.col
        deck_id = col.decks.id_for_name(deck) if isinstance(deck, str) else None
        if deck_id is None:
            return False
        export_deck_package(col, path=os.path.abspath(path), deck_id=deck_id, with_scheduling=bool(includeSched))
        return True

    @action()
    def importPackage(self, path: str) -> bool:
        from anki.collection import ImportAnkiPackageRequest

        col = self.col
        if not isinstance(path, str) or not path:
            raise ActionError("path must be the path of an .apkg file")
        if not os.path.isabs(path):
            # the original resolved relative paths against the media folder
            path = os.path.join(col.media.dir(), path)
        options = import_package_options(with_scheduling=True, with_deck_configs=True, merge_notetypes=True)
        log = col.import_anki_package(ImportAnkiPackageRequest(package_path=path, options=options))
        self.host.collection_changed(log.changes)
        return True
