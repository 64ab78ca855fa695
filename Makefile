# Two commands on a fresh machine: `make demo` and `make test`. Everything else is here too.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# System packages (Debian) are installed as root, or through sudo.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
# The stamp changes whenever the dependencies do, so a second run installs nothing.
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: help install db demo test lint bench serve clean browser soundfont

help:  ## list the targets
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade uv
	@$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)  ## create .venv and install the project with its dev tools

db: install  ## start (or reuse) the embedded PostgreSQL and apply migrations
	@$(BIN)/bachata db start
	@$(BIN)/bachata manage migrate --no-input -v 0

demo: db  ## the product end to end on the built-in demo data
	@$(BIN)/bachata demo

browser:  ## Debian's Chromium for the browser tests (installed once, never downloaded by tests)
	@test -x /usr/bin/chromium || { $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Debian's FluidSynth and General MIDI soundfont: the corpus's sampled-instrument families.
soundfont:  ## FluidSynth and a General MIDI soundfont (installed once, for tests and bench)
	@test -x /usr/bin/fluidsynth -a -f /usr/share/sounds/sf2/FluidR3_GM.sf2 || { \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y -qq --no-install-recommends fluidsynth fluid-soundfont-gm >/dev/null; }

test: lint browser soundfont  ## ruff, then the whole test suite on real PostgreSQL and Chromium
	@$(BIN)/bachata db start
	@$(BIN)/python -m pytest -q

bench: install soundfont  ## print speed and accuracy figures
	@$(BIN)/python bench/run.py

lint: install  ## ruff check and format check
	@$(BIN)/ruff check src tests bench
	@$(BIN)/ruff format --check src tests bench

serve: db  ## the web app and API on http://127.0.0.1:8000/ with a render worker
	@$(BIN)/bachata serve

clean:  ## stop the database and remove the virtualenv (keeps data/)
	-@test -x $(BIN)/bachata && $(BIN)/bachata db stop
	rm -rf $(VENV)
