"""Who may do what in the admin, page by page: another district's object is not found (404),
an object the user may see but not change is read-only (a POST is refused with 403), and a
refused request changes nothing.

Every user below except the superuser holds every view, change and delete permission of the
district models: what protects the data is the scoping, not the model permissions.
"""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from assessments.models import Assessment, ItemScore, Organization, ReportedScore
from plans.models import (
    Action,
    Division,
    Finding,
    Membership,
    Plan,
    ProgressUpdate,
    ReportingRound,
)
from tests.factories import (
    SEED_SCORES,
    make_assessment,
    make_division,
    make_framework,
    make_organization,
    make_plan,
    make_user,
)

MODELS = [
    Plan,
    Finding,
    Action,
    ReportingRound,
    ProgressUpdate,
    Division,
    Membership,
    Organization,
    Assessment,
    ItemScore,
    ReportedScore,
]
# What a plan owner changes in the admin: the plan and its parts, the divisions the plan
# names and the members of their district. Scores and the organization are the admin's.
PLAN_OWNER_CHANGES = {Plan, Finding, Action, ReportingRound, ProgressUpdate, Division, Membership}
# Deleting these is blocked by what refers to them (an assessment by its plan, an
# organization by its members): the confirmation page explains it and nothing is deleted.
PROTECTED = {Organization, Assessment}
# One field each, changed by the POSTs (a new value the form accepts).
CHANGE = {
    Plan: ("title", "แผนที่ถูกแก้"),
    Finding: ("analysis", "วิเคราะห์ใหม่"),
    Action: ("text", "ข้อความใหม่"),
    ReportingRound: ("name", "รอบที่ถูกแก้"),
    ProgressUpdate: ("note", "บันทึกใหม่"),
    Division: ("name", "ฝ่ายที่ถูกแก้"),
    Membership: ("role", Membership.Role.PLAN_OWNER),
    Organization: ("name_en", "Changed"),
    Assessment: ("note", "หมายเหตุใหม่"),
    ItemScore: ("score", "50.00"),
    ReportedScore: ("source", "แหล่งใหม่"),
}
ROLES = ["superuser", "plan_owner", "staff", "district_manager", "central_manager"]
VIEWS = [
    "list",
    "change_get",
    "change_post",
    "history",
    "history_form_get",
    "history_form_post",
    "delete",
]
DISTRICTS = ["own", "other"]
POSTS = {"change_post", "history_form_post", "delete"}


def district_rows(organization, framework, suffix):
    """One of each district object, each with a history; returns their pks by model."""
    assessment = make_assessment(organization, framework, SEED_SCORES)
    reported = ReportedScore.objects.create(
        assessment=assessment, scope="total", value=Decimal("80.00"), basis="score", source="ป.ป.ช."
    )
    plan = make_plan(assessment)
    plan.title = f"แผน {suffix}"
    plan.save()
    finding = Finding.objects.create(plan=plan, item=framework.items.get(code="O1"), analysis="ก")
    division = make_division(organization, name="ฝ่ายปกครอง")
    spare_division = make_division(organization, name="ฝ่ายโยธา", order=2)
    action = Action.objects.create(finding=finding, text="เผยแพร่ข้อมูล", lead_division=division)
    action.divisions.add(division)
    # Reports name no round: a round reported in cannot be deleted, nor its plan.
    rnd = ReportingRound.objects.create(
        plan=plan, name="รอบ 6 เดือน", starts_on="2021-10-01", ends_on="2022-03-31"
    )
    ProgressUpdate.objects.create(action=action, progress=10, status="in_progress")
    update = ProgressUpdate.objects.create(action=action, progress=20, status="in_progress")
    clerk = make_user(f"clerk{suffix}", organization=organization, division=division)
    return {
        Plan: plan.pk,
        Finding: finding.pk,
        Action: action.pk,
        ReportingRound: rnd.pk,
        ProgressUpdate: update.pk,
        Division: spare_division.pk,
        Membership: clerk.membership.pk,
        Organization: organization.pk,
        Assessment: assessment.pk,
        ItemScore: assessment.scores.get(item__code="I1").pk,
        ReportedScore: reported.pk,
        "division": division,
    }


