"""The plan page's filters: its divisions and rounds chosen among lists read once (no query
per choice list or per chosen value), with the same options, results and refusals."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans.models import Action, Plan, ProgressUpdate
from tests.statements import reads

pytestmark = pytest.mark.django_db

PLAN_URL = reverse("plan_detail", args=["1009", 2565])


def plan_page(client, query=None) -> tuple:
    client.force_login(get_user_model().objects.get(username="central"))
    client.get(PLAN_URL)  # sign-in bookkeeping out of the way
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PLAN_URL, query or {})
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries]


def shown_actions(response) -> set[int]:
    """The ids of the actions the plan page's table shows."""
    return {
        action.pk
        for section in response.context["sections"]
        for group in section.indicators
        for row in group.rows
        for action in row.actions
    }


def _plan() -> Plan:
    return Plan.objects.get(organization__code="1009", fiscal_year=2565)


def test_the_choices_are_the_districts_divisions_and_the_plans_rounds_in_order(client, demo):
    response, queries = plan_page(client)
    form = response.context["filter"].form
    plan = _plan()
    divisions = list(plan.organization.divisions.all())
    rounds = list(plan.rounds.all())
    assert list(form.fields["division"].choices) == [
        ("", "ทุกฝ่าย"),
        *[(str(d.pk), d.name) for d in divisions],
    ]
    assert list(form.fields["round"].choices) == [
        ("", "ทุกรอบ"),
        *[(str(r.pk), r.name) for r in rounds],
    ]
    # Each list read once, though the form draws and checks them.
    assert sum(reads(sql, "plans_reportinground", "plan_setting") for sql in queries) == 1, queries
    html = response.content.decode()
    assert f'<option value="{rounds[0].pk}">{rounds[0].name}</option>' in html


def test_a_chosen_division_and_round_filter_without_more_reads(client, demo):
    plan = _plan()
    # A report in a round, on an action with a lead division.
    action = (
        Action.objects.filter(finding__plan=plan, lead_division__isnull=False)
        .select_related("lead_division")
        .order_by("pk")
        .first()
    )
    round_, finance = plan.rounds.order_by("starts_on").first(), action.lead_division
    ProgressUpdate.objects.create(
        action=action, round=round_, progress=10, status="in_progress", note="เริ่มแล้ว"
    )
    reported = set(ProgressUpdate.objects.filter(round=round_).values_list("action_id", flat=True))
    _response, plain = plan_page(client)
    response, queries = plan_page(
        client, {"round": round_.pk, "reported": "yes", "division": finance.pk}
    )
    assert len(queries) <= len(plain)
    shown = shown_actions(response)
    expected = set(
        Action.objects.of_division(finance)
        .filter(finding__plan=plan, pk__in=reported)
        .values_list("pk", flat=True)
    )
    assert expected and shown == expected
    html = response.content.decode()
    assert f'<option value="{round_.pk}" selected>{round_.name}</option>' in html
    assert f'<option value="{finance.pk}" selected>{finance.name}</option>' in html

    unreported, _queries = plan_page(client, {"round": round_.pk, "reported": "no"})
    shown_not = shown_actions(unreported)
    assert shown_not and shown_not == set(
        Action.objects.filter(finding__plan=plan)
        .exclude(pk__in=reported)
        .values_list("pk", flat=True)
    )


@pytest.mark.parametrize("field", ["round", "division"])
def test_an_unknown_choice_is_refused_as_before_and_every_action_shown(client, demo, field):
    response, _queries = plan_page(client, {field: "999999"})
    html = response.content.decode()
    assert f'<ul class="errorlist" id="id_{field}_error">' in html
    assert "เลือกตัวเลือกที่ถูกต้อง. ตัวเลือกนั้นไม่สามารถเลือกได้." in html
    assert response.context["shown"] == Action.objects.filter(finding__plan=_plan()).count()
