"""Small hand-written factories: just enough rows for each test to read clearly."""

from decimal import Decimal

from django.contrib.auth import get_user_model

from assessments.models import (
    Assessment,
    Framework,
    Indicator,
    Item,
    ItemScore,
    LevelBand,
    Organization,
    Tool,
)
from plans.models import Division, Membership, Plan

NATIONAL_BANDS = [
    ("AA", "95"),
    ("A", "85"),
    ("B", "75"),
    ("C", "65"),
    ("D", "55"),
    ("E", "50"),
    ("F", "0"),
]


def make_organization(code="1009", name_th="เขตพระโขนง", **extra) -> Organization:
    return Organization.objects.create(code=code, name_th=name_th, **extra)


def make_framework(fiscal_year=2564, name="ITA ของสำนักงานเขต กรุงเทพมหานคร") -> Framework:
    """Return a framework with the national bands, three tools and one indicator each.

    IIT (30 %) → indicator 1 with items I1–I6; EIT (30 %) → indicator 6 with E1–E5;
    OIT (40 %) → indicator 9 with checklist items O1–O4.
    """
    framework = Framework.objects.create(fiscal_year=fiscal_year, name=name)
    for label, minimum in NATIONAL_BANDS:
        LevelBand.objects.create(framework=framework, label=label, min_score=Decimal(minimum))
    layout = [
        ("IIT", "30", 1, "การปฏิบัติหน้าที่", [f"I{n}" for n in range(1, 7)], Item.Kind.SURVEY),
        ("EIT", "30", 6, "คุณภาพการดำเนินงาน", [f"E{n}" for n in range(1, 6)], Item.Kind.SURVEY),
        ("OIT", "40", 9, "การเปิดเผยข้อมูล", [f"O{n}" for n in range(1, 5)], Item.Kind.CHECKLIST),
    ]
    order = 0
    for tool_order, (code, weight, number, name_, item_codes, kind) in enumerate(layout):
        tool = Tool.objects.create(
            framework=framework, code=code, name=code, weight=Decimal(weight), order=tool_order
        )
        indicator = Indicator.objects.create(
            tool=tool, number=number, name=name_, weight=Decimal(weight)
        )
        for item_code in item_codes:
            order += 1
            Item.objects.create(
                indicator=indicator, code=item_code, text=f"ข้อ {item_code}", order=order, kind=kind
            )
    return framework


def make_assessment(organization, framework, scores: dict[str, str] | None = None) -> Assessment:
    assessment = Assessment.objects.create(organization=organization, framework=framework)
    items = {item.code: item for item in framework.items.all()}
    for code, score in (scores or {}).items():
        ItemScore.objects.create(assessment=assessment, item=items[code], score=Decimal(score))
    return assessment


def make_plan(assessment, fiscal_year=2565) -> Plan:
    return Plan.objects.create(
        organization=assessment.organization, assessment=assessment, fiscal_year=fiscal_year
    )


def make_user(username, *, organization=None, role=None, division=None, **extra):
    user = get_user_model().objects.create_user(username=username, password="pw", **extra)
    if organization is not None:
        Membership.objects.create(
            user=user,
            organization=organization,
            role=role or Membership.Role.STAFF,
            division=division,
        )
    return user


def view_all_permission():
    """The permission that shows every organization (BMA central managers)."""
    from django.contrib.auth.models import Permission

    return Permission.objects.get(
        content_type__app_label="assessments", codename="view_all_organizations"
    )


def people_granted_view_all():
    """Two users who read every organization: one granted it, one through a group."""
    from django.contrib.auth.models import Group

    own = make_user("own")
    own.user_permissions.add(view_all_permission())
    grouped = make_user("grouped")
    central = Group.objects.create(name="ส่วนกลาง")
    central.permissions.add(view_all_permission())
    grouped.groups.add(central)
    return own, grouped


def make_division(organization, name="ฝ่ายปกครอง", order=1) -> Division:
    return Division.objects.create(organization=organization, name=name, order=order)


# Phra Khanong's FY 2564 scores used by several tests (from the seed's score table).
SEED_SCORES = {
    "I1": "84.67",
    "I2": "82.86",
    "I3": "83.74",
    "I4": "98.71",
    "I5": "98.61",
    "I6": "98.89",
    "E1": "70.11",
    "E2": "69.62",
    "E3": "69.55",
    "E4": "74.70",
    "E5": "72.14",
    "O1": "0",
    "O2": "100",
    "O3": "100",
    "O4": "100",
}
