"""The progress dashboard computed: a fixed, small number of queries with or without its
filters, the district's divisions read once (with the plan's rounds), and the actions read
as plain rows that keep Action's own rules."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.thaidates import as_date
from plans import dashboards
from plans.models import Action, Division, Plan, ProgressUpdate
from tests.statements import reads

pytestmark = pytest.mark.django_db

PROGRESS_URL = reverse("plan_progress", args=["1009", 2565])
# The frame's (session, user, the central manager's permission reads, the plan, the
# membership with the data versions, the menu's and the district bar's years: 9), then the
# page's own three: the divisions with the rounds, the actions, and the reports with the
# shared divisions (each pair one union). It was 15 (the divisions twice, and a third time
# for a chosen one; the rounds, the reports and the shares apart).
MOST_QUERIES = 12


def computed(client, settings, query=None) -> tuple:
    settings.ITA_DASHBOARD_CACHE_SECONDS = 0
    client.force_login(get_user_model().objects.get(username="central"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(PROGRESS_URL, query or {})
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries]


def test_the_page_is_computed_in_a_fixed_number_of_queries(client, demo, settings):
    finance = Division.objects.get(organization__code="1009", name="ฝ่ายการคลัง")
    for query in ({}, {"division": finance.pk}, {"tool": "OIT"}, {"division": "999999"}):
        _response, queries = computed(client, settings, query)
        assert len(queries) <= MOST_QUERIES, (query, queries)
        # The filter's choices and the page's rows come from one read of the divisions,
        # and the chosen division is taken from it, not looked up again.
        # (On PostgreSQL the divisions and rounds, and the reports, are prepared statements.)
        setting = [sql for sql in queries if reads(sql, "plans_division", "plan_setting")]
        assert len(setting) == 1, (query, queries)
        assert sum(reads(sql, "plans_reportinground", "plan_setting") for sql in queries) == 1
        assert sum(reads(sql, "plans_progressupdate", "reports_and_shares") for sql in queries) == 1


def test_a_division_filters_from_the_list_read_once(client, demo, settings):
    finance = Division.objects.get(organization__code="1009", name="ฝ่ายการคลัง")
    response, _queries = computed(client, settings, {"division": finance.pk})
    page = response.context["page"]
    assert {action.pk for action in page.actions} == set(
        Action.objects.of_division(finance).values_list("pk", flat=True)
    )
    html = response.content.decode()
    assert f'<option value="{finance.pk}" selected>ฝ่ายการคลัง</option>' in html


def test_an_unknown_division_is_refused_as_before_and_every_action_shown(client, demo, settings):
    response, _queries = computed(client, settings, {"division": "999999"})
    html = response.content.decode()
    assert '<ul class="errorlist" id="id_division_error">' in html
    assert "เลือกตัวเลือกที่ถูกต้อง. ตัวเลือกนั้นไม่สามารถเลือกได้." in html
    page = response.context["page"]
    plan = Plan.objects.get(organization__code="1009", fiscal_year=2565)
    assert len(page.actions) == Action.objects.filter(finding__plan=plan).count()


def test_the_actions_are_plain_rows_with_the_models_rules(demo):
    plan = Plan.objects.get(organization__code="1009", fiscal_year=2565)
    today = timezone.localdate()
    page = dashboards.progress_page(plan, Action.objects.filter(finding__plan=plan), today)
    models = Action.objects.filter(finding__plan=plan).select_related("finding__item").in_bulk()
    assert page.actions and len(page.actions) == len(models)
    for row in page.actions:
        assert isinstance(row, dashboards.ActionFacts)
        action = models[row.pk]
        assert (row.status, row.due_on, row.item_code) == (
            action.status,
            action.due_on,
            action.finding.item.code,
        )
        assert row.is_open == action.is_open
        assert row.is_overdue(today) == action.is_overdue(today)
        assert row.is_due_soon(today) == action.is_due_soon(today)
    assert [row.pk for row in page.overdue] == [
        row.pk for row in page.actions if models[row.pk].is_overdue(today)
    ]


def test_the_divisions_and_rounds_read_together_keep_their_order(demo):
    plan = Plan.objects.get(organization__code="1009", fiscal_year=2565)
    setting = dashboards.PlanSetting(plan)
    assert setting.divisions == list(plan.organization.divisions.order_by("order", "name"))
    assert [d.name for d in setting.divisions] == list(
        plan.organization.divisions.order_by("order", "name").values_list("name", flat=True)
    )
    rounds = list(plan.rounds.order_by("starts_on"))
    assert rounds and setting.rounds == rounds
    assert [(r.name, r.starts_on, r.ends_on) for r in setting.rounds] == [
        (r.name, r.starts_on, r.ends_on) for r in rounds
    ]


def test_the_reports_and_shares_read_as_the_orm_reads_them(demo):
    """Each report with its day in Bangkok, in the order the reports were made; each shared
    division as a row without a status."""
    plan = Plan.objects.get(organization__code="1009", fiscal_year=2565)
    action = Action.objects.filter(finding__plan=plan).exclude(lead_division=None).first()
    action.divisions.add(*plan.organization.divisions.exclude(pk=action.lead_division_id)[:2])
    made = [
        ProgressUpdate.objects.create(
            action=action,
            division=action.lead_division,
            status=status,
            progress=50,
            round=plan.rounds.first(),
        )
        for status in ("in_progress", "done", "in_progress")
    ]
    # 23:30 UTC is the next morning in Bangkok; the last report made is dated before the
    # others (a report's time is when it was made, not its id's order).
    late_evening = datetime(2022, 3, 31, 23, 30, tzinfo=UTC)
    ProgressUpdate.objects.filter(pk=made[0].pk).update(reported_at=late_evening)
    ProgressUpdate.objects.filter(pk=made[2].pk).update(
        reported_at=late_evening - timedelta(days=1)
    )
    updates = ProgressUpdate.objects.filter(action__finding__plan=plan).order_by(
        "reported_at", "pk"
    )
    reports = [
        (u.action_id, u.division_id, u.round_id, u.status, as_date(u.reported_at), u.pk)
        for u in updates
    ]
    shares = {
        (link.action_id, link.division_id, None, "", None, 0)
        for link in Action.divisions.through.objects.filter(action__finding__plan=plan)
    }
    found = dashboards._reports_and_shares(plan)
    assert reports, "no reports"
    assert shares, "no shares"
    assert [row for row in found if row[3]] == reports
    assert {row for row in found if not row[3]} == shares
    assert len(found) == len(reports) + len(shares)
    days = {row[5]: row[4] for row in found if row[3]}
    assert days[made[0].pk] == date(2022, 4, 1)
    assert days[made[2].pk] == date(2022, 3, 31)
    assert [pk for pk in days if pk in {m.pk for m in made}] == [made[2].pk, made[0].pk, made[1].pk]


def test_every_action_read_plainly_is_the_filter_sets_reading(demo):
    """Without a filter the page reads every action by a prepared statement: the same facts
    (dates, booleans, the item's code), in the same order, and the same tallies."""
    plan = Plan.objects.get(organization__code="1009", fiscal_year=2565)
    today = timezone.localdate()
    every = dashboards.progress_page(plan, None, today)
    through = dashboards.progress_page(plan, Action.objects.filter(finding__plan=plan), today)
    assert every.actions and every.actions == through.actions
    assert isinstance(every.actions[0].all_divisions, bool)
    assert every.divisions == through.divisions and every.totals == through.totals
    assert [r.counts for r in every.rounds] == [r.counts for r in through.rounds]
    assert every.overdue == through.overdue and every.due_soon == through.due_soon
