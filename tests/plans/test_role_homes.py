"""Each role's menu and home page, and "งานของฝ่าย" for someone without a division."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Organization
from plans.models import Action
from tests.factories import (
    make_assessment,
    make_framework,
    make_organization,
    make_plan,
    make_user,
)
from tests.plans.role_pages import central_user, menu_keys, page, small_plan_with_scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def small():
    return small_plan_with_scores()


# --- The menu on every page -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("staff", ["my_actions", "plan"]),
        ("plan_owner", ["plan", "progress", "scores", "people", "oit"]),
        ("district_manager", ["progress", "scores", "plan"]),
    ],
)
def test_the_menu_of_each_district_role(client, small, role, expected):
    user = {"staff": small.staff, "plan_owner": small.owner}.get(role) or make_user(
        "boss", organization=small.organization, role=role, first_name="สมศรี", last_name="มีสุข"
    )
    html = page(client, user).content.decode()
    assert menu_keys(html) == expected
    if role == "district_manager":
        assert 'สมศรี มีสุข <span class="menu-role">(ผู้บริหารหน่วยงาน)</span>' in html


def test_the_menu_of_central_and_superuser(client, small):
    html = page(client, central_user(small.organization)).content.decode()
    assert menu_keys(html) == ["overview", "districts", "bma_oit"]
    root = make_user("root", is_superuser=True, is_staff=True)
    assert menu_keys(page(client, root).content.decode()) == [
        "overview",
        "districts",
        "bma_oit",
        "people",
        "admin",
    ]


# --- Home of each role ----------------------------------------------------------------------


def test_staff_home_shows_their_due_work_and_the_open_round(client, small):
    html = page(client, small.staff).content.decode()
    assert "งานที่ต้องติดตามของท่าน" in html
    assert "รอบรายงานที่เปิดอยู่: รอบวันนี้" in html
    # The staff member's home is about their district alone.
    assert "หน่วยงานที่มีผลคะแนน" not in html


def test_plan_owner_home_shows_the_state_and_overdue_by_division(client, small):
    html = page(client, small.owner).content.decode()
    assert "อนุมัติแล้ว" in html or "ร่าง" in html
    progress = reverse("plan_progress", args=["1009", 2565])
    assert f'href="{progress}?division={small.finance.pk}">ฝ่ายการคลัง</a>: 1 งาน' in html


def test_plan_owner_home_offers_the_next_plan_when_due(client, small):
    html = page(client, small.owner).content.decode()
    assert reverse("start_plan", args=["1009"]) not in html
    make_assessment(small.organization, make_framework(2565))
    html = page(client, small.owner).content.decode()
    assert reverse("start_plan", args=["1009"]) in html


def test_manager_home_shows_the_headline_figures(client, small):
    manager = make_user("boss", organization=small.organization, role="district_manager")
    response = page(client, manager)
    figures = response.context["headline"]
    assert figures.total is not None and figures.level
    assert figures.percent_done == 0 and figures.overdue == 1
    html = response.content.decode()
    assert f'href="{reverse("scores", args=["1009", 2564])}"' in html


def test_central_home_sums_up_the_overview(client, small, other_district):
    other = make_assessment(other_district, small.plan.assessment.framework, {"I1": "99"})
    make_plan(other)
    response = page(client, central_user(small.organization))
    bma = response.context["bma"]
    assert (bma.year, bma.assessed, bma.with_plan, bma.overdue) == (2564, 2, 2, 1)
    assert bma.districts == Organization.objects.filter(kind="district").count()
    html = response.content.decode()
    assert reverse("overview", args=[2564]) in html


def test_staff_never_see_another_district_on_their_home(client, small, other_district):
    make_plan(make_assessment(other_district, small.plan.assessment.framework), 2565)
    html = page(client, small.staff).content.decode()
    assert "เขตคลองเตย" not in html
    assert "bma" not in page(client, small.staff).context


@pytest.mark.parametrize("role", ["staff", "plan_owner", "district_manager", "central"])
def test_home_runs_as_many_queries_for_many_districts_as_for_one(client, small, role):
    if role == "central":
        user = central_user(small.organization)
    else:
        user = make_user("u", organization=small.organization, role=role, division=small.finance)
    client.force_login(user)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("home")).status_code == 200
        return len(queries.captured_queries)

    one = count()
    framework = small.plan.assessment.framework
    for number in range(5):
        org = make_organization(code=f"90{number:02d}", name_th=f"เขตทดลอง {number}")
        make_plan(make_assessment(org, framework, {"I1": "80"}))
    assert count() == one


# --- งานของฝ่าย -----------------------------------------------------------------------------


def test_my_actions_without_a_membership_says_why(client, db):
    html = page(client, make_user("nobody"), reverse("my_actions")).content.decode()
    assert "บัญชีของท่านยังไม่ได้สังกัดฝ่ายใด" in html
    assert "ไม่มีงานที่ตรงกับตัวกรอง" not in html


def test_my_actions_of_an_owner_without_a_division_lists_the_district(client, small):
    response = page(client, small.owner, reverse("my_actions"))
    html = response.content.decode()
    assert "บัญชีของท่านไม่ได้สังกัดฝ่าย จึงแสดงงานทั้งหมดของหน่วยงาน" in html
    assert response.context["page"].paginator.count == Action.objects.count()


def test_my_actions_of_staff_has_no_such_sentence(client, small):
    html = page(client, small.staff, reverse("my_actions")).content.decode()
    assert "ไม่ได้สังกัดฝ่าย" not in html
