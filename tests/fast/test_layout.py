"""Rules of the add-on's layout that a linter cannot express."""

from __future__ import annotations

import ast
import json
from pathlib import Path

PLUGIN = Path(__file__).resolve().parents[2] / "plugin"
GUI_MODULES = {"desktop", "actions/graphical.py"}


def plugin_modules() -> list[Path]:
    return sorted(p for p in PLUGIN.rglob("*.py") if "__pycache__" not in p.parts)


def imported_names(path: Path) -> list[tuple[str, int]]:
    """Absolute module names imported by a file (relative imports excluded)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append((node.module, node.lineno))
    return names


def test_imports_inside_the_add_on_are_relative() -> None:
    # AnkiWeb installs the add-on under a numeric folder name.
    offenders = [
        f"{path.relative_to(PLUGIN)}:{line}"
        for path in plugin_modules()
        for name, line in imported_names(path)
        if name == "plugin" or name.startswith("plugin.")
    ]
    assert offenders == []


def test_only_gui_modules_import_qt_or_aqt() -> None:
    offenders = []
    for path in plugin_modules():
        relative = path.relative_to(PLUGIN).as_posix()
        if relative.split("/")[0] in GUI_MODULES or relative in GUI_MODULES:
            continue
        for name, line in imported_names(path):
            if name.split(".")[0] in {"aqt", "PyQt6", "PyQt5"}:
                offenders.append(f"{relative}:{line} imports {name}")
    assert offenders == []


def test_the_manifest_names_the_package_and_the_conflicting_original() -> None:
    manifest = json.loads((PLUGIN / "manifest.json").read_text())
    assert manifest["package"] == "ankiconnect"
    assert "2055492159" in manifest["conflicts"]
    assert manifest["min_point_version"] == 231000
