"""`manage.py load_demo` is idempotent and creates demo users only when allowed."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from assessments.models import Organization

pytestmark = pytest.mark.django_db


def load(*args) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_loads_the_50_bangkok_districts_without_users_when_debug_is_off(settings):
    settings.DEBUG = False
    output = load()
    assert Organization.objects.count() == 50
    assert Organization.objects.get(code="1009").name_th == "เขตพระโขนง"
    assert Organization.objects.get(code="1009").name_en == "Phra Khanong"
    assert not get_user_model().objects.exists()
    assert "ไม่ได้สร้างบัญชีทดลอง" in output


def test_demo_users_with_the_flag_and_twice_is_the_same(settings):
    settings.DEBUG = False
    load("--with-demo-users")
    counts = (Organization.objects.count(), get_user_model().objects.count())
    load("--with-demo-users")
    assert (Organization.objects.count(), get_user_model().objects.count()) == counts
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password("ita-demo")


def test_demo_users_when_debug_is_on(settings):
    settings.DEBUG = True
    load()
    assert get_user_model().objects.filter(username="admin").exists()
