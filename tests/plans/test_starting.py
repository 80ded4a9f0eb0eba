"""Starting next year's plan: the findings of the weak items most points first, last year's
open actions carried over under their linked items, the title, the rounds, and refusals."""

from datetime import date

import pytest

from plans import starting
from plans.models import Action, Finding, Plan, ReportingRound
from tests.factories import make_organization, make_plan
from tests.plans.start_world import make_start_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_start_world()


def codes(items):
    return [item.code for item in items]


def test_below_pass_items_come_most_points_first(world):
    preview = starting.build_preview(world.organization)
    assert preview.assessment == world.a65
    assert preview.fiscal_year == 2566
    # Hand-computed gains to 85: O1 (checklist, to 100) 100 × 0.40/4 = 10.00; EIT items
    # (85 − score) × 0.30/5: E3 0.927, E2 0.923, E1 0.893, E5 0.772, E4 0.618; IIT items
    # (I2 dropped) × 0.30/5: I3 0.076, I1 0.020. Items at or above 85 add nothing.
    assert codes(preview.findings) == ["O1", "E3", "E2", "E1", "E5", "E4", "I3", "I1"]


def test_all_and_none(world):
    assert len(starting.build_preview(world.organization, items="all").findings) == 14
    assert starting.build_preview(world.organization, items="none").findings == []
    with pytest.raises(starting.StartError, match="ตัวเลือกข้อการประเมิน"):
        starting.build_preview(world.organization, items="some")


def test_open_actions_carry_over_under_their_linked_items(world):
    preview = starting.build_preview(world.organization)
    carried = {entry.action: entry for entry in preview.carried}
    assert set(carried) == {world.open_o1, world.open_e3}
    assert carried[world.open_o1].item.framework == world.fw65
    assert carried[world.open_o1].item.code == "O1"
    assert preview.unlinked == [world.open_i2]


def test_window_moves_to_the_same_months_of_the_new_fiscal_year(world):
    preview = starting.build_preview(world.organization)
    entry = next(e for e in preview.carried if e.action == world.open_o1)
    assert (entry.starts_on, entry.due_on) == (date(2022, 10, 1), date(2023, 6, 30))
    assert starting.shift_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert starting.shift_years(None, 1) is None


def test_rounds_are_the_quarters_with_buddhist_era_names():
    rounds = starting.default_rounds(2566)
    assert [(r.name, r.starts_on, r.ends_on) for r in rounds] == [
        ("ไตรมาสที่ 1 (ต.ค. – ธ.ค. 65)", date(2022, 10, 1), date(2022, 12, 31)),
        ("ไตรมาสที่ 2 และรอบ 6 เดือน (ม.ค. – มี.ค. 66)", date(2023, 1, 1), date(2023, 3, 31)),
        ("ไตรมาสที่ 3 (เม.ย. – มิ.ย. 66)", date(2023, 4, 1), date(2023, 6, 30)),
        ("ไตรมาสที่ 4 และรอบ 12 เดือน (ก.ค. – ก.ย. 66)", date(2023, 7, 1), date(2023, 9, 30)),
    ]
    # Another year is computed, not copied: FY 2568 starts in October 2567 (2024).
    assert starting.default_rounds(2568)[1].name == "ไตรมาสที่ 2 และรอบ 6 เดือน (ม.ค. – มี.ค. 68)"
    assert starting.default_rounds(2568)[1].ends_on == date(2025, 3, 31)


def test_title_names_the_year_and_the_office(world):
    preview = starting.build_preview(world.organization)
    assert preview.title.endswith("ประจำปีงบประมาณ พ.ศ. 2566 สำนักงานเขตพระโขนง")
    assert preview.title.startswith("ประเด็นที่จะต้องพัฒนาให้ดีขึ้น แนวทางปฏิบัติ")


def test_preview_writes_nothing(world):
    before = (Plan.objects.count(), Finding.objects.count(), Action.objects.count())
    starting.build_preview(world.organization)
    assert (Plan.objects.count(), Finding.objects.count(), Action.objects.count()) == before


