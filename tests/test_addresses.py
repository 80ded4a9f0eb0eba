"""The pages' addresses, reversed once per process: the same as Django's reverse under
whatever the address depends on."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix
from django.utils import translation

from ita_tracker import addresses
from ita_tracker.addresses import address


@pytest.fixture(autouse=True)
def _prefix():
    yield
    set_script_prefix("/")


def test_an_address_is_the_reversed_one_and_reversed_once():
    addresses._reversed.cache_clear()
    for name, args in (("home", ()), ("plan_progress", ("1010", 2566)), ("oit:bma", (2565,))):
        assert address(name, *args) == reverse(name, args=args)
    assert address("plan_progress", "1010", 2566) == "/plans/1010/2566/progress/"
    info = addresses._reversed.cache_info()
    assert (info.hits, info.misses) == (1, 3)


def test_an_address_follows_the_prefix_the_app_is_mounted_under():
    assert address("home") == "/"
    set_script_prefix("/ita/")
    assert address("home") == reverse("home") == "/ita/"
    assert address("plan_progress", "1010", 2566) == "/ita/plans/1010/2566/progress/"
    set_script_prefix("/")
    assert address("home") == "/"


def test_an_address_follows_the_url_configuration(settings):
    with translation.override("en"):
        assert address("home") == "/"
    settings.ROOT_URLCONF = "tests.urls_elsewhere"
    assert address("home") == "/elsewhere/"
    with pytest.raises(NoReverseMatch):
        address("plan_progress", "1010", 2566)
