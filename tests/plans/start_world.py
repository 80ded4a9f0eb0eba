"""Last year's plan with open, done and cancelled actions, and this year's edition and
scores: what starting next year's plan reads (the service, the command and the page)."""

from datetime import date
from types import SimpleNamespace

from plans.models import Action, Finding
from tests.factories import (
    SEED_SCORES,
    make_assessment,
    make_division,
    make_framework,
    make_organization,
    make_plan,
    make_user,
)
from tests.plans.next_edition import copy_edition


def make_start_world() -> SimpleNamespace:
    organization = make_organization()
    admin_division = make_division(organization, "ฝ่ายปกครอง", 1)
    finance = make_division(organization, "ฝ่ายการคลัง", 2)
    fw64 = make_framework(2564)
    a64 = make_assessment(organization, fw64, SEED_SCORES)
    plan65 = make_plan(a64, 2565)
    o1 = Finding.objects.create(plan=plan65, item=fw64.items.get(code="O1"), order=1)
    e3 = Finding.objects.create(plan=plan65, item=fw64.items.get(code="E3"), order=2)
    i2 = Finding.objects.create(plan=plan65, item=fw64.items.get(code="I2"), order=3)
    open_o1 = Action.objects.create(
        finding=o1,
        text="เผยแพร่แผนการจัดซื้อจัดจ้างบนเว็บไซต์",
        order=1,
        lead_division=finance,
        starts_on=date(2021, 10, 1),
        due_on=date(2022, 6, 30),
        follow_up_method="เว็บไซต์สำนักงานเขต",
        status=Action.Status.IN_PROGRESS,
        progress=40,
    )
    open_o1.divisions.set([admin_division])
    done = Action.objects.create(
        finding=o1,
        text="จัดทำประกาศ",
        order=2,
        lead_division=finance,
        status=Action.Status.DONE,
        progress=100,
        completed_on=date(2022, 1, 10),
    )
    cancelled = Action.objects.create(
        finding=e3, text="ยกเลิกแล้ว", order=1, all_divisions=True, status=Action.Status.CANCELLED
    )
    open_e3 = Action.objects.create(
        finding=e3,
        text="ประชาสัมพันธ์ช่องทางร้องเรียน",
        order=2,
        all_divisions=True,
        starts_on=date(2022, 1, 1),
        due_on=date(2022, 9, 30),
    )
    open_i2 = Action.objects.create(
        finding=i2, text="อบรมผู้บริหาร", order=1, lead_division=admin_division
    )
    # This year's edition drops I2: its action has nowhere to go without a decision.
    fw65 = copy_edition(fw64, 2565, drop={"I2"})
    a65 = make_assessment(
        organization, fw65, {code: s for code, s in SEED_SCORES.items() if code != "I2"}
    )
    return SimpleNamespace(
        organization=organization,
        admin_division=admin_division,
        finance=finance,
        fw64=fw64,
        fw65=fw65,
        a64=a64,
        a65=a65,
        plan65=plan65,
        open_o1=open_o1,
        done=done,
        cancelled=cancelled,
        open_e3=open_e3,
        open_i2=open_i2,
        owner=make_user("owner", organization=organization, role="plan_owner"),
        manager=make_user("manager", organization=organization, role="district_manager"),
        staff=make_user("staff", organization=organization, division=finance),
    )
