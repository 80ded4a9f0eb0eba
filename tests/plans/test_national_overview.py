"""The overview of every agency: a page of 50, filtered by parent, kind and name or code,
sorted on the server, with headline figures over the whole filtered set."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import summaries
from assessments.models import Assessment, ItemScore, Organization
from plans.models import Action, Finding, Plan
from tests.factories import make_assessment, make_framework, make_organization, make_user
from tests.plans.role_pages import central_user

pytestmark = pytest.mark.django_db

URL = reverse("overview", args=[2564])
Kind = Organization.Kind


def scores(iit: int, eit: int, oit_passed: int) -> dict[str, str]:
    """Every IIT item at ``iit``, every EIT item at ``eit``, ``oit_passed`` of 4 OIT at 100."""
    return {
        **{f"I{n}": str(iit) for n in range(1, 7)},
        **{f"E{n}": str(eit) for n in range(1, 6)},
        **{f"O{n}": "100" if n <= oit_passed else "0" for n in range(1, 5)},
    }


@pytest.fixture
def world():
    """A ministry with three departments (one unassessed), a province with two local bodies,
    the BMA's central office with two districts. Totals: 0.3 IIT + 0.3 EIT + 0.4 OIT."""
    framework = make_framework()
    bma = make_organization(code="10", name_th="กรุงเทพมหานคร", kind=Kind.CENTRAL)
    ministry = make_organization(code="M1", name_th="กระทรวงหนึ่ง", kind=Kind.MINISTRY)
    province = make_organization(code="P1", name_th="จังหวัดหนึ่ง", kind=Kind.PROVINCE)
    agencies = {}
    for code, name, kind, parent, figures in [
        ("D1", "กรมหนึ่ง", Kind.DEPARTMENT, ministry, (90, 80, 4)),  # 27 + 24 + 40 = 91.00
        ("D2", "กรมสอง", Kind.DEPARTMENT, ministry, (80, 80, 3)),  # 24 + 24 + 30 = 78.00
        ("D3", "กรมสาม", Kind.DEPARTMENT, ministry, None),
        ("L1", "เทศบาลหนึ่ง", Kind.LOCAL, province, (100, 100, 4)),  # 100.00
        ("L2", "เทศบาลสอง", Kind.LOCAL, province, (60, 50, 2)),  # 18 + 15 + 20 = 53.00
        ("1001", "เขตพระนคร", Kind.DISTRICT, bma, (90, 90, 4)),  # 27 + 27 + 40 = 94.00
        ("1002", "เขตดุสิต", Kind.DISTRICT, bma, (70, 70, 3)),  # 21 + 21 + 30 = 72.00
    ]:
        agencies[code] = make_organization(code=code, name_th=name, kind=kind, parent=parent)
        if figures:
            make_assessment(agencies[code], framework, scores(*figures))
    return {"framework": framework, "bma": bma, "M1": ministry, "P1": province, **agencies}


def codes(response) -> list[str]:
    return [row.assessment.organization.code for row in response.context["overview"].rows]


def add_plan(organization, statuses: list[str], due_on: date):
    assessment = Assessment.objects.get(organization=organization)
    plan = Plan.objects.create(organization=organization, assessment=assessment, fiscal_year=2565)
    finding = Finding.objects.create(plan=plan, item=assessment.framework.items.first())
    for status in statuses:
        done = status == Action.Status.DONE
        Action.objects.create(
            finding=finding,
            text="ปรับปรุง",
            all_divisions=True,
            status=status,
            due_on=due_on,
            progress=100 if done else 0,
            completed_on=due_on if done else None,
        )
    return plan


def many_local_bodies(province, framework, count: int):
    """``count`` local bodies of the province, each assessed (bulk: no signals)."""
    Organization.objects.bulk_create(
        Organization(
            code=f"{province.code}L{n:03d}",
            name_th=f"อบต. {n:03d}",
            kind=Kind.LOCAL,
            parent=province,
        )
        for n in range(count)
    )
    bodies = Organization.objects.filter(parent=province, code__startswith=f"{province.code}L")
    Assessment.objects.bulk_create(Assessment(organization=o, framework=framework) for o in bodies)
    items = list(framework.items.all())
    assessments = list(Assessment.objects.filter(organization__in=bodies))
    ItemScore.objects.bulk_create(
        ItemScore(assessment=a, item=item, score=D(60 + n % 40))
        for n, a in enumerate(assessments)
        for item in items
    )
    summaries.refresh(a.pk for a in assessments)


def test_headline_figures_over_every_agency_by_hand(client, world):
    client.force_login(central_user(world["bma"]))
    overview = client.get(URL, {"parent": ""}).context["overview"]
    headline = overview.headline
    # Assessed: D1 D2 L1 L2 1001 1002; without data: D3, the ministry and the province (the
    # central office runs the tracker: not counted).
    assert (headline.assessed, headline.unassessed, headline.agencies) == (6, 3, 9)
    assert headline.average == D("81.33")  # (91 + 78 + 100 + 53 + 94 + 72) / 6 = 81.333…
    assert (headline.passing, headline.pass_share) == (3, D("50.00"))  # 91, 100, 94 ≥ 85
    assert headline.levels == [("AA", 1), ("A", 2), ("B", 1), ("C", 1), ("E", 1)]
    assert codes(client.get(URL, {"parent": ""})) == ["L1", "1001", "D1", "D2", "1002", "L2"]
    assert [org.code for org in overview.unassessed] == ["D3", "M1", "P1"]


