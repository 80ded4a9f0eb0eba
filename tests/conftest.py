import pytest
from django.core.cache import cache

from tests.factories import SEED_SCORES, make_assessment, make_framework, make_organization

# What every test reads as the password hasher: MD5, as Django advises for test runs.
# PBKDF2's million rounds cost half a second per user made or signed in on a small machine,
# which summed to most of the suite's time; the settings themselves keep Django's default
# (tests/test_settings.py checks it).
QUICK_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config):
    from django.conf import settings

    settings.PASSWORD_HASHERS = QUICK_HASHERS


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached page and no kept page row: a rolled-back test's ids
    can come back."""
    from plans import page_rows

    cache.clear()
    page_rows.forget()


@pytest.fixture
def framework(db):
    return make_framework()


@pytest.fixture
def district(db):
    return make_organization()


@pytest.fixture
def other_district(db):
    return make_organization(code="1033", name_th="เขตคลองเตย")


@pytest.fixture
def assessment(district, framework):
    return make_assessment(district, framework, SEED_SCORES)


def pytest_report_header(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    return f"database: {database['ENGINE'].rsplit('.', 1)[-1]} ({database['NAME']})"
