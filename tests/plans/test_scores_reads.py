"""The scores page reads its data in a handful of plain statements whatever the number of
years and editions, and those statements read what the ORM read (figures as two-decimal
Decimals, reported figures in order, plans with the items their actions address)."""

from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import rollup, scoring
from assessments.models import ItemLink, LevelBand, ReportedScore
from plans import dashboard_charts, dashboards
from plans.models import Action, Finding
from tests.factories import make_assessment, make_framework, make_organization, make_plan, make_user

pytestmark = pytest.mark.django_db

SCORES = {"I1": "90", "I2": "60.5", "E1": "70", "O1": "0", "O4": "100"}
# The whole page for a district manager, computed: session, user, access, membership, data
# versions, menu, district links, the offer to start a plan, and the page's own 6 reads.
PAGE_QUERIES = 16


@pytest.fixture
def district(db):
    return make_organization()


@pytest.fixture
def linked(district):
    """2564 and 2565, their items linked; this year's plan acts on I2 only."""
    old = make_framework(fiscal_year=2564)
    new = make_framework(fiscal_year=2565, name="ITA 2565")
    new_items = {item.code: item for item in new.items.all()}
    for item in old.items.all():
        ItemLink.objects.create(
            from_item=item, to_item=new_items[item.code], status=ItemLink.Status.CONFIRMED
        )
    make_assessment(district, old, {**SCORES, "I1": "80"})
    assessment = make_assessment(district, new, SCORES)
    plan = make_plan(assessment, 2566)
    acted = Finding.objects.create(plan=plan, item=new_items["I2"])
    Action.objects.create(finding=acted, text="ปรับปรุงข้อ I2", all_divisions=True)
    Finding.objects.create(plan=plan, item=new_items["E1"])  # a finding without an action
    return assessment


def statements(assessment) -> tuple[int, dashboards.ScoresPage]:
    with CaptureQueriesContext(connection) as queries:
        page = dashboards.scores_page(assessment)
    return len(queries.captured_queries), page


def test_the_scores_page_reads_in_six_statements_whatever_the_years(district, linked):
    count, page = statements(linked)
    assert count == 6
    assert page.previous.assessment.framework.fiscal_year == 2564
    for year in (2561, 2562, 2563):
        make_assessment(district, make_framework(fiscal_year=year, name=f"ITA {year}"), SCORES)
    # Another edition of this year too: offered, not read.
    make_assessment(district, make_framework(fiscal_year=2565, name="ITA ระดับประเทศ"), SCORES)
    count, page = statements(linked)
    assert count == 6
    assert [year.year for year in page.trend.years] == [2561, 2562, 2563, 2564, 2565]
    assert [other.framework.name for other in page.other_editions] == ["ITA ระดับประเทศ"]


def test_without_a_year_before_no_links_are_read(district):
    assessment = make_assessment(district, make_framework(fiscal_year=2564), SCORES)
    count, page = statements(assessment)
    assert count == 5
    assert page.previous is None and page.plans == []


def test_the_computed_page_stays_within_its_queries(
    client, district, linked, django_assert_max_num_queries
):
    client.force_login(make_user("manager", organization=district, role="district_manager"))
    cache.clear()
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = client.get(reverse("scores", args=[district.code, 2565]))
    assert response.status_code == 200
    assert "ITA 2565" in response.content.decode()


def test_the_page_reads_the_scores_names_and_actions(linked):
    _, page = statements(linked)
    rows = {row.item.code: row for row in page.items}
    # Only scored items, in the edition's order, with this year's names.
    assert list(rows) == ["I1", "I2", "E1", "O1", "O4"]
    assert rows["I2"].score == D("60.50") and str(rows["I2"].score) == "60.50"
    assert rows["I1"].previous == D("80.00") and rows["I1"].change == D("10.00")
    assert rows["I1"].item.name == linked.framework.items.get(code="I1").name
    assert {code for code, row in rows.items() if row.has_action} == {"I2"}
    [plan] = page.plans
    assert plan.fiscal_year == 2566
    assert plan.url == reverse("plan_detail", args=[linked.organization.code, 2566])
    assert plan.progress_url == reverse("plan_progress", args=[linked.organization.code, 2566])


def test_a_plan_without_findings_is_still_linked(district):
    assessment = make_assessment(district, make_framework(fiscal_year=2564), SCORES)
    make_plan(assessment, 2565)
    _, page = statements(assessment)
    assert [plan.fiscal_year for plan in page.plans] == [2565]
    assert not any(row.has_action for row in page.items)


