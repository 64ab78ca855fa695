# Two commands on a fresh machine: `make demo` and `make test`. Everything else is here too.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# System packages (Debian) are installed as root, or through sudo.
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)
# uv installs exactly uv.lock; the bootstrap uses the uv version the lock pins.
UV_VERSION := 0.13.9
UV := $(BIN)/uv
export UV_PYTHON_DOWNLOADS := never
# The stamp changes whenever the dependencies do, so a second run installs nothing.
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml uv.lock | sha1sum | cut -c1-12)

.PHONY: help install lock db demo test lint bench serve clean browser soundfont

help:  ## list the targets
	@grep -E '^[a-z]+:.*##' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

$(STAMP): pyproject.toml uv.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@test -x $(UV) || $(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	@$(UV) sync --quiet --locked --extra dev --python $(BIN)/python
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)  ## create .venv and install exactly uv.lock (fails if the lock is stale)

# uv.lock is the truth: edit pyproject.toml, then refresh it (UPGRADE=1: newest versions too).
lock:  ## refresh uv.lock from pyproject.toml (UPGRADE=1 also moves every pin to the newest)
	@test -x $(UV) || { $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install --quiet uv==$(UV_VERSION); }
	@$(UV) lock $(if $(UPGRADE),--upgrade,)

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

lint: install  ## the lock is current, ruff check and format check
	@$(UV) lock --check --quiet || { echo "uv.lock is stale against pyproject.toml: run make lock" >&2; exit 1; }
	@$(BIN)/ruff check src tests bench
	@$(BIN)/ruff format --check src tests bench

serve: db  ## the web app and API on http://127.0.0.1:8000/ with a render worker
	@$(BIN)/bachata serve

clean:  ## stop the database and remove the virtualenv (keeps data/)
	-@test -x $(BIN)/bachata && $(BIN)/bachata db stop
	rm -rf $(VENV)
