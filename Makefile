# The two commands of the README: `make run` and `make test`. Both build their own
# virtual environment, so they work on a fresh clone.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export LAWBOT_DB ?= data/lawbot.db

.PHONY: run test lint typecheck unit bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## run: set up, initialise ./data/lawbot.db (statutes, starter FAQ, demo organisation) and start the bot
run: $(STAMP)
	$(BIN)/lawbot init --demo
	$(BIN)/lawbot run

## test: set up, lint, type-check and run every test (Synapse and the Bot API server included)
test: $(STAMP) lint typecheck
	$(BIN)/pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check bot knowledge matcher tests benchmarks eval

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/import_speed.py
	$(BIN)/python benchmarks/match_quality.py
	$(BIN)/python benchmarks/match_speed.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
