import pytest

from tests.oit.web import LocalSite


@pytest.fixture(scope="session")
def web():
    """The local web site of every case the link checker judges (tests/oit/web.py)."""
    with LocalSite() as site:
        yield site
