"""The overview read in plain statements (plans.overview_reads) gives the page the ORM's
path (plans.dashboards.overview) gives: headline, rows in order, plans and tallies, the
agencies without data, on every page, scope and order it handles; the rest goes the ORM's way."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import headlines, summaries
from assessments.models import Assessment, AssessmentSummary, NamePlace, Organization
from plans import dashboards, overview_reads
from plans.dashboards import OverviewScope
from plans.models import Action, PlanTally
from tests.factories import make_assessment, make_organization, make_user
from tests.plans.role_pages import central_user
from tests.plans.test_national_overview import add_plan, many_local_bodies, world  # noqa: F401

pytestmark = pytest.mark.django_db

TODAY = date(2025, 3, 1)
Status = Action.Status
PLAIN = [
    *("total", "-total", "code", "-code", "name", "-name"),
    *("progress", "-progress", "actions", "-actions", "unknown"),
]


def shown(page: dashboards.Overview) -> dict:
    """Everything the overview page prints of ``page``."""
    return {
        "headline": page.headline,
        "rows": [
            (
                row.assessment.pk,
                row.assessment.organization.code,
                row.assessment.organization.name_th,
                row.assessment.organization.is_simulated,
                row.summary.total,
                row.summary.level,
                row.summary.passed,
                row.summary.indicator_scores,
                row.plan.fiscal_year if row.plan else None,
                row.actions,
                row.done,
                row.cancelled,
                row.overdue,
                row.percent_done,
            )
            for row in page.rows
        ],
        "unassessed": [org.code for org in page.unassessed],
        "indicators": page.indicators,
        "pass_mark": page.pass_mark,
        "pages": (page.page.number, page.page.paginator.num_pages),
    }


def both(user, sort: str, scope: OverviewScope, number: int, size: int = 3):
    visible = Organization.objects.visible_to(user)
    orm = dashboards.overview(
        Assessment.objects.visible_to(user),
        2564,
        TODAY,
        sort,
        scope=scope,
        expected=scope.expected(visible),
        page=number,
        size=size,
    )
    plain = overview_reads.overview(user, 2564, TODAY, sort, scope=scope, page=number, size=size)
    return shown(plain), shown(orm)


@pytest.fixture
def planned(world):  # noqa: F811
    """The world with plans: two with overdue, done and cancelled actions, one empty."""
    past = TODAY - timedelta(days=10)
    add_plan(world["D1"], [Status.DONE, Status.NOT_STARTED, Status.CANCELLED], past)
    add_plan(world["L2"], [Status.IN_PROGRESS, Status.IN_PROGRESS], past)
    add_plan(world["1001"], [], TODAY)
    return world


@pytest.mark.parametrize("sort", ["-total", "total"])
def test_agencies_without_a_total_come_last_by_total_then_first(planned, sort):
    """A summary without a total (no scores yet) sorts as the lowest total: after the others
    descending, before them ascending, each part in code order, over page boundaries."""
    for code in ("X2", "X1"):
        organization = make_organization(code=code, parent=planned["M1"])
        summaries.refresh([make_assessment(organization, planned["framework"]).pk])
    assert AssessmentSummary.objects.filter(total__isnull=True).count() == 2
    user = central_user(planned["bma"])
    listed = []
    for number in (1, 2, 3):
        plain, orm = both(user, sort, OverviewScope(), number)
        assert plain == orm
        listed += [row[1] for row in plain["rows"]]
    assert len(listed) == 8
    assert listed[-2:] == ["X1", "X2"] if sort == "-total" else listed[:2] == ["X1", "X2"]


@pytest.mark.parametrize("sort", PLAIN)
@pytest.mark.parametrize(
    "scope",
    [
        {},
        {"parent": "M1"},
        {"parent": "P1", "kind": Organization.Kind.LOCAL},
        {"kind": Organization.Kind.DEPARTMENT},
        {"query": "กรม"},
        {"query": "d1"},  # the code, in another case
        {"query": "%"},  # a LIKE wildcard, matched as itself: nothing
        {"query": "เขต", "kind": Organization.Kind.DISTRICT},
    ],
)
def test_every_page_equals_the_orms(planned, sort, scope):
    user = central_user(planned["bma"])
    scope = OverviewScope(
        parent=planned[scope["parent"]] if "parent" in scope else None,
        kind=scope.get("kind", ""),
        query=scope.get("query", ""),
    )
    first_plain, first_orm = both(user, sort, scope, 1)
    assert first_plain == first_orm
    for number in range(2, first_plain["pages"][1] + 1):  # past the assessed: those without data
        plain, orm = both(user, sort, scope, number)
        assert plain == orm and (plain["rows"] or plain["unassessed"])


def test_the_figures_are_the_worlds(planned):
    """Not only equal to the ORM's: the figures themselves, by hand."""
    user = central_user(planned["bma"])
    page = overview_reads.overview(user, 2564, TODAY, "-total", scope=OverviewScope(), size=50)
    headline = page.headline
    # Assessed: D1 91, D2 78, L1 100, L2 53, 1001 94, 1002 72 (488 / 6); without data: D3,
    # the ministry and the province (the central office is not expected).
    assert (headline.assessed, headline.unassessed, headline.scored) == (6, 3, 6)
    assert headline.average == D("81.33")
    codes = [row.assessment.organization.code for row in page.rows]
    assert codes == ["L1", "1001", "D1", "D2", "1002", "L2"]
    d1, l2 = page.rows[2], page.rows[5]
    assert (d1.actions, d1.done, d1.cancelled, d1.overdue) == (3, 1, 1, 1)
    assert (l2.actions, l2.done, l2.overdue, l2.plan.fiscal_year) == (2, 0, 2, 2565)
    assert [org.code for org in page.unassessed] == ["D3", "M1", "P1"]


