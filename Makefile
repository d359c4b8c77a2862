# Goodwill: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
export GOODWILL_DATA_DIR ?= $(abspath ../shared/data)

.PHONY: demo test install install-dev lock lint typecheck unit clean browser test-browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e .
	@if [ -x scripts/install-extras.sh ]; then PIP="$(BIN)/pip" scripts/install-extras.sh; fi
	touch $@

$(VENV)/.installed-dev: pyproject.toml constraints.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

## Resolve pyproject.toml afresh in a throw-away venv and pin the result in constraints.txt
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet -e '.[dev]'
	{ sed -n '1,/^[^#]/{/^#/p}' constraints.txt; .lock-venv/bin/pip freeze --exclude-editable | grep -v '^goodwill'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt
	rm -rf .lock-venv

## Build the demo organisation into a local SQLite file and serve it on http://$(HOST):$(PORT)
demo: install
	$(BIN)/goodwill demo --host $(HOST) --port $(PORT)

## Lint, type-check and run the whole test suite (SQLite and, when reachable, PostgreSQL)
test: install-dev browser
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src
	$(BIN)/pytest -n auto --dist loadfile

## Debian's Chromium for the browser tests (installed with apt only when missing; never downloaded by Playwright)
browser:
	sh scripts/install-browser.sh

## Only the browser tests (Playwright driving Chromium), screenshots in test-output/screenshots/
test-browser: install-dev browser
	$(BIN)/pytest tests/browser -m browser

lint: install-dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: install-dev
	$(BIN)/mypy src

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
