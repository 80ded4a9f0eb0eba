"""A small world for the digest tests: two districts, each with two divisions, an approved plan
with actions around "today" (20 มิ.ย. 2565) and a round that closes within the week."""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import Permission

from plans.models import Action, Finding, Membership, Plan, ProgressUpdate, ReportingRound
from tests.factories import make_assessment, make_division, make_plan, make_user

TODAY = date(2022, 6, 20)
Status = Action.Status


@dataclass
class District:
    organization: object
    plan: Plan
    finding: Finding
    admin_division: object  # ฝ่ายปกครอง
    finance: object  # ฝ่ายการคลัง
    round: ReportingRound
    staff: object
    finance_staff: object
    owner: object
    manager: object


def make_action(district: District, text: str, due_on, division=None, **extra) -> Action:
    extra.setdefault("lead_division", division)
    return Action.objects.create(
        finding=district.finding, text=text, due_on=due_on, starts_on=date(2021, 10, 1), **extra
    )


def report(action, district: District, division=None, status=Status.IN_PROGRESS, round_=None):
    return ProgressUpdate.objects.create(
        action=action,
        round=round_ or district.round,
        division=division,
        progress=100 if status == Status.DONE else 50,
        status=status,
        note="รายงาน",
    )


def make_district(organization, framework, prefix: str) -> District:
    plan = make_plan(make_assessment(organization, framework))
    plan.status = Plan.Status.APPROVED
    plan.save()
    finding = Finding.objects.create(plan=plan, item=framework.items.get(code="O1"), order=1)
    admin_division = make_division(organization, "ฝ่ายปกครอง", 1)
    finance = make_division(organization, "ฝ่ายการคลัง", 2)
    round_ = ReportingRound.objects.create(
        plan=plan, name="ไตรมาสที่ 3", starts_on=date(2022, 4, 1), ends_on=date(2022, 6, 24)
    )
    return District(
        organization=organization,
        plan=plan,
        finding=finding,
        admin_division=admin_division,
        finance=finance,
        round=round_,
        staff=make_user(
            f"{prefix}-staff",
            organization=organization,
            role=Membership.Role.STAFF,
            division=admin_division,
            email=f"{prefix}-staff@example.org",
        ),
        finance_staff=make_user(
            f"{prefix}-finance",
            organization=organization,
            role=Membership.Role.STAFF,
            division=finance,
        ),
        owner=make_user(
            f"{prefix}-owner", organization=organization, role=Membership.Role.PLAN_OWNER
        ),
        manager=make_user(
            f"{prefix}-manager", organization=organization, role=Membership.Role.DISTRICT_MANAGER
        ),
    )


def make_central(organization, username="central", *, sees_all=True):
    user = make_user(username, organization=organization, role=Membership.Role.CENTRAL_MANAGER)
    if sees_all:
        user.user_permissions.add(Permission.objects.get(codename="view_all_organizations"))
    return user
