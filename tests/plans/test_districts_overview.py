"""The list of districts, the overview of every district and the links between a district's
pages."""

import pytest
from django.urls import reverse

from assessments.models import Organization
from tests.factories import (
    make_assessment,
    make_organization,
    make_plan,
)
from tests.plans.role_pages import central_user, page, small_plan_with_scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def small():
    return small_plan_with_scores()


# --- Districts list -------------------------------------------------------------------------


def test_districts_list_links_each_district_and_searches(client, small, other_district):
    make_organization(code="1099", name_th="เขตจำลอง", is_simulated=True)
    response = page(client, central_user(small.organization), reverse("districts"))
    html = response.content.decode()
    assert reverse("scores", args=["1009", 2564]) in html
    assert reverse("plan_detail", args=["1009", 2565]) in html
    assert "เขตคลองเตย" in html and "ไม่มีข้อมูล" in html
    assert 'class="badge simulated"' in html
    found = client.get(reverse("districts"), {"q": "คลองเตย"}).context["page"]
    assert [org.code for org in found] == ["1033"]


def test_a_district_user_lists_only_their_own_district(client, small, other_district):
    found = page(client, small.staff, reverse("districts")).context["page"]
    assert [org.code for org in found] == ["1009"]


# --- Overview -------------------------------------------------------------------------------


def test_overview_lists_every_district_even_without_data(client, small):
    for number in range(49):
        make_organization(code=f"80{number:02d}", name_th=f"เขตไม่มีข้อมูล {number}")
    response = page(client, central_user(small.organization), reverse("overview", args=[2564]))
    overview = response.context["overview"]
    assert len(overview.rows) + len(overview.unassessed) == 50
    html = response.content.decode()
    assert html.count('class="no-data"') == 49
    assert "เขตไม่มีข้อมูล 48" in html


def test_overview_of_a_plan_year_shows_the_assessment_it_answers(client, small):
    client.force_login(central_user(small.organization))
    response = client.get(reverse("overview", args=[2565]))  # plan 2565 answers 2564
    assert response.status_code == 302
    assert response["Location"] == reverse("overview", args=[2564])
    assert client.get(reverse("overview", args=[2590])).status_code == 404


def test_overview_marks_simulated_districts(client, small):
    Organization.objects.filter(code="1009").update(is_simulated=True)
    html = page(
        client, central_user(small.organization), reverse("overview", args=[2564])
    ).content.decode()
    assert 'class="badge simulated"' in html


def test_staff_may_not_open_the_overview_or_another_districts_pages(client, small, other_district):
    make_plan(make_assessment(other_district, small.plan.assessment.framework), 2565)
    client.force_login(small.staff)
    assert client.get(reverse("overview", args=[2564])).status_code == 403
    assert client.get(reverse("plan_detail", args=["1033", 2565])).status_code == 404


# --- District navigation --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        reverse("plan_detail", args=["1009", 2565]),
        reverse("plan_progress", args=["1009", 2565]),
        reverse("scores", args=["1009", 2564]),
        reverse("oit:readiness", args=["1009", 2564]),
        reverse("plan_report", args=["1009", 2565]),
    ],
)
def test_every_district_page_links_its_siblings(client, small, url):
    html = page(client, small.owner, url).content.decode()
    nav = html.split('class="district-nav', 1)[1].split("</nav>", 1)[0]
    for sibling in (
        reverse("plan_detail", args=["1009", 2565]),
        reverse("plan_progress", args=["1009", 2565]),
        reverse("scores", args=["1009", 2564]),
    ):
        assert sibling in nav or 'aria-current="page"' in nav


def test_a_dashboard_cached_in_thai_is_not_served_in_english(client, small, other_district):
    client.force_login(central_user(small.organization))
    url = reverse("overview", args=[2564])
    assert "ไม่มีข้อมูลปีนี้" in client.get(url).content.decode()
    client.cookies["django_language"] = "en"
    html = client.get(url).content.decode()
    assert "ไม่มีข้อมูลปีนี้" not in html
    assert "no data this year" in html
