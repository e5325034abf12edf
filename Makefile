# Set-up and everyday commands. Every install step lives here so a fresh clone
# needs nothing from anyone's shell history.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app directory

.PHONY: install run test test-instants lint fuzz bench loadtest lighthouse db clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

db: install
	$(FLASK) db upgrade
	$(FLASK) gazetteer load-towns --if-empty
	$(FLASK) seed --if-empty

run: db
	$(FLASK) feeds warm --url http://127.0.0.1:5000/
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install
	@if [ -x /usr/bin/chromium ]; then :; else \
	  echo "NOTE: /usr/bin/chromium is missing, so the browser tests will be skipped (install Debian's chromium package to run them)."; fi
	$(BIN)/pytest $(PYTEST_ARGS)

# The clock-dependent suite again at the other pinned instants (tests/support/clock.py), on SQLite:
# a test that depends on the hour fails here, not on somebody's Tuesday evening.
INSTANTS ?= bst-ends new-years-eve leap-day
test-instants: install
	@for instant in $(INSTANTS); do \
	  echo "== the suite with the clock at $$instant"; \
	  DIRECTORY_TEST_NOW=$$instant TEST_DATABASE_URL= $(BIN)/pytest -q --ignore=tests/browser $(PYTEST_ARGS) || exit 1; \
	done

# ruff (lint and import order) and mypy (strict on the pure modules); config in pyproject.toml.
lint: install
	$(BIN)/ruff check directory tests migrations
	$(BIN)/mypy

# A long campaign of the role fuzzer (every form as every role, every GET route); prints requests
# and refusals per route. Set TEST_DATABASE_URL to run it on PostgreSQL as well.
fuzz: install
	FUZZ_PROFILE=campaign $(BIN)/pytest tests/test_fuzz_roles.py $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m tests.bench.bench_relevance
	$(BIN)/python -m tests.bench.bench_search
	$(BIN)/python -m tests.bench.bench_feeds
	$(BIN)/python -m tests.bench.bench_import

# wrk drives the load from a second process; Debian's package, installed when missing.
loadtest: install
	@command -v wrk >/dev/null || { export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python -m tests.bench.loadtest $(LOADTEST_ARGS)

# Lighthouse in mobile mode on the key public pages of a freshly seeded local site, with Debian's
# Chromium; npm's lighthouse@12.2.3 is installed into build/lighthouse. Prints a table; not part of `make test`.
LIGHTHOUSE := build/lighthouse/node_modules/.bin/lighthouse
$(LIGHTHOUSE):
	npm install --silent --no-audit --no-fund --prefix build/lighthouse lighthouse@12.2.3

lighthouse: install $(LIGHTHOUSE)
	@test -x /usr/bin/chromium || { echo "make lighthouse needs Debian's chromium at /usr/bin/chromium"; exit 1; }
	$(BIN)/python -m tests.lighthouse.run

clean:
	rm -rf $(VENV) instance .pytest_cache
