# ITA Tracker — the commands a newcomer needs. `make run` and `make test` set everything up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEV_ENV := DJANGO_DEBUG=1
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test test-sqlite test-postgres lint format migrations-check check clean bench-import

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
	$(DEV_ENV) $(BIN)/python manage.py load_demo --with-demo-users
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install
	@echo "=== Test suite on SQLite ==="
	$(BIN)/pytest
	@echo "=== Test suite on PostgreSQL ==="
	scripts/with-postgres.sh $(BIN)/pytest

test-sqlite: install
	$(BIN)/pytest

test-postgres: install
	scripts/with-postgres.sh $(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(DEV_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(DEV_ENV) $(BIN)/python manage.py check --fail-level WARNING

# Prints figures (seconds, speed-up); never part of the test suite.
bench-import: install
	DJANGO_ENV_FILE= DJANGO_SECRET_KEY=bench-only scripts/with-postgres.sh $(BIN)/python scripts/bench_import.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
