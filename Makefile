# bumpwell: the discoverable entry points. A fresh clone needs only `make run` or `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: run demo test check bench fmt clean venv

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP) $@

venv: $(STAMP)

## run: install into .venv, check the content, migrate the database (SQLite by default) and serve on :8000
run: $(STAMP)
	$(BIN)/bumpwell content check
	$(BIN)/bumpwell db upgrade
	$(BIN)/bumpwell serve --host 127.0.0.1 --port 8000

## demo: print a demo assessment and weekly plan (examples/demo-request.json)
demo: $(STAMP)
	$(BIN)/bumpwell assess examples/demo-request.json --format text

# Browser tests drive Debian's Chromium (test tools cannot download their own browsers here).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "note: $(CHROMIUM) is missing; browser tests will skip (and fail when CI=true)"; fi

# poppler's pdfinfo and pdftoppm check and show the PDF report in the tests.
PDFINFO := /usr/bin/pdfinfo
$(PDFINFO):
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  echo "installing Debian's poppler-utils for the PDF report tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; \
	else echo "note: $(PDFINFO) is missing; the pdfinfo checks will skip (and fail when CI=true)"; fi

# npm test tools from package-lock.json: axe-core, Lighthouse, the Nu HTML checker, the FHIR R4 schema, Medplum
# (npm never downloads a browser here).
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

## test: install the dev tools (Python, npm, Chromium, poppler) and run every test with branch coverage
test: $(DEVSTAMP) $(NODE_STAMP) | $(CHROMIUM) $(PDFINFO)
	$(BIN)/python -m pytest --cov --cov-report=term
	@echo "domain/ and catalogue/ must be fully covered (branches included):"
	$(BIN)/coverage report --include='*/bumpwell/domain/*,*/bumpwell/catalogue/*' --fail-under=100

## check: lint, format check, mypy strict on src/, import-linter contracts, content check
check: $(DEVSTAMP)
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/bumpwell content check

# The API load benchmark drives Debian's wrk.
WRK := /usr/bin/wrk
$(WRK):
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  echo "installing Debian's wrk for the API load benchmark"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	else echo "note: $(WRK) is missing; benchmarks/bench_api.py will stop (install wrk as root)"; fi

## bench: performance benchmarks (the API load benchmark installs wrk); results as JSON under benchmarks/results/
bench: $(DEVSTAMP) | $(WRK)
	$(BIN)/python benchmarks/bench_assess.py
	$(BIN)/python benchmarks/bench_figures.py
	$(BIN)/python benchmarks/bench_report.py
	$(BIN)/python benchmarks/bench_board.py
	$(BIN)/python benchmarks/bench_api.py

## fmt: apply ruff's formatting and safe fixes
fmt: $(DEVSTAMP)
	$(BIN)/ruff check --fix src tests benchmarks tools
	$(BIN)/ruff format src tests benchmarks tools

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage .coverage.xml htmlcov
