# The two commands (see README): `make demo` and `make test`. Both work from a fresh clone with
# only Python >= 3.10, git and make: they create .venv and install keystow into it first.
# `make lint` (ruff, mypy, the import layers) and `make bench` (the benchmarks RESULTS.md quotes)
# work the same way.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.keystow-installed
LINT_STAMP := $(VENV)/.keystow-lint-installed

.PHONY: demo test install bench lint clean docs moto

$(STAMP): pyproject.toml
	@echo "make: creating $(VENV) and installing keystow into it (pip install -e '.[test]': click, pyyaml,"
	@echo "      jsonschema, hyperscan, rich, ... and the test tools pytest, boto3, moto, pre-commit,"
	@echo "      detect-secrets, git-filter-repo, distributed) from your package index; nothing outside $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The lint tools are their own extra: `make test` does not need them.
$(LINT_STAMP): $(STAMP) pyproject.toml
	$(PY) -m pip install --quiet -e '.[test,lint]'
	touch $(LINT_STAMP)

install: $(STAMP)

demo: $(STAMP)
	@echo "make demo: a throwaway repository with fake credentials in a temp dir, scanned and migrated into a local moto server"
	$(PY) -m tools.demo

test: $(STAMP)
	$(PY) -m pytest -n 2 -q

lint: $(LINT_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

bench: $(STAMP)
	$(PY) bench/run_all.py

# The docs site (docs/, mkdocs.yml) into site/: needs the docs extra (mkdocs).
docs: $(STAMP)
	$(PY) -m pip install --quiet -e '.[docs]'
	$(PY) -m mkdocs build --strict

# A local moto server for trying `keystow migrate` by hand (docs/migrate-locally.md).
moto: $(STAMP)
	$(PY) -m testing.local_moto

clean:
	rm -rf $(VENV) build dist site src/*.egg-info .pytest_cache
