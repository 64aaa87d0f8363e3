# Set-up and everyday commands. `make run` and `make test` need only Python 3.11.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: venv venv-oldest run test test-fast test-compat test-compat-oldest test-compat-newest lint format package bench serve clean

$(STAMP): tools/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r tools/requirements.txt
	touch $(STAMP)

venv: $(STAMP)

# The oldest supported Anki (23.10) in a virtualenv of its own, on the Python 3.9 that release bundles.
OLDEST_VENV ?= .venv-anki23.10
OLDEST_PY := $(OLDEST_VENV)/bin/python
OLDEST_STAMP := $(OLDEST_VENV)/.installed

# Without a Python 3.9 the oldest Anki is still tested, on $(PYTHON), with a warning: its API is what
# matters most, and ruff checks the code against Python 3.9's syntax. REQUIRE_PYTHON39=1 makes it fail.
$(OLDEST_STAMP): tools/requirements-oldest.txt
	@python39="$$($(PYTHON) tools/find_python.py 3.9)" || { \
		if [ -n "$(REQUIRE_PYTHON39)" ]; then exit 1; fi; \
		python39="$(PYTHON)"; \
		echo "WARNING: testing Anki 23.10 on $$($(PYTHON) --version 2>&1) instead of Python 3.9" >&2; \
	} && \
		echo "$(OLDEST_VENV): Anki 23.10 on $$python39" && \
		"$$python39" -m venv --clear $(OLDEST_VENV)
	$(OLDEST_PY) -m pip install --quiet --disable-pip-version-check -r tools/requirements-oldest.txt
	touch $(OLDEST_STAMP)

venv-oldest: $(OLDEST_STAMP)

## Real Anki with the add-on on a throwaway profile, serving on 127.0.0.1:8765 until Ctrl-C.
run: $(STAMP)
	$(PY) -m tools.anki_sandbox run --port 8765

## The whole test suite: fast layer on a real collection, integration layer on real Anki.
test: $(STAMP)
	$(PY) -m pytest

## Only the fast layer (no Anki process).
test-fast: $(STAMP)
	$(PY) -m pytest tests/fast

## The supported range, 23.10 to 26.9: on the oldest and the newest Anki, each in its own virtualenv,
## the fast layer and the integration smoke tests (server, Yomitan's card path, one action per category,
## installing the package).
COMPAT_SELECTION := -m "not integration or smoke"

test-compat: test-compat-oldest test-compat-newest

test-compat-oldest: $(OLDEST_STAMP)
	$(OLDEST_PY) -m pytest -p no:cacheprovider $(COMPAT_SELECTION)

test-compat-newest: $(STAMP)
	$(PY) -m pytest $(COMPAT_SELECTION)

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