def test_the_handled_orders_never_reach_the_orms_path(planned, monkeypatch):
    user = central_user(planned["bma"])
    calls = []
    real = dashboards.overview
    monkeypatch.setattr(dashboards, "overview", lambda *a, **k: calls.append(a) or real(*a, **k))
    for sort in PLAIN:
        overview_reads.overview(user, 2564, TODAY, sort, scope=OverviewScope())
    assert calls == []
    overview_reads.overview(user, 2564, TODAY, "-overdue", scope=OverviewScope())
    assert len(calls) == 1  # by overdue actions (they depend on the day): the ORM's


def test_a_plan_without_its_tally_is_counted_once(planned):
    PlanTally.objects.all().delete()  # as after a bulk load without signals
    user = central_user(planned["bma"])
    page = overview_reads.overview(user, 2564, TODAY, "code", scope=OverviewScope(), size=50)
    d1 = next(row for row in page.rows if row.assessment.organization.code == "D1")
    assert (d1.actions, d1.done, d1.cancelled, d1.overdue) == (3, 1, 1, 1)
    assert PlanTally.objects.count() == 3


def test_summaries_not_stored_yet_are_stored_first(planned):
    AssessmentSummary.objects.all().delete()
    user = central_user(planned["bma"])
    page = overview_reads.overview(user, 2564, TODAY, "-total", scope=OverviewScope())
    assert page.headline.unsummarized == 0 and page.headline.assessed == 6
    assert page.rows[0].summary.total is not None
    assert AssessmentSummary.objects.count() == 6


def test_a_reader_of_some_organizations_sees_theirs_only(planned):
    """The function keeps the reading rule (the page itself is for central users only)."""
    user = make_user("reader", organization=planned["D1"], role="district_manager")
    plain, orm = both(user, "-total", OverviewScope(), 1, size=50)
    assert plain == orm
    assert [row[1] for row in plain["rows"]] == ["D1"]


def test_many_agencies_page_by_page(planned):
    many_local_bodies(planned["P1"], planned["framework"], 58)
    user = central_user(planned["bma"])
    scope = OverviewScope(parent=planned["P1"])
    seen = []
    for number in (1, 2):
        plain, orm = both(user, "name", scope, number, size=50)
        assert plain == orm
        seen += [row[1] for row in plain["rows"]]
    assert len(seen) == len(set(seen)) == 60


def test_an_organization_in_no_scope_is_counted_nowhere():
    empty = make_organization(code="X1", kind=Organization.Kind.CENTRAL)
    user = central_user(empty)
    page = overview_reads.overview(user, 2564, TODAY, "-total", scope=OverviewScope())
    assert page.rows == [] and page.headline.agencies == 0 and page.indicators == []


