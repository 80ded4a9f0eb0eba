"""`manage.py load_demo` loads the seed, is idempotent and creates demo users only when allowed."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from assessments.models import Organization
from plans.demo import DemoCounts, demo_accounts
from plans.models import Membership

pytestmark = pytest.mark.django_db


def load(*args) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_loads_the_districts_and_the_seed_without_users_when_debug_is_off(settings):
    settings.DEBUG = False
    output = load()
    assert Organization.objects.filter(kind=Organization.Kind.DISTRICT).count() == 50
    assert Organization.objects.get(code="1009").name_th == "เขตพระโขนง"
    assert Organization.objects.get(code="1009").name_en == "Phra Khanong"
    assert Organization.objects.get(code="10").kind == Organization.Kind.CENTRAL
    assert not get_user_model().objects.exists()
    assert "ไม่ได้สร้างบัญชีทดลอง" in output
    assert "ประเด็น 83 ประเด็น, การปรับปรุง 103 รายการ" in output


def test_one_demo_user_per_role_with_the_flag_and_twice_is_the_same(settings):
    settings.DEBUG = False
    load("--with-demo-users")
    counts = DemoCounts.now()
    load("--with-demo-users")
    assert DemoCounts.now() == counts
    password, accounts = demo_accounts()
    users = {user.username: user for user in get_user_model().objects.all()}
    assert set(users) == {account.username for account in accounts}
    assert all(user.check_password(password) for user in users.values())
    roles = {
        m.user.username: (m.role, m.organization.code, m.division and m.division.name)
        for m in Membership.objects.select_related("user", "organization", "division")
    }
    assert roles == {
        "admin": (Membership.Role.ADMIN, "10", None),
        "owner": (Membership.Role.PLAN_OWNER, "1009", "ฝ่ายปกครอง"),
        "staff": (Membership.Role.STAFF, "1009", "ฝ่ายการคลัง"),
        "manager": (Membership.Role.DISTRICT_MANAGER, "1009", None),
        "central": (Membership.Role.CENTRAL_MANAGER, "10", None),
    }
    assert users["admin"].is_superuser
    # The menu shows a person's name and role: every demo account has a name to show.
    assert users["owner"].get_full_name() == "วิภา วางแผนดี"
    assert all(user.get_full_name() for user in users.values())
    assert not any(users[name].is_staff for name in ("owner", "staff", "manager", "central"))
    # Who sees what: the central manager every organization, the others their own.
    assert Organization.objects.visible_to(users["central"]).count() == 51
    assert list(Organization.objects.visible_to(users["staff"]).values_list("code", flat=True)) == [
        "1009"
    ]


def test_demo_users_when_debug_is_on(settings):
    settings.DEBUG = True
    load()
    assert get_user_model().objects.filter(username="staff").exists()
