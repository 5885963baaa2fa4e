# Espace Adhérent — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
export NO_MKDOCS_2_WARNING := 1
export SAM_CLI_TELEMETRY := 0
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: event-schemas run test test-dates test-date install site site-tests chromium lint build \
	bench bench-places bench-ingest clean screenshots

$(STAMP): pyproject.toml package.json package-lock.json
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet ".[dev]"
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(STAMP)

# checkov pins its own boto3 (older than aws-sam-cli's): it gets a virtual environment of its own.
CHECKOV := .venv-checkov/bin/checkov
$(CHECKOV):
	$(PYTHON) -m venv .venv-checkov
	.venv-checkov/bin/pip install --quiet --upgrade pip
	.venv-checkov/bin/pip install --quiet "checkov==3.3.30"

site: $(STAMP)
	cd site && ../$(BIN)/mkdocs build --strict --quiet

# Debian's Chromium for the end-to-end tests (never a downloaded browser).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The tutorial's screenshots, taken from the running local stack (committed under
# site/docs/tutoriel/captures/). The site is built first without them, which only this allows.
screenshots: $(STAMP) chromium
	cd site && EA_CAPTURES_OPTIONAL=1 ../$(BIN)/mkdocs build --strict --quiet
	$(BIN)/python -m infra.screenshots
	$(MAKE) site

run: site
	$(BIN)/python -m infra.local --port $(PORT)

lint: $(STAMP) $(CHECKOV)
	$(BIN)/ruff check .
	$(BIN)/cfn-lint template.yaml
	$(CHECKOV) --file template.yaml --framework cloudformation --compact --quiet --skip-download
	PYTHONPATH=functions $(BIN)/lint-imports --no-cache

# The portal's event schemas (docs/events/), from their models (functions/domain/events.py).
event-schemas: $(STAMP)
	$(BIN)/python -m infra.event_schemas

# What `sam deploy` would ship: each function with only what its code imports (no Docker).
# The template is linted by `make lint` (`cfn-lint template.yaml`: what `sam validate --lint`
# runs, the same rules and region). The packages build side by side: each mostly waits on pip.
build: $(STAMP)
	$(BIN)/sam build --parallel
	$(BIN)/python -m infra.check_build

# The site's browser-free unit tests.
site-tests: $(STAMP)
	npm run --silent test:site

# The site, lint, build, site tests and the date sweep run side by side first (each output
# printed whole when it ends): `sam build` mostly waits on pip, and the sweep's processes fill
# those waits. The sweep's instants no longer depend on how fast its setup goes (its clock
# jumps to the instant once the seed is made: tests/sweep.py). Then the test workers, with both
# cores; tests/conftest.py says how they share the tests. docs/benchmarks.md (« The test run »)
# has the figures.
test: $(STAMP) chromium
	$(MAKE) --no-print-directory -j 5 --output-sync=target site lint build site-tests test-dates
	$(BIN)/python -m pytest tests -q -n 2 --dist loadgroup

# The date sweep alone: the tests marked `dated`, at every instant of tests/sweep.py (two at a
# time). `make test-dates ALL=1`: every unit and integration test at every instant (long).
test-dates: $(STAMP)
	$(BIN)/python -m tests.sweep $(if $(ALL),--all)

# One instant: make test-date AT=2027-01-01T00:10 (Paris time; ALL=1 for every test).
test-date: $(STAMP)
	$(BIN)/python -m pytest tests/unit tests/integration -q -n 2 --dist loadgroup \
	  --at "$(AT)" $(if $(ALL),--every-test)

# Every benchmark runs, even after one fails; the target fails if any did.
bench: build site chromium
	@status=0; \
	for bench in import_bench claims_bench load site_bench; do \
	  echo "$(BIN)/python bench/$$bench.py"; \
	  $(BIN)/python bench/$$bench.py || status=1; \
	done; exit $$status

# « Mes services »: DynamoDB calls and time per search at 1k, 10k and 100k places (moto).
bench-places: $(STAMP)
	$(BIN)/python bench/places_bench.py

# Inbox ingest: 10k and 100k reimbursement lines through the real ingest code into moto,
# against the same DynamoDB calls alone (LINES="1000" for a quick run).
bench-ingest: $(STAMP)
	$(BIN)/python bench/ingest.py $(if $(LINES),--lines $(LINES))

clean:
	rm -rf build .aws-sam .pytest_cache