def test_the_bma_central_manager_lands_on_its_districts(client, world):
    client.force_login(central_user(world["bma"]))
    response = client.get(URL)
    assert codes(response) == ["1001", "1002"]
    assert response.context["overview"].headline.average == D("83.00")  # (94 + 72) / 2
    html = response.content.decode()
    assert 'name="parent" value="10"' in html and "กรมหนึ่ง" not in html
    # A superuser, member of nothing, sees every agency.
    client.force_login(make_user("root", is_superuser=True))
    assert len(codes(client.get(URL))) == 6


def test_filtered_by_parent_kind_and_name_or_code(client, world):
    client.force_login(central_user(world["bma"]))
    by_ministry = client.get(URL, {"parent": "M1"})
    assert codes(by_ministry) == ["D1", "D2"]
    overview = by_ministry.context["overview"]
    assert (overview.headline.average, overview.headline.unassessed) == (D("84.50"), 1)
    assert [org.code for org in overview.unassessed] == ["D3"]
    assert overview.headline.levels == [("A", 1), ("B", 1)]
    assert codes(client.get(URL, {"parent": "", "kind": Kind.LOCAL})) == ["L1", "L2"]
    assert codes(client.get(URL, {"parent": "", "q": "d2"})) == ["D2"]
    assert codes(client.get(URL, {"parent": "", "q": "เทศบาลสอง"})) == ["L2"]
    assert client.get(URL, {"parent": "nowhere"}).status_code == 404
    # An unknown kind is no filter.
    assert len(codes(client.get(URL, {"parent": "", "kind": "planet"}))) == 6


def test_sorted_on_the_server_keeping_the_filters(client, world):
    past = date.today() - timedelta(days=10)
    add_plan(world["D1"], ["done", "done", "in_progress", "not_started"], past)  # 50 %, 2 late
    add_plan(world["D2"], ["not_started"], past)  # 0 %, 1 overdue
    add_plan(world["L1"], ["cancelled"], past)  # nothing counts: no share
    client.force_login(central_user(world["bma"]))
    query = {"parent": ""}
    assert codes(client.get(URL, {**query, "sort": "-progress"}))[:3] == ["D1", "D2", "1001"]
    assert codes(client.get(URL, {**query, "sort": "-overdue"}))[:2] == ["D1", "D2"]
    assert codes(client.get(URL, {**query, "sort": "name"})) == sorted(
        codes(client.get(URL, query)),
        key=lambda code: Organization.objects.get(code=code).name_th,
    )
    assert codes(client.get(URL, {**query, "sort": "code"})) == sorted(
        ["D1", "D2", "L1", "L2", "1001", "1002"]
    )
    assert codes(client.get(URL, {**query, "sort": "total"}))[0] == "L2"
    response = client.get(URL, {"parent": "M1", "sort": "-progress"})
    d1 = response.context["overview"].rows[0]
    assert (d1.actions, d1.done, d1.overdue, d1.percent_done) == (4, 2, 2, D("50.00"))
    html = response.content.decode()
    assert 'href="?parent=M1&amp;sort=progress"' in html  # the sort link keeps the filter


def test_paged_by_50_with_the_heat_map_of_the_page_only(client, world):
    many_local_bodies(world["P1"], world["framework"], 58)  # 60 local bodies in P1
    client.force_login(central_user(world["bma"]))
    first = client.get(URL, {"parent": "P1", "sort": "code"})
    overview = first.context["overview"]
    assert len(overview.rows) == 50 and overview.headline.assessed == 60
    assert len(first.context["heat"]) == 50
    assert 'href="?parent=P1&amp;sort=code&amp;page=2"' in first.content.decode()
    second = client.get(URL, {"parent": "P1", "sort": "code", "page": 2})
    assert len(second.context["overview"].rows) == 10
    assert not set(codes(first)) & set(codes(second))


def test_a_page_reads_as_many_queries_for_60_agencies_as_for_5(client, world):
    many_local_bodies(world["P1"], world["framework"], 3)  # L1, L2 and 3: 5
    other = make_organization(code="P2", name_th="จังหวัดสอง", kind=Kind.PROVINCE)
    many_local_bodies(other, world["framework"], 60)
    client.force_login(central_user(world["bma"]))
    client.get(URL)  # stores the year's headline cells, once for every scope
    counts = []
    for code in ("P1", "P2"):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL, {"parent": code, "sort": "-progress"})
        assert response.status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts
    # The frame's six (session, user, two of permissions, membership, data version), then the
    # years, the parent, the headline (with the count of agencies without data), the page's
    # assessments (sorted and read with what their rows show, in one), their plans with the
    # stored tallies, the heat map's indicators; sorted by progress, the agencies with a plan
    # (none here) and then the others, by code: one more.
    assert counts[0] <= 13, counts


@pytest.mark.parametrize("role", ["district_manager", "plan_owner"])
def test_only_users_who_see_every_organization_get_in(client, world, role):
    client.force_login(make_user("someone", organization=world["1001"], role=role))
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"parent": ""}).status_code == 403


def test_the_central_home_sums_up_its_default_scope(client, world):
    add_plan(world["1001"], ["not_started"], date.today() - timedelta(days=1))
    client.force_login(central_user(world["bma"]))
    bma = client.get(reverse("home")).context["bma"]
    assert (bma.districts, bma.assessed, bma.passing, bma.average) == (2, 2, 1, D("83.00"))
    assert (bma.with_plan, bma.overdue) == (1, 1)
    assert [row.assessment.organization.code for row in bma.lowest] == ["1002", "1001"]
    assert [row.assessment.organization.code for row in bma.most_overdue] == ["1001"]
