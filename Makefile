# The two commands of the README: `make run` and `make test`. Both build their own
# virtual environment, so they work on a fresh clone.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export LAWBOT_DB ?= data/lawbot.db

.PHONY: run test lint typecheck unit bench clean browser

# The web chat when no chat network is configured: `make run` ends in a page to open.
WEB_DEFAULT := $(if $(or $(LAWBOT_WEB),$(TELEGRAM_BOT_TOKEN),$(MATRIX_HOMESERVER)),,127.0.0.1:8080)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## run: set up, initialise ./data/lawbot.db (statutes, starter FAQ, demo organisation) and start the bot
## (with nothing configured: the web chat on http://127.0.0.1:8080/, its URLs printed)
run: $(STAMP)
	$(BIN)/lawbot init --demo
	$(if $(WEB_DEFAULT),LAWBOT_WEB=$(WEB_DEFAULT) )$(BIN)/lawbot run

## test: set up, lint, type-check and run every test (Synapse and the Bot API server included)
test: $(STAMP) browser lint typecheck
	$(BIN)/pytest -q -p no:cacheprovider

## browser: Debian's Chromium and Chinese (and emoji) fonts for the web chat's browser tests
browser:
	command -v chromium >/dev/null && fc-list :lang=zh | grep -q . || \
	  ($(SUDO) apt-get update && $(SUDO) apt-get install -y chromium fonts-wqy-microhei fonts-noto-color-emoji)

lint: $(STAMP)
	$(BIN)/ruff check bot knowledge matcher tests benchmarks eval docs

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/import_speed.py
	$(BIN)/python benchmarks/match_quality.py
	$(BIN)/python benchmarks/match_speed.py
	$(BIN)/python benchmarks/web_throughput.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
