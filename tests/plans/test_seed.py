"""The demo data is the seed document, every row of it, with the disagreements kept visible."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from assessments.models import Assessment, Framework, Item, ItemScore, ReportedScore
from assessments.rollup import score_report
from plans.demo import DemoCounts, load_demo
from plans.models import Action, Division, Finding, Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(demo):
    assessment = Assessment.objects.get(organization__code="1009", framework__fiscal_year=2564)
    return score_report(assessment)


def by_tool(queryset, path):
    counts = {}
    for code in queryset.values_list(path, flat=True):
        counts[code] = counts.get(code, 0) + 1
    return counts


def test_the_framework_has_30_15_43_items_in_ten_indicators(demo):
    framework = Framework.objects.get(fiscal_year=2564)
    assert by_tool(framework.items.all(), "indicator__tool__code") == {
        "IIT": 30,
        "EIT": 15,
        "OIT": 43,
    }
    assert list(framework.tools.values_list("code", "weight")) == [
        ("IIT", Decimal("30")),
        ("EIT", Decimal("30")),
        ("OIT", Decimal("40")),
    ]
    assert framework.indicators.count() == 10
    assert sum(framework.indicators.values_list("weight", flat=True)) == 100
    assert framework.pass_mark == 85
    assert list(framework.bands.values_list("label", "min_score")) == [
        ("AA", 95),
        ("A", 85),
        ("B", 75),
        ("C", 65),
        ("D", 55),
        ("E", 50),
        ("F", 0),
    ]
    ranges = {
        indicator.number: (indicator.items.first().code, indicator.items.last().code)
        for indicator in framework.indicators.all()
    }
    assert ranges == {
        1: ("I1", "I6"),
        2: ("I7", "I12"),
        3: ("I13", "I18"),
        4: ("I19", "I24"),
        5: ("I25", "I30"),
        6: ("E1", "E5"),
        7: ("E6", "E10"),
        8: ("E11", "E15"),
        9: ("O1", "O33"),
        10: ("O34", "O43"),
    }
    assert set(framework.items.filter(code__startswith="O").values_list("kind", flat=True)) == {
        Item.Kind.CHECKLIST
    }


def test_item_texts_come_from_the_seed(demo):
    items = {item.code: item for item in Item.objects.of_year(2564)}
    assert items["I1"].text == (
        "การปฏิบัติงาน/การให้บริการแก่ผู้มาติดต่อ มีความโปร่งใสเป็นไปตามขั้นตอนที่กำหนด และเป็นไปตามระยะเวลาที่กำหนด"
    )
    assert items["E13"].text == (
        "มีการนำเทคโนโลยีมาใช้ในการดำเนินงาน/การให้บริการ ให้เกิดความสะดวกรวดเร็วมากขึ้น"
    )
    assert items["O1"].name == "โครงสร้างหน่วยงาน"
    assert items["O8"].name == "การปฏิสัมพันธ์ข้อมูล"
    assert items["O43"].name == ("การดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน")
    # The one corrected text: the score table lost "อย่างเท่าเทียม".
    assert "อย่างเท่าเทียม" in items["I2"].text


def test_every_item_has_its_score(demo):
    scores = dict(
        ItemScore.objects.filter(assessment__organization__code="1009").values_list(
            "item__code", "score"
        )
    )
    assert len(scores) == 88
    assert scores["I1"] == Decimal("84.67")
    assert scores["E13"] == Decimal("64.23")
    assert scores["O26"] == 0
    assert scores["O33"] == 100
    oit = [code for code in scores if code.startswith("O")]
    assert {scores[code] for code in oit} == {0, 100}
    assert sorted(code for code in oit if scores[code] == 0) == sorted(
        ["O1", "O20", "O26", "O30", "O37", "O39", "O40", "O41", "O42", "O43"]
    )


def test_computed_indicators_match_the_printed_ones_where_the_seed_agrees(report):
    indicators = report.summary.indicators
    assert indicators[1] == Decimal("91.25")
    assert indicators[6] == Decimal("71.22")
    assert indicators[8] == Decimal("76.74")
    # By hand: IIT 83.24 × 0.3 + EIT 73.46 × 0.3 + OIT 66.33 × 0.4, unrounded, is 73.54.
    assert report.summary.tools == {
        "IIT": Decimal("83.24"),
        "EIT": Decimal("73.46"),
        "OIT": Decimal("66.33"),
    }
    assert report.summary.total == Decimal("73.54")
    assert report.summary.level == "C"


def test_every_disagreement_of_the_seed_is_a_warning(report):
    flagged = {(warning.scope, str(warning.key)) for warning in report.warnings}
    assert flagged == {
        ("indicator", "2"),
        ("indicator", "3"),
        ("indicator", "4"),
        ("indicator", "5"),
        ("indicator", "7"),
        ("item", "I7"),
        ("item", "I18"),
        ("item", "I19"),
        ("tool", "OIT"),
    }


def test_the_printed_figures_are_kept_as_reported_scores(demo):
    reported = ReportedScore.objects.filter(assessment__organization__code="1009")
    assert reported.get(scope="indicator", indicator__number=2).value == Decimal("98.61")
    oit = reported.get(scope="tool", tool__code="OIT")
    assert (oit.value, oit.basis) == (Decimal("25.24"), ReportedScore.Basis.POINTS)
    i9 = reported.get(scope="item", item__code="I9")
    assert i9.value == Decimal("84.71")
    assert "84..71" in i9.note
    assert reported.get(scope="item", item__code="I7").value == Decimal("61.51")


def test_score_summary_lists_the_warnings(demo):
    out = StringIO()
    call_command("score_summary", organization="1009", year=2564, stdout=out)
    text = out.getvalue()
    assert "ข้อสังเกตคุณภาพข้อมูล (warnings): 9" in text
    assert "ตัวชี้วัดที่ 2: ตัวเลขที่ประกาศ 98.61" in text
    assert "ข้อ I7: ตัวเลขที่ประกาศ 61.51" in text


def test_one_finding_per_analysis_row_and_one_action_per_bullet(demo):
    plan = Plan.objects.get(organization__code="1009", fiscal_year=2565)
    assert plan.assessment.framework.fiscal_year == 2564
    findings = Finding.objects.filter(plan=plan)
    assert by_tool(findings, "item__indicator__tool__code") == {"OIT": 43, "IIT": 25, "EIT": 15}
    actions = Action.objects.filter(finding__plan=plan)
    assert by_tool(actions, "finding__item__indicator__tool__code") == {
        "OIT": 59,
        "IIT": 27,
        "EIT": 17,
    }
    # The IIT rows the seed has (no I4–I6, I20 or I25): none invented, none skipped.
    iit = set(findings.filter(item__code__startswith="I").values_list("item__code", flat=True))
    assert iit == {f"I{n}" for n in [1, 2, 3, *range(7, 20), *range(21, 25), *range(26, 31)]}


def test_bullets_cut_by_a_page_break_are_glued_back(demo):
    o2 = Finding.objects.get(plan__fiscal_year=2565, item__code="O2")
    assert list(o2.actions.values_list("text", flat=True)) == [
        "ดำเนินการตรวจสอบและเปลี่ยนสถานะของข้อมูลให้เป็นปัจจุบันทุกเดือน",
        "เพิ่มลิงก์เบอร์โทรศัพท์ติดต่อของฝ่ายอื่นๆ เพื่อความสะดวกในการเชื่อมโยงข้อมูล",
        "เพิ่มข้อมูลผู้บริหารโรงเรียนในสังกัดสำนักงานเขต",
    ]
    o7 = Finding.objects.get(plan__fiscal_year=2565, item__code="O7")
    assert o7.actions.last().text == (
        "เพิ่มข้อมูลการประชาสัมพันธ์การประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน"
        "ของหน่วยงานภาครัฐ (ITA) อย่างน้อยเดือนละ 2 ครั้ง"
    )
    o1 = Finding.objects.get(plan__fiscal_year=2565, item__code="O1")
    assert "เพื่อการสืบค้นหาข้อมูลได้อย่างรวดเร็ว" in o1.analysis
    assert o1.issues == "- ควรเพิ่มเติมการแสดงความสัมพันธ์ของโครงสร้างหน่วยงานทั้งหมดของกรุงเทพมหานคร"


def test_responsible_cells_become_lead_and_divisions(demo):
    def actions_of(code):
        return Action.objects.filter(finding__plan__fiscal_year=2565, finding__item__code=code)

    i1 = actions_of("I1").get()
    assert (i1.lead_division.name, i1.all_divisions) == ("ฝ่ายปกครอง", True)
    o21 = actions_of("O21").get()  # printed "ฝ่ายคลัง"
    assert (o21.lead_division.name, o21.all_divisions) == ("ฝ่ายการคลัง", False)
    o22 = actions_of("O22")
    assert {(a.lead_division, a.all_divisions) for a in o22} == {(None, True)}
    assert actions_of("O1").filter(lead_division__name="ฝ่ายปกครอง").count() == 3


def test_windows_and_methods_as_printed_and_empty_cells_stay_empty(demo):
    i1 = Action.objects.get(finding__plan__fiscal_year=2565, finding__item__code="I1")
    assert (i1.starts_on, i1.due_on) == (date(2021, 10, 1), date(2022, 6, 30))
    assert i1.follow_up_method == "ไม่มีเรื่องร้องเรียนเกี่ยวกับประเด็นที่เกี่ยวข้อง"
    for code in ("O38", "O41"):
        action = Action.objects.get(finding__plan__fiscal_year=2565, finding__item__code=code)
        assert (action.starts_on, action.due_on, action.follow_up_method) == (None, None, "")
    methods = set(Action.objects.values_list("follow_up_method", flat=True))
    assert methods == {
        "",
        "ผลการดำเนินงานบนเว็บไซต์สำนักงานเขตพระโขนง",
        "ไม่มีเรื่องร้องเรียนเกี่ยวกับประเด็นที่เกี่ยวข้อง",
    }


def test_phra_khanong_has_its_ten_divisions(demo):
    names = list(Division.objects.filter(organization__code="1009").values_list("name", flat=True))
    assert len(names) == 10
    assert names[:3] == ["ฝ่ายปกครอง", "ฝ่ายทะเบียน", "ฝ่ายการคลัง"]


def test_loading_twice_changes_nothing(demo):
    before = DemoCounts.now()
    history_before = Action.history.count() + Finding.history.count() + ItemScore.history.count()
    load_demo(with_users=True)
    assert DemoCounts.now() == before
    history_after = Action.history.count() + Finding.history.count() + ItemScore.history.count()
    assert history_after == history_before


def test_the_admin_shows_phra_khanongs_plan(demo, client):
    client.force_login(get_user_model().objects.get(username="admin"))
    plan = Plan.objects.get(organization__code="1009", fiscal_year=2565)
    page = client.get(f"/admin/plans/plan/{plan.pk}/change/")
    assert page.status_code == 200
    assert "ควรแสดงความสัมพันธ์ถึงโครงสร้างขนาดใหญ่ของกรุงเทพมหานคร" in page.text
    actions = client.get("/admin/plans/action/", {"q": "BMA Q"})
    assert actions.status_code == 200
    assert "แอปพลิเคชัน BMA Q" in actions.text
    findings = client.get("/admin/plans/finding/", {"item__indicator__tool__code": "OIT"})
    assert findings.status_code == 200
    assert findings.context["cl"].result_count == 43
