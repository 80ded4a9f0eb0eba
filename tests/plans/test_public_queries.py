"""The public plan page reads a constant number of queries, whatever the number of actions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from plans import publishing
from plans.models import Plan
from tests.plans.small_plan import grow, make_small_plan

pytestmark = pytest.mark.django_db


def page_url():
    return reverse("public_plan", args=["1009", 2565])


def test_the_query_count_does_not_grow_with_the_actions(client, django_assert_max_num_queries):
    world = make_small_plan(status=Plan.Status.APPROVED)
    publishing.publish(world.plan, None, timezone.now())
    grow(world, 2, reports=True)
    with CaptureQueriesContext(connection) as small:
        assert client.get(page_url()).status_code == 200
    grow(world, 40, reports=True)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(page_url())
    assert response.status_code == 200
    assert response.content.decode().count('class="progress-line"') == 43
