"""What every signed-in page pays (the menu, a district page's links) and the reads of the
scores and progress dashboards when they are computed: few queries, the same HTML."""

from datetime import date

import pytest
from django.db import connection
from django.template.defaultfilters import truncatechars
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Assessment, sees_all_organizations
from plans import dashboard_charts, dashboards, navigation
from plans.charts import Bar, bar_chart
from plans.models import Action
from tests.factories import make_assessment, make_framework, make_user
from tests.plans.role_pages import central_user, page, small_plan_with_scores

pytestmark = pytest.mark.django_db

# Computed (cache off), session and user included: the scores page read 23 queries and the
# progress page 16 before their plans were read with their office and the menu's two reads
# became one.
SCORES_QUERIES = 22
PROGRESS_QUERIES = 15


@pytest.fixture
def world(settings):
    settings.ITA_DASHBOARD_CACHE_SECONDS = 0
    return small_plan_with_scores()


def _queries(client, user, url) -> list[str]:
    client.force_login(user)
    client.get(url)  # sign-in bookkeeping out of the way
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_the_computed_dashboards_stay_within_their_queries(client, world):
    central = central_user(world.organization)
    code, year = world.organization.code, world.plan.fiscal_year
    scores = reverse("scores", args=[code, world.plan.assessment.framework.fiscal_year])
    progress = reverse("plan_progress", args=[code, year])
    assert len(_queries(client, central, scores)) <= SCORES_QUERIES
    assert len(_queries(client, central, progress)) <= PROGRESS_QUERIES


def test_the_menu_reads_the_membership_and_the_latest_year_at_once(world):
    central = central_user(world.organization)
    sees_all_organizations(central)  # asked by any page before its menu
    with CaptureQueriesContext(connection) as queries:
        menu = navigation.menu_for(central, date(2022, 2, 1))
    assert len(queries.captured_queries) == 1
    assert "overview" in menu.keys
    year = world.plan.assessment.framework.fiscal_year
    assert next(link for link in menu.links if link.key == "bma_oit").url == reverse(
        "oit:bma", args=[year]
    )
    # The membership is left on the user: reading it again asks nothing.
    with CaptureQueriesContext(connection) as again:
        assert central.membership.role == "central_manager"
    assert len(again.captured_queries) == 0


def test_the_latest_year_is_that_of_an_edition_in_use(world):
    make_framework(2590, name="ชุดที่ยังไม่มีผู้ใช้")  # an edition no assessment uses yet
    used = Assessment.objects.order_by("-framework__fiscal_year").first().framework.fiscal_year
    assert navigation.latest_assessment_year() == used
    make_assessment(world.organization, make_framework(2570, name="ชุดถัดไป"))
    assert navigation.latest_assessment_year() == 2570


def test_a_district_page_reads_the_district_years_once_for_the_menu_and_its_links(client, world):
    manager = make_user("manager", organization=world.organization, role="district_manager")
    url = reverse("plan_progress", args=[world.organization.code, world.plan.fiscal_year])
    queries = _queries(client, manager, url)
    # The plain statement, or on PostgreSQL the same statement prepared (ita_tracker.prepared).
    years = ("SELECT p.fiscal_year, f.fiscal_year", "EXECUTE district_years_")
    plan_years = [sql for sql in queries if sql.startswith(years)]
    assert len(plan_years) == 1
    html = page(client, manager, url).content.decode()
    assert 'data-menu="progress"' in html and "district-nav-years" in html


def test_the_progress_lists_are_printed_from_ready_rows(world):
    action = world.action  # due 31 March 2022, not started
    today = date(2022, 4, 2)
    progress = dashboards.progress_page(world.plan, Action.objects.filter(pk=action.pk), today)
    [row] = dashboard_charts.action_rows(progress, progress.overdue)
    assert row.code == "O1"
    assert row.url == reverse("action_detail", args=[action.pk])
    assert row.division == "ฝ่ายการคลัง"
    assert row.due == "31 มี.ค. 2565"
    assert row.overdue is True
    assert row.status_label == "ยังไม่เริ่ม"


def test_the_progress_page_prints_an_overdue_action_as_before(client, world):
    Action.objects.filter(pk=world.action.pk).update(
        starts_on=date(1999, 10, 1), due_on=date(2000, 1, 1), text="งาน <ด่วน>"
    )
    central = central_user(world.organization)
    url = reverse("plan_progress", args=[world.organization.code, world.plan.fiscal_year])
    html = page(client, central, url).content.decode()
    address = reverse("action_detail", args=[world.action.pk])
    assert f'<a href="{address}">งาน &lt;ด่วน&gt;</a>' in html
    assert '<span class="status status-overdue">เลยกำหนด</span>' in html
    assert "1 ม.ค. 2543" in html


def test_a_chart_table_escapes_its_cells_and_links():
    chart = bar_chart("ชื่อ", [Bar("<b>ฝ่าย</b>", 50, href="/a?x=1&y=2"), Bar("ว่าง", None)])
    body = str(chart.table_body)
    assert '<a href="/a?x=1&amp;y=2">&lt;b&gt;ฝ่าย&lt;/b&gt;</a>' in body
    assert '<tr><th scope="row">ว่าง</th><td>ไม่มีข้อมูล</td></tr>' in body
    assert "<b>" not in body


def test_the_scores_tables_format_as_the_filters_did(world):
    assessment = world.plan.assessment
    scores = dashboards.scores_page(assessment)
    tables = dashboard_charts.scores_tables(scores)
    label, weight, score, points, change, passes = tables.indicators[0]
    assert weight == f"{first_weight(scores)}"
    assert points == f"{scores.indicators[0].points:.2f}"
    first = scores.indicators[0]
    assert label == f"{first.key}. {first.name}"
    assert score == f"{first.score:.2f}"
    assert change == "—"  # no year before
    assert passes == first.passes
    assert tables.trend[0][0] == "total"
    assert dashboard_charts.signed(None) == ""
    assert dashboard_charts.signed("-0.5") == "−0.50"


def first_weight(scores) -> str:
    return f"{scores.indicators[0].weight:.0f}"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "สั้น",
        "ก" * 120,
        "ก" * 121,
        # Thai marks count for nothing: 120 letters with their marks are not cut.
        "กิ่" * 120,
        "กิ่" * 121,
        "ปรับปรุงการเปิดเผยข้อมูลสาธารณะบนเว็บไซต์ของหน่วยงาน " * 4,
        # Decomposed: read composed, as the filter reads it.
        "e\u0301" * 119 + "x",
        "e\u0301" * 121,
    ],
)
def test_a_list_row_cuts_its_text_as_the_truncatechars_filter(text):
    for length in (1, 60, 80, 120):
        assert dashboard_charts.cut(text, length) == truncatechars(text, length)
