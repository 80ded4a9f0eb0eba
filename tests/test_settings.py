"""Settings come from the environment and refuse values that make no sense."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from ita_tracker.env import (
    TEST_SUITE_SECRET_KEY,
    env_bool,
    env_int,
    env_list,
    weak_secret_key_reason,
)

ROOT = Path(__file__).resolve().parent.parent


SUMMARY = (
    "import json; from ita_tracker import settings as s; "
    "print(json.dumps({'debug': s.DEBUG, 'engine': s.DATABASES['default']['ENGINE'], "
    "'hosts': s.ALLOWED_HOSTS, 'lang': s.LANGUAGE_CODE, 'tz': s.TIME_ZONE, "
    "'health': s.DATABASES['default'].get('CONN_HEALTH_CHECKS'), "
    "'mode': s.DATABASES['default'].get('OPTIONS', {}).get('transaction_mode'), "
    "'prepared': s.ITA_DB_PREPARED_STATEMENTS}))"
)


def load_settings(code: str = SUMMARY, **env) -> subprocess.CompletedProcess:
    """Run ``code`` (by default: print what the settings chose) in a fresh interpreter with
    exactly this environment."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "ITA_"))
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"DJANGO_ENV_FILE": "", **clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


STRONG = secrets.token_urlsafe(50)


