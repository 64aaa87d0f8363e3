"""tools/find_python.py: where `make test-compat` finds the Python 3.9 of the Anki 23.10 virtualenv."""

from __future__ import annotations

from pathlib import Path

from tools.find_python import explain, find


def fake_python(path: Path, prints: str, exit_code: int = 0) -> str:
    """An executable that answers the version check with `prints`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho {prints}\nexit {exit_code}\n")
    path.chmod(0o755)
    return str(path)


def environ(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"PATH": str(tmp_path / "bin"), "HOME": str(tmp_path / "home"), **extra}


def test_the_newest_pyenv_patch_release_is_taken(tmp_path: Path) -> None:
    fake_python(tmp_path / "home/.pyenv/versions/3.9.2/bin/python3.9", "3.9")
    newest = fake_python(tmp_path / "home/.pyenv/versions/3.9.18/bin/python3.9", "3.9")
    fake_python(tmp_path / "home/.pyenv/versions/3.11.7/bin/python3.11", "3.11")
    assert find("3.9", environ(tmp_path)) == newest


def test_a_pyenv_shim_that_refuses_is_passed_over(tmp_path: Path) -> None:
    fake_python(tmp_path / "bin/python3.9", "pyenv: python3.9: command not found", exit_code=127)
    real = fake_python(tmp_path / "pyenv-root/versions/3.9.18/bin/python3.9", "3.9")
    assert find("3.9", environ(tmp_path, PYENV_ROOT=str(tmp_path / "pyenv-root"))) == real


def test_the_environment_variable_comes_first_but_must_be_that_version(tmp_path: Path) -> None:
    on_path = fake_python(tmp_path / "bin/python3.9", "3.9")
    chosen = fake_python(tmp_path / "mine/python", "3.9")
    assert find("3.9", environ(tmp_path, PYTHON39=chosen)) == chosen
    wrong = fake_python(tmp_path / "other/python", "3.11")
    assert find("3.9", environ(tmp_path, PYTHON39=wrong)) == on_path


def test_nothing_found_is_explained(tmp_path: Path) -> None:
    fake_python(tmp_path / "home/.pyenv/versions/3.10.13/bin/python3.10", "3.10")
    assert find("3.9", environ(tmp_path), system=[]) is None
    assert find("3.9", environ(tmp_path), system=[str(tmp_path / "usr/bin")]) is None
    system = fake_python(tmp_path / "usr/bin/python3.9", "3.9")
    assert find("3.9", environ(tmp_path), system=[str(tmp_path / "usr/bin")]) == system
    text = explain("3.9")
    assert "PYTHON39=/path/to/python3.9 make test-compat" in text
    assert "pyenv install 3.9" in text
