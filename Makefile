# The two commands: `make site` and `make test`. Each creates the virtualenv it needs.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP_SITE := $(VENV)/.installed-site
STAMP_TEST := $(VENV)/.installed-test

.PHONY: site test serve lint typecheck clean-venv system-deps

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; set PYTHON=python3" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_SITE): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(STAMP_SITE)

## make site: build public/ from content/
site: $(STAMP_SITE)
	$(BIN)/site-builder build

## make serve: live preview on http://127.0.0.1:8000/
serve: $(STAMP_SITE)
	$(BIN)/site-builder serve

## make test: the whole suite (installs Chromium and Java tools if missing)
test: $(STAMP_TEST) system-deps
	$(BIN)/ruff check site_builder tests bench
	$(BIN)/mypy
	$(BIN)/pytest

## system packages the browser and validator tests need (Debian; skipped when present)
system-deps:
	@bash scripts/system-deps.sh

clean-venv:
	rm -rf $(VENV)
