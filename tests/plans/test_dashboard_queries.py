"""Each dashboard runs the same number of SQL queries for 1 district as for 50, and a page
served from the cache only checks access and reads the data versions."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Organization
from plans import page_rows
from plans.synthetic import generate
from tests.factories import make_organization

pytestmark = pytest.mark.django_db

SMALL = {"years": (2563, 2564, 2565), "actions_per_weak_item": 2, "reports_per_action": 2}
# The most any dashboard may run, whatever the data size (session and user included).
MAX_QUERIES = 25
# From the cache: session, user, the access check (the page's object and, for a central
# manager, their two permission reads), the membership, the data versions (one query), and
# the menu's latest assessment year.
MAX_CACHED_QUERIES = 8


def dashboard_urls():
    first = Organization.objects.filter(kind="district").order_by("code").first().code
    return {
        "scores": reverse("scores", args=[first, 2565]),
        "progress": reverse("plan_progress", args=[first, 2566]),
        "overview": reverse("overview", args=[2565]),
    }


def districts_count() -> int:
    return Organization.objects.filter(kind=Organization.Kind.DISTRICT).count()


def queries_per_page(client, django_assert_max_num_queries) -> dict[str, int]:
    counts = {}
    for page, url in dashboard_urls().items():
        cache.clear()  # measure the computing path
        # From no kept page row (plans.page_rows): a row kept from before the data changed
        # costs one more query, its version found moved, whatever the data's size.
        page_rows.forget()
        with django_assert_max_num_queries(MAX_QUERIES), CaptureQueriesContext(connection) as q:
            response = client.get(url)
        assert response.status_code == 200, page
        counts[page] = len(q.captured_queries)
    return counts


def test_dashboards_run_as_many_queries_for_50_districts_as_for_1(
    client, demo, django_assert_max_num_queries
):
    client.force_login(get_user_model().objects.get(username="central"))
    generate(districts=1, **SMALL)
    # Districts with no data at all are counted and listed too, in the same queries.
    bma = Organization.objects.get(code="10")
    for number in range(3):
        make_organization(code=f"99{number:02d}", name_th=f"เขตว่าง {number}", parent=bma)
    one = queries_per_page(client, django_assert_max_num_queries)
    overview = client.get(dashboard_urls()["overview"]).context["overview"]
    assert len(overview.rows) == 1
    assert overview.headline.assessed + overview.headline.unassessed == districts_count()

    generate(districts=50, **SMALL)
    fifty = queries_per_page(client, django_assert_max_num_queries)
    overview = client.get(dashboard_urls()["overview"]).context["overview"]
    assert len(overview.rows) == 50
    assert overview.headline.assessed + overview.headline.unassessed == districts_count()

    # The overview's first page: 1 district and 49 without data (both parts read) for one,
    # 50 districts with data for fifty; the size never adds a query.
    assert fifty["overview"] <= one["overview"], (one, fifty)
    assert {**fifty, "overview": 0} == {**one, "overview": 0}, (one, fifty)


def test_a_cached_dashboard_only_checks_access_and_the_version(
    client, demo, django_assert_max_num_queries
):
    client.force_login(get_user_model().objects.get(username="central"))
    generate(districts=2, **SMALL)
    for page, url in dashboard_urls().items():
        first = main(client.get(url))
        with django_assert_max_num_queries(MAX_CACHED_QUERIES):
            again = main(client.get(url))
        assert again == first, page


def main(response) -> str:
    """The page's content (the header around it has a fresh CSRF token on every request)."""
    return response.content.decode().split("<main", 1)[1]
