# Two commands do all set-up: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# `make run PORT=8001` (or HOST=…); unset, python -m web reads KB_HOST / KB_PORT, else its defaults.
HOST ?=
PORT ?=

.PHONY: run test venv test-venv index lint bench mutation sample clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

venv: $(VENV)/.installed

test-venv: $(VENV)/.installed-test

## Bring the index up to date with its recorded reports (an empty index gets the sample corpus).
index: venv
	$(PY) -m ingest

## Install, bring the index up to date (never dropping a report you added), serve the UI.
run: index
	$(PY) -m web $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT))

## Install with test extras and run the whole test suite.
test: test-venv
	bash tests/setup_browser.sh
	$(PY) -m pytest
	bash .ci/audit.sh

lint: test-venv
	$(VENV)/bin/ruff check .

bench: test-venv
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) -m bench

## Mutation testing (CPU-heavy, never part of `make test`); scores in docs/mutation.md.
mutation: test-venv
	$(PY) -m pip install --quiet -e '.[mutation]'
	rm -rf mutants
	nice -n 10 $(VENV)/bin/mutmut run --max-children 2
	$(PY) .ci/mutation_score.py --survivors

## Regenerate the sample PDFs and ground truth from corpus/sample/source.
sample: test-venv
	$(PY) corpus/sample/build.py

clean:
	rm -rf var .pytest_cache tests/artifacts mutants