def with_every_permission(user):
    user.is_staff = True
    user.save()
    codenames = [
        f"{verb}_{model._meta.model_name}"
        for model in MODELS
        for verb in ("view", "change", "delete", "add")
    ]
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Two districts with one of everything, and one user per role of the first district."""
    with django_db_blocker.unblock(), transaction.atomic():
        framework = make_framework()
        own = make_organization()
        other = make_organization(code="1033", name_th="เขตคลองเตย")
        central = make_organization(code="1000", name_th="สำนักงาน ก.ก.")
        rows = {
            "own": district_rows(own, framework, "1"),
            "other": district_rows(other, framework, "2"),
        }
        division = rows["own"].pop("division")
        rows["other"].pop("division")
        users = {
            "superuser": make_user("root", is_superuser=True, is_staff=True),
            "plan_owner": with_every_permission(
                make_user("owner", organization=own, role="plan_owner")
            ),
            "staff": with_every_permission(
                make_user("staff", organization=own, role="staff", division=division)
            ),
            "district_manager": with_every_permission(
                make_user("manager", organization=own, role="district_manager")
            ),
            "central_manager": with_every_permission(
                make_user("central", organization=central, role="central_manager")
            ),
        }
        users["central_manager"].user_permissions.add(
            Permission.objects.get(codename="view_all_organizations")
        )
        yield {"rows": rows, "users": {k: v.pk for k, v in users.items()}}
        transaction.set_rollback(True)


def url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def snapshot(model, pk):
    """The row as stored, and how many history records it has (if it keeps a history)."""
    rows = list(model.objects.filter(pk=pk).values())
    history = getattr(model, "history", None)
    count = history.filter(**{model._meta.pk.attname: pk}).count() if history else None
    return rows, count


def form_data(response) -> dict:
    """The POST data of an admin change (or history) form, as a browser would send it back."""
    data = {}

    def add(form):
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, (list, tuple)):
                data[key] = [str(v) for v in value]
            elif value is None or isinstance(value, FieldFile):
                data[key] = ""
            else:
                formatted = bound.field.widget.format_value(value)
                data[key] = "" if formatted is None else formatted

    add(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        add(formset.management_form)
        for form in formset.initial_forms:
            add(form)
        data[formset.management_form.add_prefix("TOTAL_FORMS")] = len(formset.initial_forms)
    return data


FORMS: dict = {}


def changed_form(client, root, model, pk, page_url):
    """The form of ``page_url`` as the superuser sees it, with the model's CHANGE field set."""
    if page_url not in FORMS:
        client.force_login(root)
        response = client.get(page_url)
        assert response.status_code == 200
        FORMS[page_url] = form_data(response)
        client.logout()
    field, value = CHANGE[model]
    return {**FORMS[page_url], field: value, "_save": "Save"}


def expected(role, model, view, district) -> tuple[int, bool]:
    """The status and whether the database changes."""
    visible = role in ("superuser", "central_manager") or district == "own"
    if not visible:
        return 404, False
    may_change = role == "superuser" or (role == "plan_owner" and model in PLAN_OWNER_CHANGES)
    if view not in POSTS:
        return 200, False
    if not may_change:
        return 403, False
    if view == "delete" and model in PROTECTED:
        return 200, False
    return 302, True


def has_history_form(model):
    return hasattr(model, "history")


CASES = [
    pytest.param(role, model, view, district, id=f"{role}-{model.__name__}-{view}-{district}")
    for role in ROLES
    for model in MODELS
    for view in VIEWS
    for district in DISTRICTS
    if has_history_form(model) or not view.startswith("history_form")
]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "model", "view", "district"), CASES)
def test_admin_page(client, world, django_user_model, role, model, view, district):
    pk = world["rows"][district][model]
    root = django_user_model.objects.get(pk=world["users"]["superuser"])
    user = django_user_model.objects.get(pk=world["users"][role])
    before = snapshot(model, pk)
    status, changes = expected(role, model, view, district)

    if view == "list":
        client.force_login(user)
        response = client.get(url(model, "changelist"))
        assert response.status_code == 200
        listed = pk in {obj.pk for obj in response.context["cl"].result_list}
        assert listed == (status == 200)
        return

    if view.startswith("history_form"):
        version = model.history.filter(**{model._meta.pk.attname: pk}).earliest().history_id
        page = url(model, "simple_history", pk, version)
    else:
        page = url(model, view.removesuffix("_get").removesuffix("_post"), pk)
    if view == "delete":
        data = {"post": "yes"}
    elif view in POSTS:
        data = changed_form(client, root, model, pk, page)
    client.force_login(user)
    response = client.post(page, data) if view in POSTS else client.get(page)

    assert response.status_code == status, (
        response.context and response.context.get("errors"),
        response.content.decode()[:300],
    )
    after = snapshot(model, pk)
    assert (after != before) == changes
    if changes and view != "delete":
        field, value = CHANGE[model]
        assert str(model.objects.filter(pk=pk).values_list(field, flat=True).get()) == value
    if changes and view == "delete":
        assert not model.objects.filter(pk=pk).exists()
