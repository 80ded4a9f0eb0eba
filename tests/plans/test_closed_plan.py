"""A closed plan is read-only in the app: no edit, no new action, no report, a message that
says why; the admin keeps its rows read-only for all but superusers, and it can be reopened."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import reverse

from plans.models import Action, Finding, Plan, ProgressUpdate, ReportingRound
from tests.factories import make_user
from tests.plans.small_plan import action_form_data, make_small_plan

pytestmark = pytest.mark.django_db
CLOSED = "แผนนี้ปิดแล้ว จึงแก้ไขหรือรายงานความก้าวหน้าไม่ได้"


@pytest.fixture
def world():
    return make_small_plan(status=Plan.Status.CLOSED)


def posts(world):
    action, finding = world.action, world.finding
    return {
        "finding_edit": (
            world.owner,
            reverse("finding_edit", args=[finding.pk]),
            {"version": finding.version, "analysis": "ใหม่", "issues": ""},
        ),
        "action_edit": (
            world.owner,
            reverse("action_edit", args=[action.pk]),
            action_form_data(action, text="ใหม่"),
        ),
        "action_create": (
            world.owner,
            reverse("action_create", args=[finding.pk]),
            {"text": "ใหม่", "status": "not_started", "all_divisions": "on"},
        ),
        "progress_create": (
            world.staff,
            reverse("progress_create", args=[action.pk]),
            {"version": action.version, "progress": 50, "status": "in_progress", "note": "ใหม่"},
        ),
    }


@pytest.mark.parametrize(
    "page", ["finding_edit", "action_edit", "action_create", "progress_create"]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_write_page_refuses_with_the_reason_and_changes_nothing(client, world, page, method):
    user, url, data = posts(world)[page]
    client.force_login(user)
    response = getattr(client, method)(url, data) if method == "post" else client.get(url)
    assert response.status_code == 302
    assert next(str(m) for m in get_messages(response.wsgi_request)).startswith(CLOSED)
    world.finding.refresh_from_db()
    world.action.refresh_from_db()
    assert world.finding.analysis == "" and world.action.text != "ใหม่"
    assert Action.objects.count() == 1 and not ProgressUpdate.objects.exists()


def test_a_superuser_is_refused_in_the_app_too(client, world):
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    response = client.get(reverse("action_edit", args=[world.action.pk]))
    assert response.status_code == 302


def test_the_plan_and_action_pages_offer_no_edit_or_report(client, world):
    client.force_login(world.owner)
    page = client.get(world.plan.get_absolute_url())
    assert not page.context["can_edit"] and not page.context["reportable"]
    html = page.content.decode()
    assert reverse("finding_edit", args=[world.finding.pk]) not in html
    assert "แผนนี้ปิดแล้ว" in html
    client.force_login(world.staff)
    detail = client.get(reverse("action_detail", args=[world.action.pk]))
    assert not detail.context["can_report"]
    assert reverse("progress_create", args=[world.action.pk]) not in detail.content.decode()


def test_reopening_the_plan_makes_it_writable_again(client, world):
    Plan.objects.filter(pk=world.plan.pk).update(status=Plan.Status.APPROVED)
    client.force_login(world.owner)
    assert client.get(reverse("action_edit", args=[world.action.pk])).status_code == 200


def test_the_plan_import_offers_no_closed_plan(world):
    assert not Plan.objects.editable_by(world.owner).exists()


@pytest.fixture
def admin_staff(world):
    """A district admin working in the admin with every change permission, not a superuser."""
    user = make_user("clerk", organization=world.organization, role="admin", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="plans"))
    return user


def request_as(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.parametrize(
    ("model", "row"),
    [
        (Finding, lambda w: w.finding),
        (Action, lambda w: w.action),
        (ReportingRound, lambda w: w.rounds[0]),
    ],
)
def test_the_admin_keeps_a_closed_plans_rows_read_only_for_everyone(world, admin_staff, model, row):
    model_admin = admin.site._registry[model]
    obj = row(world)
    request = request_as(admin_staff)
    assert model_admin.has_view_permission(request, obj)
    assert not model_admin.has_change_permission(request, obj)
    assert not model_admin.has_delete_permission(request, obj)
    # As in the app: a superuser reopens the plan first.
    root = request_as(make_user("root", is_superuser=True, is_staff=True))
    assert model_admin.has_view_permission(root, obj)
    assert not model_admin.has_change_permission(root, obj)
    assert admin.site._registry[Plan].has_change_permission(root, world.plan)


def test_the_plan_admin_still_lets_the_plan_be_reopened_but_not_its_inlines(world, admin_staff):
    plan_admin = admin.site._registry[Plan]
    request = request_as(admin_staff)
    assert plan_admin.has_change_permission(request, world.plan)
    inlines = plan_admin.get_inline_instances(request, world.plan)
    assert inlines
    for inline in inlines:
        assert not inline.has_change_permission(request, world.plan)
        assert not inline.has_add_permission(request, world.plan)


def test_the_admin_offers_no_closed_plans_action_for_a_new_report(world, admin_staff):
    model_admin = admin.site._registry[ProgressUpdate]
    form = model_admin.get_form(request_as(admin_staff))
    assert not form.base_fields["action"].queryset.filter(pk=world.action.pk).exists()
