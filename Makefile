# Set-up and everyday commands. `make run` and `make test` need only Python 3.11.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: venv run test test-fast lint format package bench serve clean

$(STAMP): tools/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r tools/requirements.txt
	touch $(STAMP)

venv: $(STAMP)

## Real Anki with the add-on on a throwaway profile, serving on 127.0.0.1:8765 until Ctrl-C.
run: $(STAMP)
	$(PY) -m tools.anki_sandbox run --port 8765

## The whole test suite: fast layer on a real collection, integration layer on real Anki.
test: $(STAMP)
	$(PY) -m pytest

## Only the fast layer (no Anki process).
test-fast: $(STAMP)
	$(PY) -m pytest tests/fast

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

## dist/ankiconnect-<version>.ankiaddon, installable through Anki's add-on manager.
package: $(STAMP)
	$(PY) -m tools.package

bench: $(STAMP)
	$(PY) -m tools.bench

## Serve a collection file without Anki's windows: make serve COLLECTION=path/to/collection.anki2 [ARGS="--port 9000"]
serve: $(STAMP)
	$(PY) -m plugin serve --collection "$(COLLECTION)" $(ARGS)

clean:
	rm -rf dist .pytest_cache .mypy_cache .ruff_cache
