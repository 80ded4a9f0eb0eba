"""The staff pages: who may see and change what, for every role and every kind of object."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from assessments.models import Organization
from plans.models import Action, Finding, Plan, ProgressUpdate
from tests.factories import make_assessment, make_plan

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "staff", "owner", "manager", "central", "admin"]
TARGETS = ["own_division", "other_division", "other_district"]
DISTRICT_ROLES = {"staff", "owner", "manager"}


@pytest.fixture
def targets(demo):
    """An action of the staff user's division, one of another division, one of another
    district."""
    finance = Action.objects.filter(
        finding__plan__organization__code="1009", lead_division__name="ฝ่ายการคลัง"
    ).first()
    other = (
        Action.objects.filter(finding__plan__organization__code="1009", all_divisions=False)
        .exclude(lead_division__name="ฝ่ายการคลัง")
        .exclude(divisions__name="ฝ่ายการคลัง")
        .first()
    )
    district = Organization.objects.get(code="1033")
    framework = Plan.objects.get().assessment.framework
    plan = make_plan(make_assessment(district, framework))
    finding = Finding.objects.create(plan=plan, item=framework.items.get(code="O1"))
    elsewhere = Action.objects.create(finding=finding, text="งานของเขตคลองเตย", all_divisions=True)
    return {"own_division": finance, "other_division": other, "other_district": elsewhere}


def sign_in(client, role):
    if role != "anonymous":
        client.force_login(get_user_model().objects.get(username=role))


def read_expected(role, target):
    if role == "anonymous":
        return 302
    if role in DISTRICT_ROLES and target == "other_district":
        return 404
    return 200


def report_expected(role, target):
    if role == "anonymous":
        return 302
    if role in DISTRICT_ROLES and target == "other_district":
        return 404
    allowed = {
        "staff": {"own_division"},
        "owner": {"own_division", "other_division"},
        "admin": set(TARGETS),
    }
    return 200 if target in allowed.get(role, set()) else 403


def edit_expected(role, target):
    if role == "staff":
        return 404 if target == "other_district" else 403
    return report_expected(role, target)


def pages(action):
    plan, finding = action.finding.plan, action.finding
    return {
        "plan": (
            reverse("plan_detail", args=[plan.organization.code, plan.fiscal_year]),
            read_expected,
        ),
        "action": (reverse("action_detail", args=[action.pk]), read_expected),
        "report": (reverse("progress_create", args=[action.pk]), report_expected),
        "action_edit": (reverse("action_edit", args=[action.pk]), edit_expected),
        "finding_edit": (reverse("finding_edit", args=[finding.pk]), edit_expected),
        "action_new": (reverse("action_create", args=[finding.pk]), edit_expected),
    }


PAGES = ["plan", "action", "report", "action_edit", "finding_edit", "action_new"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_open_each_page(client, targets, role, target, page):
    url, expected = pages(targets[target])[page]
    sign_in(client, role)
    response = client.get(url)
    assert response.status_code == expected(role, target)
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_post_a_progress_report(client, targets, role, target):
    action = targets[target]
    sign_in(client, role)
    data = {"version": action.version, "progress": 40, "status": "in_progress", "note": "คืบหน้า"}
    response = client.post(reverse("progress_create", args=[action.pk]), data)
    allowed = report_expected(role, target) == 200
    assert response.status_code == (302 if allowed else report_expected(role, target))
    assert ProgressUpdate.objects.filter(action=action).exists() == allowed
    action.refresh_from_db()
    assert action.progress == (40 if allowed else 0)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_post_an_action_edit(client, targets, role, target):
    action = targets[target]
    sign_in(client, role)
    data = {"version": action.version, "text": "ข้อความใหม่", "status": "in_progress"}
    data |= {"lead_division": action.lead_division_id or "", "all_divisions": action.all_divisions}
    response = client.post(reverse("action_edit", args=[action.pk]), data)
    allowed = edit_expected(role, target) == 200
    assert response.status_code == (302 if allowed else edit_expected(role, target))
    action.refresh_from_db()
    assert (action.text == "ข้อความใหม่") == allowed


@pytest.mark.parametrize("role", ROLES)
def test_my_actions_lists_the_users_work(client, targets, role):
    sign_in(client, role)
    response = client.get(reverse("my_actions"))
    if role == "anonymous":
        assert response.status_code == 302
        return
    shown = {action.pk for action in response.context["page"].paginator.object_list}
    assert targets["other_district"].pk not in shown or role in ("central", "admin")
    if role == "staff":
        assert targets["own_division"].pk in shown
        assert targets["other_division"].pk not in shown
    if role in ("owner", "manager"):
        assert {targets["own_division"].pk, targets["other_division"].pk} <= shown


def test_my_actions_puts_overdue_then_due_soon_first(client, targets):
    today = date.today()
    own = Action.objects.of_division(targets["own_division"].lead_division)
    first, second, third = list(own.order_by("pk")[:3])
    Action.objects.filter(pk__in=[a.pk for a in own]).update(due_on=today + timedelta(days=90))
    Action.objects.filter(pk=first.pk).update(due_on=today + timedelta(days=10))
    Action.objects.filter(pk=second.pk).update(due_on=today - timedelta(days=1))
    Action.objects.filter(pk=third.pk).update(
        due_on=today - timedelta(days=5), status="done", progress=100, completed_on=today
    )
    sign_in(client, "staff")
    listed = list(client.get(reverse("my_actions")).context["page"].paginator.object_list)
    assert [action.pk for action in listed[:2]] == [second.pk, first.pk]
    assert listed[-1].pk == third.pk  # done goes last, never overdue


def test_plan_page_filters_by_division_and_search(client, targets):
    sign_in(client, "manager")
    url = reverse("plan_detail", args=["1009", 2565])
    finance = targets["own_division"].lead_division
    response = client.get(url, {"division": finance.pk})
    rows = [row for s in response.context["sections"] for g in s.indicators for row in g.rows]
    actions = [a for row in rows for a in row.actions]
    assert actions and all(
        a.lead_division_id == finance.pk or a.all_divisions or finance in a.divisions.all()
        for a in actions
    )
    everything = client.get(url).context["shown"]
    assert (
        len(actions)
        < everything
        == Action.objects.filter(finding__plan__fiscal_year=2565)
        .exclude(finding__plan__organization__code="1033")
        .count()
    )
    found = client.get(url, {"q": "e-GPBMA"}).context["shown"]
    assert found == Action.objects.filter(text__icontains="e-GPBMA").count() > 0


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_post_a_finding_edit(client, targets, role, target):
    finding = targets[target].finding
    sign_in(client, role)
    data = {"version": finding.version, "analysis": "วิเคราะห์ใหม่", "issues": "ประเด็นใหม่"}
    response = client.post(reverse("finding_edit", args=[finding.pk]), data)
    allowed = edit_expected(role, target) == 200
    assert response.status_code == (302 if allowed else edit_expected(role, target))
    finding.refresh_from_db()
    assert (finding.analysis == "วิเคราะห์ใหม่") == allowed


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("role", ROLES)
def test_who_may_post_a_new_action(client, targets, role, target):
    finding = targets[target].finding
    sign_in(client, role)
    data = {"text": "การปรับปรุงเพิ่ม", "status": "not_started", "all_divisions": "on"}
    response = client.post(reverse("action_create", args=[finding.pk]), data)
    allowed = edit_expected(role, target) == 200
    assert response.status_code == (302 if allowed else edit_expected(role, target))
    assert finding.actions.filter(text="การปรับปรุงเพิ่ม").exists() == allowed


@pytest.mark.parametrize(
    ("model", "organization_of"),
    [
        ("plans.action", lambda obj: obj.finding.plan.organization.code),
        ("plans.finding", lambda obj: obj.plan.organization.code),
        ("assessments.itemscore", lambda obj: obj.assessment.organization.code),
        ("assessments.assessment", lambda obj: obj.organization.code),
    ],
)
def test_admin_lists_are_scoped_to_the_users_district(client, targets, model, organization_of):
    from django.contrib.auth.models import Permission

    app_label, model_name = model.split(".")
    owner = get_user_model().objects.get(username="owner")
    owner.is_staff = True
    owner.save()
    owner.user_permissions.add(
        Permission.objects.get(codename=f"view_{model_name}", content_type__app_label=app_label)
    )
    client.force_login(owner)
    listed = client.get(reverse(f"admin:{app_label}_{model_name}_changelist")).context["cl"]
    codes = {organization_of(obj) for obj in listed.queryset}
    assert codes == {"1009"}
