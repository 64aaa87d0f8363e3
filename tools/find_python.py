"""Find a Python interpreter of one version (e.g. 3.9, for the virtualenv of Anki 23.10).

    python3 tools/find_python.py 3.9

Prints the path of a working interpreter of that version and exits 0, or
explains on stderr what it needs and exits 1. Looks, in this order, at:

1. `$PYTHON<major><minor>` (e.g. `PYTHON39=/opt/py39/bin/python3.9`), when set;
2. `python3.9` on PATH (a pyenv shim counts only if it runs: pyenv's shims
   refuse versions that are installed but not selected);
3. pyenv's versions (`$PYENV_ROOT`, else `~/.pyenv`): the newest patch release;
4. a Python that uv manages (`uv python find 3.9`), when uv is on PATH;
5. the usual system places (/usr/bin, /usr/local/bin, /opt/python*/bin).

Each candidate must report that version and be able to create a virtualenv
(the `venv` and `ensurepip` modules). Runs on any Python 3; imports nothing
from the project.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Iterator

_CHECK = "import sys, venv, ensurepip; print('%d.%d' % sys.version_info[:2])"


def _patch_key(path: str) -> tuple[int, ...]:
    match = re.search(r"(\d+)\.(\d+)\.(\d+)", path)
    return tuple(int(part) for part in match.groups()) if match else (0,)


def system_folders(version: str) -> list[str]:
    return ["/usr/bin", "/usr/local/bin", *sorted(glob.glob(f"/opt/python*{version}*/bin"))]


def candidates(version: str, environ: dict[str, str], system: list[str]) -> Iterator[str]:
    major, minor = version.split(".")
    explicit = environ.get(f"PYTHON{major}{minor}")
    if explicit:
        yield explicit
    on_path = shutil.which(f"python{version}", path=environ.get("PATH"))
    if on_path:
        yield on_path
    pyenv_root = environ.get("PYENV_ROOT") or str(Path(environ.get("HOME", "~")).expanduser() / ".pyenv")
    for folder in sorted(glob.glob(os.path.join(pyenv_root, "versions", f"{version}.*")), key=_patch_key, reverse=True):
        yield os.path.join(folder, "bin", f"python{version}")
    uv = shutil.which("uv", path=environ.get("PATH"))
    if uv:
        found = subprocess.run([uv, "python", "find", version], capture_output=True, text=True, check=False)
        if found.returncode == 0 and found.stdout.strip():
            yield found.stdout.strip()
    for folder in system:
        yield os.path.join(folder, f"python{version}")


def works(path: str, version: str) -> bool:
    if not os.path.isfile(path) or not os.access(path, os.X_OK):
        return False
    try:
        answer = subprocess.run([path, "-c", _CHECK], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return answer.returncode == 0 and answer.stdout.strip() == version


def find(version: str, environ: dict[str, str], system: list[str] | None = None) -> str | None:
    seen: set[str] = set()
    for path in candidates(version, environ, system_folders(version) if system is None else system):
        if path in seen:
            continue
        seen.add(path)
        if works(path, version):
            return path
    return None


def explain(version: str) -> str:
    major, minor = version.split(".")
    return (
        f"No Python {version} was found, and `make test-compat` needs one: Anki 23.10, the oldest release\n"
        f"this add-on supports, bundles Python {version}, so its tests run on that Python.\n"
        f"Looked at $PYTHON{major}{minor}, python{version} on PATH, pyenv's versions ($PYENV_ROOT or ~/.pyenv),\n"
        f"uv's Pythons and /usr/bin, /usr/local/bin, /opt/python*/bin.\n"
        f"Provide one of:\n"
        f"  - PYTHON{major}{minor}=/path/to/python{version} make test-compat\n"
        f"  - pyenv install {version} (then run make test-compat again)\n"
        f"  - your system's python{version} package, with its venv module\n"
        f"The interpreter must be able to create virtualenvs (modules venv and ensurepip)."
    )


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not re.fullmatch(r"\d+\.\d+", argv[0]):
        print("usage: find_python.py MAJOR.MINOR (e.g. 3.9)", file=sys.stderr)
        return 2
    version = argv[0]
    found = find(version, dict(os.environ))
    if found is None:
        print(explain(version), file=sys.stderr)
        return 1
    print(found)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
