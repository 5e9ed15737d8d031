# metrokg — the targets CI runs. `make run` and `make test` work on a fresh machine
# with Python 3.11+ and make; system packages (Chromium for browser tests) are
# installed by `make system-deps` when missing (needs root or sudo).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run setup build test lint typecheck system-deps notebooks serve clean

run: setup build

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "metrokg needs Python 3.11+"'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

build: setup
	@$(BIN)/metrokg build

system-deps:
	@sh scripts/system-deps.sh

test: setup system-deps
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check src tests scripts
	$(BIN)/mypy

notebooks: setup build
	$(BIN)/python -m pip install --quiet -e '.[dev,notebooks]'
	$(BIN)/jupyter lab notebooks/ $$([ "$$(id -u)" = 0 ] && echo --allow-root)

serve: setup build
	$(BIN)/metrokg serve

clean:
	rm -rf dist .pytest_cache .mypy_cache .ruff_cache
