"""Sign-in and the landing page: each user sees only what they may see."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests.factories import make_assessment, make_division, make_framework, make_plan, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_districts(district, other_district):
    framework = make_framework()
    for organization in (district, other_district):
        make_plan(make_assessment(organization, framework))
    return district, other_district


def test_anonymous_user_is_sent_to_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sign_in_page_is_thai(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="th">' in html
    assert "เข้าสู่ระบบ" in html
    assert "ชื่อผู้ใช้" in html
    assert "/static/css/app.css" in html


def test_wrong_password_gets_a_thai_message(client, district):
    make_user("somchai", organization=district, role="plan_owner")
    response = client.post(reverse("login"), {"username": "somchai", "password": "wrong"})
    assert response.status_code == 200
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in response.content.decode()


def test_sign_in_then_out(client, district):
    make_user("somchai", organization=district, role="plan_owner")
    response = client.post(reverse("login"), {"username": "somchai", "password": "pw"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def _listed(client, user):
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("who", "sees_own", "sees_other"),
    [
        ("staff", True, False),
        ("district_manager", True, False),
        ("central_manager", True, True),
        ("superuser", True, True),
        ("no_membership", False, False),
    ],
)
def test_landing_lists_only_visible_organizations(client, two_districts, who, sees_own, sees_other):
    own, _ = two_districts
    if who == "superuser":
        user = make_user("root", is_superuser=True, is_staff=True)
    elif who == "no_membership":
        user = make_user("nobody")
    elif who == "central_manager":
        user = make_user("central", organization=own, role="central_manager")
        user.user_permissions.add(Permission.objects.get(codename="view_all_organizations"))
    else:
        division = make_division(own) if who == "staff" else None
        user = make_user(who, organization=own, role=who, division=division)
    html = _listed(client, user)
    assert ("เขตพระโขนง" in html) is sees_own
    assert ("เขตคลองเตย" in html) is sees_other
    if not sees_own:
        assert "ยังไม่ได้ผูกกับหน่วยงาน" in html


def test_landing_lists_plans_and_assessments(client, two_districts):
    own, _ = two_districts
    html = _listed(client, make_user("m", organization=own, role="district_manager"))
    assert "แผนปรับปรุง" in html
    assert "2565" in html  # the plan's fiscal year
    assert "ITA ของสำนักงานเขต กรุงเทพมหานคร" in html


def test_thai_even_when_the_browser_asks_for_english(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="th">' in response.content.decode()
    assert response["Content-Language"] == "th"


def test_landing_page_is_english_when_chosen(client, district):
    user = make_user("m", organization=district, role="district_manager")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    assert "Improvement plans" in html
    assert "Sign out" in html
