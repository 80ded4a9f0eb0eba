"""Every model has a working admin: list, search, add form and history pages."""

import pytest
from django.contrib import admin
from django.urls import reverse

from assessments.models import Framework, ImportRecord, ItemScore, Organization
from plans.models import Action, Finding, Plan, ReportingRound
from tests.factories import make_framework, make_plan, make_user

pytestmark = pytest.mark.django_db

MODELS = [
    model
    for model in admin.site._registry
    if model._meta.app_label in ("assessments", "plans") and model is not ImportRecord
]


@pytest.fixture
def admin_client_with_data(client, assessment):
    plan = make_plan(assessment)
    finding = Finding.objects.create(plan=plan, item=assessment.framework.items.get(code="O1"))
    Action.objects.create(finding=finding, text="เพิ่มโครงสร้างหน่วยงาน", all_divisions=True)
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    return client


def test_every_app_model_is_registered():
    names = {model.__name__ for model in MODELS}
    assert names == {
        "Organization", "Framework", "LevelBand", "Tool", "Indicator", "Item", "ItemLink",
        "Assessment", "ItemScore", "ReportedScore", "Division", "Membership", "Plan", "Finding",
        "Action", "ReportingRound", "ProgressUpdate",
    }  # fmt: skip


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_search_and_add_pages_load(admin_client_with_data, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client_with_data.get(changelist).status_code == 200
    assert admin_client_with_data.get(changelist, {"q": "พระโขนง"}).status_code == 200
    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    assert admin_client_with_data.get(add).status_code == 200


@pytest.mark.parametrize(
    "model", [Framework, Organization, Plan, Finding, Action, ItemScore], ids=lambda m: m.__name__
)
def test_change_and_history_pages_load(admin_client_with_data, model):
    obj = model.objects.first()
    opts = model._meta
    change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    assert admin_client_with_data.get(change).status_code == 200
    history = reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])
    assert admin_client_with_data.get(history).status_code == 200


def test_admin_date_input_is_buddhist_era(admin_client_with_data):
    plan = Plan.objects.get()
    url = reverse("admin:plans_reportinground_add")
    form_html = admin_client_with_data.get(url).content.decode()
    assert 'placeholder="วว/ดด/ปปปป (พ.ศ.)"' in form_html
    assert "vDateField" not in form_html  # no calendar that would fill in a Gregorian year
    response = admin_client_with_data.post(
        url,
        {"plan": plan.pk, "name": "ไตรมาสที่ 1", "starts_on": "1/10/2564", "ends_on": "31/12/2564"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rnd = ReportingRound.objects.get()
    assert (rnd.starts_on.isoformat(), rnd.ends_on.isoformat()) == ("2021-10-01", "2021-12-31")


def test_admin_refuses_a_gregorian_year(admin_client_with_data):
    plan = Plan.objects.get()
    response = admin_client_with_data.post(
        reverse("admin:plans_reportinground_add"),
        {"plan": plan.pk, "name": "ไตรมาสที่ 1", "starts_on": "1/10/2021", "ends_on": "31/12/2564"},
    )
    assert response.status_code == 200
    assert "พ.ศ." in response.content.decode()
    assert not ReportingRound.objects.exists()


def test_admin_requires_staff(client, district):
    client.force_login(make_user("plain", organization=district, role="district_manager"))
    response = client.get(reverse("admin:plans_plan_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_framework_page_offers_only_its_own_indicators(admin_client_with_data):
    framework = Framework.objects.get()
    make_framework(fiscal_year=2565)
    url = reverse("admin:assessments_framework_change", args=[framework.pk])
    item_inline = admin_client_with_data.get(url).context["inline_admin_formsets"][3]
    choices = item_inline.formset.forms[0].fields["indicator"].queryset
    assert set(choices.values_list("framework__fiscal_year", flat=True)) == {2564}


def test_the_import_log_is_read_only(admin_client_with_data):
    changelist = reverse("admin:assessments_importrecord_changelist")
    assert admin_client_with_data.get(changelist).status_code == 200
    assert (
        admin_client_with_data.get(reverse("admin:assessments_importrecord_add")).status_code == 403
    )
