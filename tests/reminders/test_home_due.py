"""The home page's "what is due for me": the lines of the user's daily digest."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse

from reminders.digests import DUE_LIST_SHOWN, build_digests
from reminders.models import Digest
from tests.factories import make_organization, make_user
from tests.reminders.digest_world import TODAY, make_action, make_central, make_district

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(district, framework):
    return make_district(district, framework, "pk")


@pytest.fixture(autouse=True)
def today():
    with mock.patch("plans.views.staff._today", return_value=TODAY):
        yield


def page(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_staff_see_the_lines_of_their_daily_digest_at_the_top(client, home):
    overdue = make_action(home, "เผยแพร่โครงสร้าง", TODAY - timedelta(days=12), home.admin_division)
    make_action(home, "ของฝ่ายการคลัง", TODAY - timedelta(days=12), home.finance)

    html = page(client, home.staff)

    assert "งานที่ต้องติดตามของท่าน" in html
    assert html.index("งานที่ต้องติดตามของท่าน") < html.index('id="plans-heading"')
    assert f'href="/actions/{overdue.pk}/"' in html
    assert "เกินกำหนด 12 วัน" in html
    assert "8 มิ.ย. 2565" in html
    assert "ของฝ่ายการคลัง" not in html
    assert f'href="{reverse("my_actions")}"' in html and "ดูทั้งหมด" in html
    digest = build_digests([(home.staff, Digest.Kind.DAILY)], TODAY, {})[0]
    for section in digest.sections:
        for line in section.lines:
            assert line.text in html


def test_plan_owners_see_the_whole_district_by_division(client, home):
    make_action(home, "ของฝ่ายการคลัง", TODAY + timedelta(days=2), home.finance)
    html = page(client, home.owner)
    assert "ของฝ่ายการคลัง" in html
    assert "ฝ่ายการคลัง" in html


def test_a_long_list_is_cut_short_with_a_link_to_all(client, home):
    for n in range(DUE_LIST_SHOWN + 3):
        make_action(home, f"งานที่ {n:02d}", TODAY - timedelta(days=1), home.admin_division)
    html = page(client, home.staff)
    assert f"งานเกินกำหนด ({DUE_LIST_SHOWN + 3})" in html
    assert html.count("เกินกำหนด 1 วัน") == DUE_LIST_SHOWN


def test_nothing_due_says_so(client, home):
    assert "ไม่มีงานที่เกินกำหนดหรือใกล้ครบกำหนด" in page(client, home.finance_staff)


def test_another_districts_actions_never_show(client, home, other_district, framework):
    away = make_district(other_district, framework, "kt")
    make_action(away, "ของคลองเตย", TODAY - timedelta(days=1), away.admin_division)
    html = page(client, home.owner)
    assert "ของคลองเตย" not in html


@pytest.mark.parametrize("who", ["manager", "central", "no_membership"])
def test_roles_with_a_summary_digest_see_no_due_list(client, home, who):
    make_action(home, "เกิน", TODAY - timedelta(days=1), home.admin_division)
    if who == "manager":
        user = home.manager
    elif who == "central":
        user = make_central(make_organization(code="10", name_th="ส่วนกลาง", kind="central"))
    else:
        user = make_user(who)
    assert "งานที่ต้องติดตามของท่าน" not in page(client, user)


def test_the_list_follows_the_pages_language(client, home):
    make_action(home, "เกิน", TODAY - timedelta(days=2), home.admin_division)
    client.force_login(home.staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("home")).content.decode()
    assert "What is due for me" in html
    assert "2 days overdue" in html