def test_apply_creates_the_plan_findings_carried_actions_and_rounds(world):
    started = starting.apply(starting.build_preview(world.organization))
    plan = started.plan
    assert (started.findings, started.carried, started.unlinked, started.rounds) == (8, 2, 1, 4)
    assert plan.fiscal_year == 2566 and plan.assessment == world.a65
    assert plan.status == Plan.Status.DRAFT
    assert codes(f.item for f in plan.findings.order_by("order")) == [
        "O1",
        "E3",
        "E2",
        "E1",
        "E5",
        "E4",
        "I3",
        "I1",
    ]
    new = Action.objects.get(carried_from=world.open_o1)
    assert new.finding.plan == plan and new.finding.item.code == "O1"
    assert new.text == world.open_o1.text
    assert new.lead_division == world.finance
    assert list(new.divisions.all()) == [world.admin_division]
    assert new.follow_up_method == "เว็บไซต์สำนักงานเขต"
    assert (new.status, new.progress, new.completed_on) == (Action.Status.NOT_STARTED, 0, None)
    assert (new.starts_on, new.due_on) == (date(2022, 10, 1), date(2023, 6, 30))
    assert Action.objects.get(carried_from=world.open_e3).all_divisions
    assert not Action.objects.filter(carried_from__in=[world.done, world.cancelled]).exists()
    assert not Action.objects.filter(carried_from=world.open_i2).exists()
    assert list(world.open_o1.carried_to.all()) == [new]
    assert ReportingRound.objects.filter(plan=plan).count() == 4


def test_a_carried_action_makes_its_finding_even_if_not_chosen(world):
    started = starting.apply(starting.build_preview(world.organization, items="none"))
    assert started.findings == 2
    assert codes(f.item for f in started.plan.findings.order_by("order")) == ["O1", "E3"]


def test_unticked_items_and_a_decision_for_an_unlinked_action(world):
    preview = starting.build_preview(world.organization)
    target = world.fw65.items.get(code="I1")
    started = starting.apply(
        preview, items=preview.findings[:1], decided={world.open_i2.pk: target}
    )
    assert (started.findings, started.carried, started.unlinked) == (3, 3, 0)
    assert Action.objects.get(carried_from=world.open_i2).finding.item == target


def test_a_decision_for_an_item_of_another_edition_is_refused(world):
    preview = starting.build_preview(world.organization)
    with pytest.raises(starting.StartError, match="ไม่อยู่ในชุดการประเมิน"):
        starting.apply(preview, decided={world.open_i2.pk: world.fw64.items.get(code="I1")})
    assert not Plan.objects.filter(fiscal_year=2566).exists()


def test_without_carry_over(world):
    preview = starting.build_preview(world.organization, carry_over=False)
    assert preview.carried == [] and preview.unlinked == []


def test_only_confirmed_links_carry(world):
    from assessments.models import ItemLink

    ItemLink.objects.filter(from_item__code="O1").update(status=ItemLink.Status.SUGGESTED)
    preview = starting.build_preview(world.organization)
    assert [entry.action for entry in preview.carried] == [world.open_e3]
    assert preview.unlinked == [world.open_o1, world.open_i2]


def test_same_edition_carries_by_identity(world):
    # A 2566 plan that answers the 2565 edition, and a 2567 plan started from the same one.
    plan66 = make_plan(world.a65, 2566)
    old = Finding.objects.create(plan=plan66, item=world.fw65.items.get(code="E1"))
    Action.objects.create(finding=old, text="งานต่อเนื่อง", all_divisions=True)
    preview = starting.build_preview(world.organization, world.a65, 2567, confirm_year=True)
    assert [(e.action.text, e.item) for e in preview.carried] == [
        ("งานต่อเนื่อง", world.fw65.items.get(code="E1"))
    ]


def test_refuses_a_second_plan_of_the_year(world):
    starting.apply(starting.build_preview(world.organization))
    with pytest.raises(starting.StartError, match="มีแผนปีงบประมาณ 2566 อยู่แล้ว"):
        starting.build_preview(world.organization)


def test_refuses_another_organizations_assessment(world):
    other = make_organization(code="1033", name_th="เขตคลองเตย")
    with pytest.raises(starting.StartError, match="เป็นของ เขตพระโขนง ไม่ใช่ของ เขตคลองเตย"):
        starting.build_preview(other, assessment=world.a65)


def test_another_year_needs_confirmation(world):
    with pytest.raises(starting.YearNeedsConfirmation, match="โปรดยืนยันปีของแผน"):
        starting.build_preview(world.organization, fiscal_year=2567)
    preview = starting.build_preview(world.organization, fiscal_year=2567, confirm_year=True)
    assert preview.fiscal_year == 2567
    # No plan of 2566 to carry from.
    assert preview.carried == []


def test_an_organization_without_assessment_is_refused(db):
    with pytest.raises(starting.StartError, match="ยังไม่มีผลการประเมิน"):
        starting.build_preview(make_organization(code="1033", name_th="เขตคลองเตย"))
