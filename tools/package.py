"""Build the `.ankiaddon` archive users install: the add-on's files, nothing else.

    python -m tools.package [--output DIR]

The archive holds the contents of `plugin/` at its root (as Anki expects),
without caches, tests or a user's `meta.json`.
"""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLUGIN = ROOT / "plugin"
EXCLUDED_PARTS = {"__pycache__", "tests", ".mypy_cache", ".ruff_cache"}
EXCLUDED_NAMES = {"meta.json"}
EXCLUDED_SUFFIXES = {".pyc", ".pyo"}


def archive_members(source: Path = PLUGIN) -> list[Path]:
    members = []
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if path.is_dir() or EXCLUDED_PARTS & set(relative.parts):
            continue
        if path.name in EXCLUDED_NAMES or path.suffix in EXCLUDED_SUFFIXES:
            continue
        members.append(relative)
    return members


def build(output_dir: Path = ROOT / "dist", source: Path = PLUGIN) -> Path:
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / f"{manifest['package']}-{manifest['human_version']}.ankiaddon"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for relative in archive_members(source):
            info = zipfile.ZipInfo(relative.as_posix(), date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, (source / relative).read_bytes())
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--output", type=Path, default=ROOT / "dist")
    args = parser.parse_args(argv)
    target = build(args.output)
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