def test_the_page_reads_its_headline_and_its_rows_in_one_statement_each(client, planned, settings):
    """Prepared on PostgreSQL (``EXECUTE …``), the same plain statements on SQLite; the rows'
    plans and tallies come with them, not in a query of their own; the headline of a reader
    who sees every agency from the year's stored cells, not the live aggregate."""
    settings.ITA_DASHBOARD_CACHE_SECONDS = 0  # every request computes the page
    client.force_login(central_user(planned["bma"]))
    query = {"parent": "", "sort": "-total"}
    # Counts the empty plan's tally once and stores the year's headline cells.
    client.get(reverse("overview", args=[2564]), query)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("overview", args=[2564]), query)
    assert response.status_code == 200 and len(response.context["overview"].rows) == 6
    sqls = [query["sql"] for query in captured.captured_queries]

    def statements(label: str, marker: str) -> list[str]:
        return [sql for sql in sqls if sql.startswith(f"EXECUTE {label}_") or marker in sql]

    headline, rows = (
        statements("headline_cells", 'LEFT JOIN "assessments_headlinecell" c'),
        statements("overview_rows", "WITH page AS"),
    )
    assert len(headline) == 1 and len(rows) == 1, sqls
    assert not [sql for sql in sqls if "GROUP BY s.level" in sql or "overview_headline" in sql]
    if connection.vendor == "postgresql":
        assert headline[0].startswith("EXECUTE") and rows[0].startswith("EXECUTE")
    assert not [sql for sql in sqls if 'FROM "plans_plantally"' in sql], sqls


@pytest.mark.parametrize("sort", ["name", "-name", "progress", "-progress", "-actions"])
def test_ties_keep_the_orms_order_from_the_stored_places(planned, sort):
    """Equal names share a place, agencies without a plan have no progress nor actions:
    within a tie, by code then id, both ways, as the ORM sorts."""
    for code in ("Z9", "Z1", "Z5"):
        organization = make_organization(code=code, name_th="กรมเดียวกัน", parent=planned["M1"])
        summaries.refresh([make_assessment(organization, planned["framework"]).pk])
    user = central_user(planned["bma"])
    listed = []
    for number in (1, 2, 3, 4):
        plain, orm = both(user, sort, OverviewScope(), number)
        assert plain == orm
        listed += [row[1] for row in plain["rows"]]
    same = [code for code in listed if code.startswith("Z")]
    assert same == ["Z1", "Z5", "Z9"]


@pytest.mark.parametrize("sort", ["name", "-progress", "actions"])
def test_places_dropped_after_the_headline_are_sorted_live(planned, sort, monkeypatch):
    """The page of a reader who sees every agency is read from the year's stored places; a
    change between the headline and the rows drops them: the page is sorted live, not shown
    empty."""
    user = central_user(planned["bma"])
    first = overview_reads.overview(user, 2564, TODAY, sort, scope=OverviewScope(), size=3)
    assert NamePlace.objects.filter(fiscal_year=2564).count() == first.headline.assessed == 6
    key, descending = sort.lstrip("-"), sort.startswith("-")
    part, sources = overview_reads._part, []

    def noting_the_source(source, *args):
        sources.append("places" if source.placed else "live")
        return part(source, *args)

    monkeypatch.setattr(overview_reads, "_part", noting_the_source)

    def rows_4_to_6():
        sources.clear()
        found = overview_reads._rows(
            user, 2564, OverviewScope(), key, descending, 3, 6, TODAY, first.headline.assessed
        )
        return [row.assessment.pk for row in found], set(sources)

    expected = [row.assessment.pk for row in both_rows(user, sort)]
    assert rows_4_to_6() == (expected, {"places"})
    headlines.forget([2564])
    assert rows_4_to_6() == (expected, {"places", "live"})


def both_rows(user, sort):
    """Rows 4–6 through the ORM's path."""
    visible = Organization.objects.visible_to(user)
    return dashboards.overview(
        Assessment.objects.visible_to(user),
        2564,
        TODAY,
        sort,
        scope=OverviewScope(),
        expected=OverviewScope().expected(visible),
        page=2,
        size=3,
    ).rows
