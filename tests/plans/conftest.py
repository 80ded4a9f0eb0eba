import pytest
from django.db import transaction

from plans.demo import load_demo


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo data once for a test module, and roll it back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(with_users=True)
        yield
        transaction.set_rollback(True)
