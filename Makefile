# HeroDesk — `make run` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: setup run test lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $(STAMP)

run: setup
	@# A second `make run` on the same address stops here, before touching the database.
	@$(BIN)/herodesk serve --check
	$(BIN)/herodesk migrate --noinput
	@# The demo desk is a setup file (config as code): people, teams, rotations, routing.
	@# Applied to a new desk only, so a second `make run` keeps what was changed since.
	$(BIN)/herodesk apply --if-new herodesk/demo/desk.toml
	$(BIN)/herodesk demo
	@echo "Starting the worker and the server on http://$${HERODESK_BIND:-127.0.0.1:8000}/ (Ctrl+C stops both)"
	@bash scripts/run.sh

test: setup
	bash scripts/test.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy herodesk
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_layers.py
	$(BIN)/python scripts/check_writes.py

bench: setup
	bash bench/run.sh

clean:
	rm -rf $(VENV) var/test-* .mypy_cache .ruff_cache
