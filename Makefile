# netapp: `make run` serves the demo, `make test` runs every test. Nothing else is needed.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
PORT    ?= 5000
FLASK   := $(BIN)/flask --app netapp
STAMP   := $(VENV)/.installed
TSTAMP  := $(VENV)/.installed-test
# pytest-xdist workers for make test: one per core (JOBS=0 runs in this process)
JOBS    ?= auto
LOCK    := requirements.lock
TLOCK   := requirements-test.lock
PIP     := $(BIN)/pip install -q --disable-pip-version-check
# The tool that writes the lock files, pinned, in a venv of its own so it never enters the app's.
UV      := .venv-lock/bin/uv
UV_PIN  := uv==0.13.8

.PHONY: run test serve bench lint translations extract lock clean

$(BIN)/python:
	$(PY) -m venv $(VENV)

# Installs come from the lock files: the exact versions and hashes every machine and CI get.
# pyproject.toml keeps the ranges; `make lock` re-resolves them, deliberately.
$(STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(PIP) --require-hashes -r $(LOCK)
	$(PIP) --no-deps -e .
	touch $@

$(TSTAMP): pyproject.toml $(TLOCK) $(STAMP)
	$(PIP) --require-hashes -r $(TLOCK)
	touch $@

lock:  ## re-resolve pyproject.toml's ranges into the hashed lock files (then run make test)
	test -x $(UV) || { $(PY) -m venv .venv-lock && .venv-lock/bin/pip install -q $(UV_PIN); }
	$(UV) pip compile -q --upgrade --generate-hashes --universal --python-version 3.11 \
		-o $(LOCK) pyproject.toml
	$(UV) pip compile -q --upgrade --generate-hashes --universal --python-version 3.11 \
		--extra test -c $(LOCK) -o $(TLOCK) pyproject.toml

translations: $(STAMP)  ## compile the .po catalogs (the .mo files are build output)
	@$(BIN)/python -m netapp.i18n_tools compile

extract: $(STAMP)  ## refresh each domain's catalogs from the code and templates
	@$(BIN)/python -m netapp.i18n_tools extract

# `make run` links to itself unless NETAPP_PUBLIC_URL says otherwise; `make serve` needs it set.
DEV_URL := NETAPP_PUBLIC_URL=$(or $(NETAPP_PUBLIC_URL),http://127.0.0.1:$(PORT))

run: translations  ## migrate, seed the demo once, serve on http://127.0.0.1:$(PORT)
	$(DEV_URL) $(FLASK) init-db
	$(DEV_URL) $(FLASK) seed-demo
	$(DEV_URL) NETAPP_SESSION_COOKIE_SECURE=false NETAPP_REMEMBER_COOKIE_SECURE=false \
		NETAPP_MAIL_FILES_AFTER_REQUEST=true $(FLASK) run --host 127.0.0.1 --port $(PORT)

# ical.js, the third calendar reader of the tests, and vnu.jar, the Nu HTML validator (java
# runs it), from their lock file and without install scripts (vnu's would fetch a Java); without
# npm the tests that need them skip with the reason (on CI, NETAPP_REQUIRE_BROWSER=true makes
# them fail).
JSREADERS := tests/js/node_modules/.package-lock.json
$(JSREADERS): tests/js/package.json tests/js/package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/js --ignore-scripts --no-audit --no-fund --silent; \
	else echo "npm is not installed: the ical.js and Nu validator tests will skip"; fi

test: $(TSTAMP) translations $(JSREADERS)  ## lint, the whole suite on SQLite, then again on PostgreSQL (browser tests: the room's)
	$(BIN)/ruff check netapp tests bench
	$(BIN)/bandit -q -r netapp -x netapp/migrations
	$(BIN)/python -m pytest -n $(JOBS) --dist worksteal
	$(BIN)/python -m pytest -n $(JOBS) --dist worksteal --db postgresql -m "not browser or room"

serve: translations  ## production serving with gunicorn (see README)
	$(FLASK) init-db
	$(BIN)/gunicorn -c gunicorn.conf.py 'netapp:create_app()'

bench: $(TSTAMP) translations  ## benchmarks on 127.0.0.1 (needs wrk), writes bench/RESULTS.md
	@command -v wrk >/dev/null || { echo "make bench needs wrk: apt-get install wrk"; exit 1; }
	$(BIN)/python bench/push.py --db both
	$(BIN)/python bench/run.py --db both

lint: $(TSTAMP)
	$(BIN)/ruff check netapp tests bench

clean:
	rm -rf $(VENV)
