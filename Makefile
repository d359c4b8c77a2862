# Goodwill: the two commands a newcomer needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
export GOODWILL_DATA_DIR ?= $(abspath ../shared/data)

.PHONY: demo test install install-dev lint typecheck unit clean browser test-browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@if [ -x scripts/install-extras.sh ]; then PIP="$(BIN)/pip" scripts/install-extras.sh; fi
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

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
