"""Settings come from the environment and refuse values that make no sense."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from ita_tracker.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env) -> subprocess.CompletedProcess:
    """Import the settings module in a fresh interpreter with exactly this environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    code = (
        "import json; from ita_tracker import settings as s; "
        "print(json.dumps({'debug': s.DEBUG, 'engine': s.DATABASES['default']['ENGINE'], "
        "'hosts': s.ALLOWED_HOSTS, 'lang': s.LANGUAGE_CODE, 'tz': s.TIME_ZONE, "
        "'health': s.DATABASES['default'].get('CONN_HEALTH_CHECKS'), "
        "'mode': s.DATABASES['default'].get('OPTIONS', {}).get('transaction_mode')}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"DJANGO_ENV_FILE": "", **clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


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
    result = load_settings(DJANGO_SECRET_KEY="x", DATABASE_URL="postgres://u:p@localhost:5432/ita")
    assert result.returncode == 0, result.stderr
    assert '"engine": "django.db.backends.postgresql"' in result.stdout
    assert '"health": true' in result.stdout


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
