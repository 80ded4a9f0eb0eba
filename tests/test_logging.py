"""A log record is printed once, in `make run` (DEBUG on) as in production."""

import io
import logging
from contextlib import redirect_stderr

import pytest
from django.conf import settings as django_settings
from django.utils.log import configure_logging


def printed(name: str, message: str) -> str:
    """What the project's logging configuration prints on stderr for one record."""
    stderr = io.StringIO()
    try:
        # The handlers take sys.stderr as it is when they are built.
        with redirect_stderr(stderr):
            configure_logging(django_settings.LOGGING_CONFIG, django_settings.LOGGING)
            logging.getLogger(name).warning(message)
    finally:
        configure_logging(django_settings.LOGGING_CONFIG, django_settings.LOGGING)
    return stderr.getvalue()


@pytest.mark.parametrize("debug", [True, False])
@pytest.mark.parametrize("name", ["django.request", "django.security.csrf", "plans.views"])
def test_a_record_is_printed_once(settings, debug, name):
    settings.DEBUG = debug
    assert printed(name, "Not Found: /nowhere/").count("Not Found: /nowhere/") == 1
