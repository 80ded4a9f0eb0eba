"""The public plan page reads a constant number of queries, whatever the number of actions."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from plans import publishing
from plans.models import Action, Finding, Plan, ProgressUpdate
from tests.plans.small_plan import make_small_plan

pytestmark = pytest.mark.django_db


def page_url():
    return reverse("public_plan", args=["1009", 2565])


def _grow(world, count: int) -> None:
    items = list(world.plan.assessment.framework.items.exclude(code="O1").order_by("order")[:5])
    for number in range(count):
        finding, _ = Finding.objects.get_or_create(plan=world.plan, item=items[number % 5])
        action = Action.objects.create(
            finding=finding,
            text=f"การปรับปรุงที่ {number}",
            lead_division=world.finance,
            starts_on=date(2021, 10, 1),
            due_on=date(2022, 3, 31),
        )
        action.divisions.add(world.admin_division)
        ProgressUpdate.objects.create(
            action=action, progress=10, status="in_progress", note="x", is_public=number % 2 == 0
        )


def test_the_query_count_does_not_grow_with_the_actions(client, django_assert_max_num_queries):
    world = make_small_plan(status=Plan.Status.APPROVED)
    publishing.publish(world.plan, None, timezone.now())
    _grow(world, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(page_url()).status_code == 200
    _grow(world, 40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(page_url())
    assert response.status_code == 200
    assert response.content.decode().count('class="progress-line"') == 43
