# One task runner for everything: `make site`, `make test`, `make eval`, `make bench`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
EVAL   ?= ../shared/eval

.PHONY: install system-deps pdf-deps site generate serve test lint golden eval bench bench-cluster clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

system-deps:                  ## what the tests need: chromium, poppler-utils, Pango, fonts
	./scripts/install-system-deps.sh

pdf-deps:                     ## what the build needs: Pango and fonts for WeasyPrint, no browser
	./scripts/install-system-deps.sh --pdf

site: install pdf-deps        ## build the demo site (and PDF) from corpus/ into site/
	$(VENV)/bin/briefing build

generate: install
	$(VENV)/bin/briefing generate

serve: install
	$(VENV)/bin/briefing serve

test: install system-deps     ## install everything, lint, run the whole test suite
	$(VENV)/bin/ruff check generator tests bench
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check generator tests bench
	$(VENV)/bin/ruff format --check generator tests
	$(VENV)/bin/mypy

golden: install               ## regenerate tests/golden/ from the demo corpus
	$(PY) -m tests.golden

eval: install                 ## score every analysis against the development data, every method side by side
	$(VENV)/bin/briefing eval summaries $(EVAL)/summaries-bbc-dev.jsonl
	$(VENV)/bin/briefing eval keyphrases $(EVAL)/keyphrases-500n-dev.jsonl
	$(VENV)/bin/briefing eval stories $(EVAL)/stories-ecbplus-dev.jsonl
	$(VENV)/bin/briefing eval timex $(EVAL)/timex-tbaq-dev.jsonl
	$(VENV)/bin/briefing eval figures $(EVAL)/figures-rt-dev.jsonl

bench: install system-deps
	$(PY) -m bench

bench-cluster: install         ## local processes against a two-worker Dask cluster on this machine, one corpus
	$(PY) -m bench.cluster

clean:
	rm -rf site .cache