def test_specs_read_as_the_orm_read_them(db):
    framework = make_framework(fiscal_year=2566, name="ITA ระดับประเทศ")
    framework.bands.all().delete()
    for label, minimum, each in [("ผ่าน", "85", None), ("ผ่านดี", "85", "85"), ("ต่ำ", "0", None)]:
        LevelBand.objects.create(
            framework=framework,
            label=label,
            min_score=D(minimum),
            min_each_tool=D(each) if each else None,
        )
    spec = rollup.framework_spec(framework)
    assert [(tool.code, str(tool.weight)) for tool in spec.tools] == [
        ("IIT", "30.00"),
        ("EIT", "30.00"),
        ("OIT", "40.00"),
    ]
    assert [(ind.number, ind.tool_code) for ind in spec.indicators] == [
        (1, "IIT"),
        (6, "EIT"),
        (9, "OIT"),
    ]
    assert spec.indicators[0].item_codes == tuple(f"I{n}" for n in range(1, 7))
    assert spec.checklist == frozenset({"O1", "O2", "O3", "O4"})
    # Highest first: the tool minimum ranks ผ่านดี above ผ่าน at the same total.
    assert [(band.label, str(band.min_score)) for band in spec.bands] == [
        ("ผ่านดี", "85.00"),
        ("ผ่าน", "85.00"),
        ("ต่ำ", "0.00"),
    ]
    assert str(spec.bands[0].min_each_tool) == "85.00"
    assert rollup.framework_specs([]) == {}


def test_stored_figures_are_two_decimal_decimals():
    assert str(rollup.stored_figure(30)) == "30.00"
    assert str(rollup.stored_figure(84.67)) == "84.67"
    assert rollup.stored_figure(None) is None
    assert str(rollup.stored_figure(D("75.50"))) == "75.50"


def test_reported_figures_keep_their_order_and_keys(district):
    framework = make_framework(fiscal_year=2564)
    assessment = make_assessment(district, framework, SCORES)
    item = framework.items.get(code="I1")
    indicator = framework.indicators.get(number=6)
    tool = framework.tools.get(code="OIT")
    for scope, fields, value in [
        ("tool", {"tool": tool}, "25.24"),
        ("item", {"item": item}, "90"),
        ("total", {}, "70.5"),
        ("indicator", {"indicator": indicator}, "70"),
    ]:
        ReportedScore.objects.create(
            assessment=assessment, scope=scope, value=D(value), source="ประกาศ", **fields
        )
    figures = rollup.reported_figures(assessment)
    assert [(f.scope, f.key, str(f.value)) for f in figures] == [
        ("indicator", 6, "70.00"),
        ("item", "I1", "90.00"),
        ("tool", "OIT", "25.24"),
        ("total", None, "70.50"),
    ]
    assert {f.source for f in figures} == {"ประกาศ"}


def test_the_lift_plans_and_gap_are_the_same_with_the_summary_given(district, linked):
    spec = rollup.framework_spec(linked.framework)
    scores = {code: D(value) for code, value in SCORES.items()}
    summary = scoring.summarize(spec, scores)
    for target in (spec.pass_mark, scoring.HUNDRED):
        assert scoring.lift_plan(spec, scores, target, summary) == scoring.lift_plan(
            spec, scores, target
        )
    assert scoring.level_gap(spec, scores, summary) == scoring.level_gap(spec, scores)
    assert scoring.lift_plan(spec, scores, spec.pass_mark)  # there is something to lift


def test_the_table_rows_are_escaped_as_the_template_escaped_them():
    tables = dashboard_charts.ScoresTables(
        indicators=[("1. <ก>", "30", "84.50", "25.35", "+1.00", False)],
        trend=[("tool", "<IIT>", ["84.50", "—"])],
        weakest=[("I1", 'ข้อ "<b>"', "60.50", "—", False)],
        unplanned=[("I1", "<b>ข้อ</b>", "60.50")],
        tools=[("<IIT>", "30", "84.50", "25.35", None), ("EIT", "30", "—", "", "−1.00")],
    )
    kpis = tables.tools_html
    assert '<span class="kpi-label">&lt;IIT&gt; (น้ำหนัก 30%)</span>' in kpis
    assert '<span class="kpi-note">25.35 คะแนนถ่วงน้ำหนัก</span>' in kpis  # no change known
    assert '<span class="kpi-value">—</span>' in kpis
    assert '<span class="kpi-note"> คะแนนถ่วงน้ำหนัก · −1.00</span>' in kpis
    assert '<th scope="row">1. &lt;ก&gt;</th>' in tables.indicators_html
    assert '<span class="status status-fail">ต่ำกว่าเกณฑ์</span>' in tables.indicators_html
    assert '<th scope="row">&lt;IIT&gt;</th><td>84.50</td><td>—</td>' in tables.trend_html
    assert "ข้อ &quot;&lt;b&gt;&quot;" in tables.weakest_html
    assert "<strong>ยังไม่มี</strong>" in tables.weakest_html
    assert tables.unplanned_html == "<li><strong>I1</strong> &lt;b&gt;ข้อ&lt;/b&gt; — 60.50</li>"
    rows = [(True, "O1", "<ข้อ>", "0.00 → 100", "12.00", "82.00", None)]
    html = dashboard_charts.lift_html(rows)
    assert '<tr class="row-lift"><td data-label="ลำดับ">1</td>' in html
    assert "&lt;ข้อ&gt;" in html and '<td data-label="ระดับ">None</td>' in html
    assert "ทุกข้อผ่านเกณฑ์แล้ว" in dashboard_charts.lift_html([])
