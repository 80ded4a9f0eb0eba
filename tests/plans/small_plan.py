"""One district's plan of FY 2565 with two divisions, an owner and a staff member: enough
rows for the rule tests to read clearly (the demo data is loaded only where it is needed)."""

from datetime import date
from types import SimpleNamespace

from plans.models import Action, Finding, ProgressUpdate, ReportingRound
from tests.factories import (
    make_assessment,
    make_division,
    make_framework,
    make_organization,
    make_plan,
    make_user,
)

Q1 = (date(2021, 10, 1), date(2021, 12, 31))
Q2 = (date(2022, 1, 1), date(2022, 3, 31))


def make_small_plan(**plan_fields) -> SimpleNamespace:
    organization = make_organization()
    admin_division = make_division(organization, "ฝ่ายปกครอง", 1)
    finance = make_division(organization, "ฝ่ายการคลัง", 2)
    framework = make_framework()
    plan = make_plan(make_assessment(organization, framework))
    for name, value in plan_fields.items():
        setattr(plan, name, value)
    plan.save()
    finding = Finding.objects.create(plan=plan, item=framework.items.get(code="O1"))
    action = Action.objects.create(
        finding=finding,
        text="เผยแพร่แผนการจัดซื้อจัดจ้างบนเว็บไซต์",
        lead_division=finance,
        starts_on=date(2021, 10, 1),
        due_on=date(2022, 3, 31),
    )
    rounds = [
        ReportingRound.objects.create(plan=plan, name=name, starts_on=start, ends_on=end)
        for name, (start, end) in (("ไตรมาสที่ 1", Q1), ("ไตรมาสที่ 2", Q2))
    ]
    return SimpleNamespace(
        organization=organization,
        admin_division=admin_division,
        finance=finance,
        plan=plan,
        finding=finding,
        action=action,
        rounds=rounds,
        owner=make_user("owner", organization=organization, role="plan_owner"),
        staff=make_user("staff", organization=organization, division=finance),
    )


def action_form_data(action, **changes) -> dict:
    """The action edit form as a browser posts it, with ``changes``."""
    data = {
        "version": action.version,
        "text": action.text,
        "lead_division": action.lead_division_id or "",
        "all_divisions": "on" if action.all_divisions else "",
        "starts_on": action.starts_on.strftime("%d/%m/") + str(action.starts_on.year + 543)
        if action.starts_on
        else "",
        "due_on": action.due_on.strftime("%d/%m/") + str(action.due_on.year + 543)
        if action.due_on
        else "",
        "follow_up_method": action.follow_up_method,
        "status": action.status,
        "progress": action.progress,
        "completed_on": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def grow(world, count: int, *, carried: bool = False, reports: bool = False) -> None:
    """Add ``count`` actions to the small plan over five findings, each with a shared
    division; ``carried``: every third carried over from the plan's first action; ``reports``:
    each with a progress report, every other one public."""
    items = list(world.plan.assessment.framework.items.exclude(code="O1").order_by("order")[:5])
    for number in range(count):
        finding, _ = Finding.objects.get_or_create(plan=world.plan, item=items[number % 5])
        action = Action.objects.create(
            finding=finding,
            text=f"การปรับปรุงที่ {number}",
            lead_division=world.finance,
            starts_on=date(2021, 10, 1),
            due_on=date(2022, 3, 31),
            carried_from=world.action if carried and number % 3 == 0 else None,
        )
        action.divisions.add(world.admin_division)
        if reports:
            ProgressUpdate.objects.create(
                action=action,
                progress=10,
                status="in_progress",
                note="x",
                is_public=number % 2 == 0,
            )
