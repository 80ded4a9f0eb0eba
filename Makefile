# ITA Tracker — the commands a newcomer needs. `make run` and `make test` set everything up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEV_ENV := DJANGO_DEBUG=1
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve test test-sqlite test-postgres chromium gettext lint format migrations-check \
	check clean bench-import bench-hostile bench bench-pdf-then bench-reminders bench-linkcheck loadtest faults \
	backup restore

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Development settings for a bare `python manage.py …` in this checkout; never on a server.
.env:
	printf '# Local development only (written by make run). Never copy to a server.\nDJANGO_DEBUG=1\n' > .env

run: install .env
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_demo --with-demo-users --simulated
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# As in production: gunicorn on PostgreSQL (DATABASE_URL), static files through whitenoise,
# after the deploy check, migrations and collectstatic. docs/deploy.md lists the variables.
serve: install
	scripts/serve.sh

# On each database: the suite (one process per CPU, pytest-xdist, each with its own test
# database), then the browser tests (tests/browser) in a run of their own,
# the only one allowed to reach the database from inside Playwright's event loop.
# One shell command, so that PostgreSQL serves both runs from one throw-away cluster.
# A failing browser test leaves its screenshot under var/browser-failures/.
BROWSER_PYTEST = DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -m browser \
	--screenshot=only-on-failure --output=var/browser-failures
TEST_RUNS = $(BIN)/pytest -m "not browser" --numprocesses=auto && $(BROWSER_PYTEST)

test: install chromium gettext
	@echo "=== Test suite on SQLite ==="
	$(TEST_RUNS)
	@echo "=== Test suite on PostgreSQL ==="
	scripts/with-postgres.sh sh -c '$(TEST_RUNS)'

test-sqlite: install chromium gettext
	$(TEST_RUNS)

test-postgres: install chromium gettext
	scripts/with-postgres.sh sh -c '$(TEST_RUNS)'

# The browser tests drive the system Chromium; Playwright's own browser download is never used.
chromium:
	scripts/ensure-chromium.sh

# The catalog tests collect the strings with makemessages and compile them with msgfmt.
gettext:
	scripts/ensure-gettext.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(DEV_ENV) $(BIN)/python manage.py check --fail-level WARNING

# A fresh strong key for each throw-away run: with DEBUG off the settings refuse a weak one.
THROWAWAY_KEY = DJANGO_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')

# Prints figures (seconds, speed-up); never part of the test suite.
bench-import: install
	DJANGO_ENV_FILE= $(THROWAWAY_KEY) scripts/with-postgres.sh $(BIN)/python scripts/bench_import.py

# Hostile spreadsheets (zip bombs, huge dimensions, too many rows/columns/cells, giant
# fields...) through the score import, one fresh process each: seconds, peak MB, PASS/FAIL
# against every refusal under 5 s and 200 MB. Figures, never part of the test suite.
bench-hostile: install
	DJANGO_ENV_FILE= $(BIN)/python scripts/bench_hostile_files.py

# Pages on the BMA-wide synthetic data set, through gunicorn with DEBUG off: p50/p95 per page
# and PASS/FAIL against the goals (BENCH_CLIENTS, BENCH_REQUESTS: see scripts/bench.py).
bench: install
	DJANGO_ENV_FILE= $(THROWAWAY_KEY) scripts/with-postgres.sh $(BIN)/python scripts/bench.py

# The plan's PDF by the code of the day its goal was set (a git worktree) and by this tree, on
# this machine, alternately: seconds of each and PASS/FAIL for no slower than then.
bench-pdf-then: install
	DJANGO_ENV_FILE= $(THROWAWAY_KEY) $(BIN)/python scripts/bench_pdf_then.py

# The reminder digests of 50 districts × 20 users and of 5 × 20 on the synthetic data: seconds
# and queries of each, PASS/FAIL for queries not growing and seconds growing at most linearly.
bench-reminders: install
	DJANGO_ENV_FILE= $(THROWAWAY_KEY) scripts/with-postgres.sh $(BIN)/python scripts/bench_reminders.py

# The OIT link checker over 200 addresses of a local web site (tests/oit/web.py): seconds and
# each verdict's count. No database; figures, never part of the test suite.
bench-linkcheck: install
	DJANGO_ENV_FILE= $(DEV_ENV) $(BIN)/python scripts/bench_linkcheck.py

# 60 s of staff and managers as concurrent users (LOAD_USERS, 50) against gunicorn on a
# throw-away PostgreSQL, then a check that every accepted progress report is stored once.
loadtest: install
	DJANGO_ENV_FILE= $(THROWAWAY_KEY) scripts/with-postgres.sh $(BIN)/python scripts/loadtest.py

# The database restarting under a running server, an import killed half-way, an upload that
# cannot be stored: each checked against gunicorn on a throw-away PostgreSQL.
faults: install
	DJANGO_ENV_FILE= $(THROWAWAY_KEY) scripts/with-postgres.sh $(BIN)/python scripts/faults.py

# Backup and restore of the configured database (and the uploaded evidence on local disk).
#   make backup [TO=backups/]        make restore FILE=backups/ita-….dump
backup: install
	$(BIN)/python manage.py backup $(if $(TO),--output "$(TO)")

restore: install
	@test -n "$(FILE)" || { echo "usage: make restore FILE=<backup file>" >&2; exit 2; }
	$(BIN)/python manage.py restore "$(FILE)"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
