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
	$(BIN)/herodesk migrate --noinput
	$(BIN)/herodesk demo
	@echo "Starting the worker and the server on http://127.0.0.1:8000/ (Ctrl+C stops both)"
	@# Ctrl+C reaches both (same process group); when the server stops, stop the worker too.
	@bash -c '$(BIN)/herodesk worker & worker=$$!; trap "kill $$worker 2>/dev/null; wait $$worker" EXIT; $(BIN)/herodesk serve'

test: setup
	bash scripts/test.sh

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy herodesk

bench: setup
	bash bench/run.sh

clean:
	rm -rf $(VENV) var/test-* .mypy_cache .ruff_cache
