"""The add-on inside Anki's desktop app: Qt event loop, windows, profiles.

Only modules in this package import `aqt` or Qt; the rest of the add-on runs
without them (headless mode, fast tests).
"""

from __future__ import annotations


def setup(module: str) -> None:
    """Called once when Anki loads the add-on (before any profile is open)."""
    from aqt import gui_hooks, mw

    from .controller import AddonController

    assert mw is not None
    controller = AddonController(mw, module)
    gui_hooks.profile_did_open.append(controller.on_profile_open)
    gui_hooks.profile_will_close.append(controller.on_profile_close)
    mw.addonManager.setConfigUpdatedAction(module, controller.on_config_updated)
    # reachable for debugging from Anki's debug console
    mw._ankiconnect = controller  # type: ignore[attr-defined]
