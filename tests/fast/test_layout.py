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


ROOT = PLUGIN.parent
VERSION_APIS = {"buildinfo", "point_version", "pointVersion", "int_version", "version_with_build", "appVersion"}


def pinned_point_version(requirements: str) -> int:
    """Anki's point version (YYMMPP) of the `anki==` pin in a requirements file."""
    text = (ROOT / "tools" / requirements).read_text()
    year, month, *patch = next(
        line.split("==")[1].strip().split(".") for line in text.splitlines() if line.startswith("anki==")
    )
    return int(year) * 10_000 + int(month) * 100 + int(patch[0] if patch else 0)


def test_the_manifest_declares_the_tested_range() -> None:
    manifest = json.loads((PLUGIN / "manifest.json").read_text())
    oldest, newest = pinned_point_version("requirements-oldest.txt"), pinned_point_version("requirements.txt")
    assert (oldest, newest) == (231001, 260903)
    # the oldest tested release's whole series installs; newer Ankis than the newest tested one still
    # load the add-on (a positive maximum only says what it was tested on; a negative one would block)
    assert manifest["min_point_version"] == oldest // 100 * 100
    assert manifest["max_point_version"] == newest
    assert manifest["conflicts"] == ["2055492159", "AnkiConnect"]


def test_only_the_compat_module_may_ask_for_ankis_version() -> None:
    offenders = []
    for path in plugin_modules():
        if path.name == "compat.py" and path.parent == PLUGIN:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else None
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[-1] in VERSION_APIS:
                name = node.module.split(".")[-1]
            if isinstance(node, ast.alias):
                name = node.name.split(".")[-1]
            if name in VERSION_APIS:
                offenders.append(f"{path.relative_to(PLUGIN)}:{getattr(node, 'lineno', '?')} uses {name}")
    assert offenders == []