def test_secret_key_is_required_when_debug_is_off():
    result = load_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_debug_has_a_development_secret_and_sqlite_default():
    result = load_settings(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert '"engine": "django.db.backends.sqlite3"' in result.stdout
    assert '"mode": "IMMEDIATE"' in result.stdout
    assert '"lang": "th"' in result.stdout
    assert '"tz": "Asia/Bangkok"' in result.stdout


def test_database_url_switches_to_postgresql_with_health_checks():
    result = load_settings(
        DJANGO_SECRET_KEY=STRONG, DATABASE_URL="postgres://u:p@localhost:5432/ita"
    )
    assert result.returncode == 0, result.stderr
    assert '"engine": "django.db.backends.postgresql"' in result.stdout
    assert '"health": true' in result.stdout
    assert '"prepared": true' in result.stdout
    # Behind PgBouncer in transaction mode.
    pooled = load_settings(
        DJANGO_SECRET_KEY=STRONG,
        DATABASE_URL="postgres://u:p@localhost:5432/ita",
        ITA_DB_PREPARED_STATEMENTS="0",
    )
    assert '"prepared": false' in pooled.stdout, pooled.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG='maybe' is not a boolean"),
        ({"DJANGO_DEBUG": "1", "DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL"),
        (
            {"DJANGO_DEBUG": "1", "DATABASE_URL": "postgres://h/db", "DJANGO_CONN_MAX_AGE": "x"},
            "not a whole number",
        ),
    ],
)
def test_bad_values_fail_loudly(env, message):
    result = load_settings(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_env_file_fills_in_but_never_overrides(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("# local\nDJANGO_DEBUG=1\nDJANGO_LOG_LEVEL='WARNING'\n", encoding="utf-8")
    result = load_settings(DJANGO_ENV_FILE=str(env_file))
    assert result.returncode == 0, result.stderr
    assert '"debug": true' in result.stdout
    result = load_settings(DJANGO_ENV_FILE=str(env_file), DJANGO_DEBUG="0")
    assert result.returncode != 0  # the real environment wins: debug off, no secret key
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_env_file_with_a_bad_line_fails_loudly(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("DJANGO_DEBUG=1\nthis is not a setting\n", encoding="utf-8")
    result = load_settings(DJANGO_ENV_FILE=str(env_file))
    assert result.returncode != 0
    assert "line 2: expected KEY=VALUE" in result.stderr


def test_env_helpers(monkeypatch):
    monkeypatch.setenv("X_BOOL", " Yes ")
    monkeypatch.setenv("X_INT", "7")
    monkeypatch.setenv("X_LIST", "a.example, ,b.example")
    assert env_bool("X_BOOL", False) is True
    assert env_bool("X_UNSET", True) is True
    assert env_int("X_INT", 1) == 7
    assert env_list("X_LIST", []) == ["a.example", "b.example"]
    with pytest.raises(ImproperlyConfigured, match="at least 10"):
        env_int("X_INT", 1, minimum=10)


DOCS_PLACEHOLDER = (
    '…50 or more random characters: python3 -c "import secrets; print(secrets.token_urlsafe(50))"'
)


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("short-but-random-Zq8", "has 20 characters"),
        ("ab" * 40, "fewer than 5 different characters"),
        # Fixed, not random: the test's id must be the same in every pytest process.
        ("django-insecure-Uj3lsPIMph6JIicHYhRUSHiVbkx7U06WI10Luokv-sgnY2p5q", "django-insecure-"),
        (DOCS_PLACEHOLDER, "placeholder or test key"),
        (TEST_SUITE_SECRET_KEY, "placeholder or test key"),
        ("bench-only", "placeholder or test key"),
    ],
)
def test_a_weak_secret_key_stops_a_server_from_starting(key, reason):
    assert reason in weak_secret_key_reason(key)
    result = load_settings(DJANGO_SECRET_KEY=key)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak" in result.stderr
    assert reason in result.stderr


def test_a_generated_secret_key_starts():
    assert weak_secret_key_reason(STRONG) is None
    result = load_settings(DJANGO_SECRET_KEY=STRONG)
    assert result.returncode == 0, result.stderr
    assert '"debug": false' in result.stdout


def test_a_weak_key_is_fine_while_developing():
    assert load_settings(DJANGO_DEBUG="1", DJANGO_SECRET_KEY="dev").returncode == 0


def test_only_the_test_suite_key_passes_and_only_when_the_run_says_it_is_a_test():
    test_run = {"DJANGO_TEST_SUITE": "1"}
    assert load_settings(DJANGO_SECRET_KEY=TEST_SUITE_SECRET_KEY, **test_run).returncode == 0
    assert load_settings(DJANGO_SECRET_KEY=TEST_SUITE_SECRET_KEY).returncode != 0
    assert load_settings(DJANGO_SECRET_KEY="bench-only", **test_run).returncode != 0


def test_the_documented_service_reads_no_env_file_and_keeps_debug_off():
    # A .env that `make run` left in the working directory must not turn DEBUG on in service.
    unit = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    service = unit[unit.index("[Service]") : unit.index("[Install]")]
    assert "\nEnvironment=DJANGO_ENV_FILE=\n" in service
    assert "\nEnvironment=DJANGO_DEBUG=0\n" in service


def test_a_worker_sets_what_it_loaded_aside_from_the_garbage_collector():
    """Loading the WSGI application freezes the objects loaded with it (Django, settings,
    URLs, views): a full collection then walks only what the requests made."""
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "ITA_"))
    }
    code = (
        "import gc, sys; import ita_tracker.wsgi; "
        "print(gc.get_freeze_count(), 'plans.views.staff' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"DJANGO_ENV_FILE": "", "DJANGO_DEBUG": "1", **clean},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    frozen, views_loaded = done.stdout.split()
    assert int(frozen) > 50_000 and views_loaded == "True"


def test_passwords_are_hashed_with_django_s_default_outside_the_tests():
    """The suite hashes with MD5 for speed (tests/conftest.py); a server keeps PBKDF2."""
    code = (
        "import django; django.setup(); from django.contrib.auth.hashers import get_hasher; "
        "print(get_hasher().algorithm, get_hasher().iterations)"
    )
    result = load_settings(
        code, DJANGO_SECRET_KEY=STRONG, DJANGO_SETTINGS_MODULE="ita_tracker.settings"
    )
    assert result.returncode == 0, result.stderr
    algorithm, iterations = result.stdout.split()
    assert algorithm == "pbkdf2_sha256"
    assert int(iterations) >= 1_000_000
