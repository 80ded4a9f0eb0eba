"""A plan moves ร่าง → อนุมัติแล้ว (district manager, plan owner, admins) → ปิดแผน (the plan
owner or an admin, after its fiscal year), each step recorded with who and when."""

from datetime import UTC, date, datetime

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import reverse

from plans.models import Plan
from tests.factories import make_organization, make_user
from tests.plans.small_plan import make_small_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = make_small_plan()
    world.manager = make_user("manager", organization=world.organization, role="district_manager")
    world.central = make_user(
        "central",
        organization=make_organization(code="10", name_th="ส่วนกลาง"),
        role="central_manager",
    )
    world.other_owner = make_user(
        "other",
        organization=make_organization(code="1033", name_th="เขตคลองเตย"),
        role="plan_owner",
    )
    world.admin = make_user("admin", is_superuser=True, is_staff=True)
    return world


def url(world, step):
    return reverse(f"plan_{step}", args=[world.organization.code, world.plan.fiscal_year])


# The rules


def test_who_may_approve(world):
    plan = world.plan
    assert plan.may_approve(world.manager)
    assert plan.may_approve(world.owner)
    assert plan.may_approve(world.admin)
    assert not plan.may_approve(world.staff)
    assert not plan.may_approve(world.central)
    assert not plan.may_approve(world.other_owner)


def test_who_may_close(world):
    plan = world.plan
    assert plan.may_close(world.owner) and plan.may_close(world.admin)
    assert not plan.may_close(world.manager)
    assert not plan.may_close(world.staff)
    assert not plan.may_close(world.other_owner)


def test_only_a_draft_is_approved_and_only_an_approved_plan_after_its_year_is_closed(world):
    plan = world.plan
    assert plan.approve_refusal() is None
    assert "แผนที่อนุมัติแล้ว" in plan.close_refusal(date(2023, 1, 1))
    plan.status = Plan.Status.APPROVED
    assert "เฉพาะแผนที่เป็นร่าง" in plan.approve_refusal()
    # FY 2565 ends on 30 September 2022 (30 ก.ย. 2565).
    assert plan.close_refusal(date(2022, 9, 30)) == (
        "ปิดแผนได้หลังสิ้นปีงบประมาณ 2565 (หลังวันที่ 30 ก.ย. 2565)"
    )
    assert plan.close_refusal(date(2022, 10, 1)) is None


# The page


def test_the_manager_approves_and_the_page_says_who_and_when(client, world):
    client.force_login(world.owner)
    assert "ยืนยันอนุมัติแผน" in client.get(world.plan.get_absolute_url()).content.decode()
    client.force_login(world.manager)
    response = client.post(url(world, "approve"))
    assert response.status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.status == Plan.Status.APPROVED
    assert world.plan.approved_by == world.manager and world.plan.approved_at is not None
    page = client.get(world.plan.get_absolute_url()).content.decode()
    assert "อนุมัติโดย manager เมื่อ" in page
    assert "ยืนยันอนุมัติแผน" not in page


@pytest.mark.parametrize("who, status", [("staff", 403), ("central", 404), ("other_owner", 404)])
def test_others_may_not_approve(client, world, who, status):
    client.force_login(getattr(world, who))
    assert client.post(url(world, "approve")).status_code == status
    world.plan.refresh_from_db()
    assert world.plan.status == Plan.Status.DRAFT and world.plan.approved_by is None


def test_approve_is_post_only(client, world):
    client.force_login(world.owner)
    assert client.get(url(world, "approve")).status_code == 405


def test_closing_before_the_year_ends_is_refused_with_the_reason(client, world, monkeypatch):
    world.plan.status = Plan.Status.APPROVED
    world.plan.save()
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2022, 9, 1))
    client.force_login(world.owner)
    response = client.post(url(world, "close"))
    message = str(next(iter(get_messages(response.wsgi_request))))
    assert message.startswith("ปิดแผนได้หลังสิ้นปีงบประมาณ 2565")
    world.plan.refresh_from_db()
    assert world.plan.status == Plan.Status.APPROVED


def test_the_owner_closes_after_the_year_and_the_plan_is_read_only(client, world):
    world.plan.status = Plan.Status.APPROVED
    world.plan.save()
    client.force_login(world.manager)
    assert client.post(url(world, "close")).status_code == 403
    client.force_login(world.owner)
    client.post(url(world, "close"))
    world.plan.refresh_from_db()
    assert world.plan.status == Plan.Status.CLOSED and world.plan.is_read_only
    assert world.plan.closed_by == world.owner and world.plan.closed_at is not None
    assert "ปิดแผนโดย owner เมื่อ" in client.get(world.plan.get_absolute_url()).content.decode()


# The admin


def test_a_status_changed_in_the_admin_is_recorded(world):
    model_admin = admin.site._registry[Plan]
    request = RequestFactory().post("/")
    request.user = world.admin
    world.plan.status = Plan.Status.APPROVED
    form = type("Form", (), {"changed_data": ["status"]})()
    model_admin.save_model(request, world.plan, form, change=True)
    world.plan.refresh_from_db()
    assert world.plan.approved_by == world.admin and world.plan.approved_at is not None
    world.plan.status = Plan.Status.DRAFT
    model_admin.save_model(request, world.plan, form, change=True)
    world.plan.refresh_from_db()
    assert world.plan.approved_by is None and world.plan.approved_at is None


def test_record_status_keeps_the_first_approval(world):
    first = datetime(2022, 10, 5, 3, 0, tzinfo=UTC)
    world.plan.status = Plan.Status.APPROVED
    world.plan.record_status(world.manager, first)
    world.plan.status = Plan.Status.CLOSED
    world.plan.record_status(world.owner, datetime(2023, 10, 2, tzinfo=UTC))
    assert (world.plan.approved_by, world.plan.approved_at) == (world.manager, first)
    assert world.plan.closed_by == world.owner
