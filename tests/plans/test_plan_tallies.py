"""Stored tallies of each plan's actions (plans.tallies): kept by the actions' saves and
deletions, counted for plans loaded without signals, and what the overview reads."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from assessments.models import Assessment
from plans import dashboards, tallies
from plans.models import Action, Finding, Plan, PlanTally
from tests.factories import make_assessment, make_framework, make_organization, make_plan

pytestmark = pytest.mark.django_db

Status = Action.Status
TODAY = date(2025, 3, 1)


@pytest.fixture
def plan():
    framework = make_framework()
    return make_plan(make_assessment(make_organization(), framework))


def add(plan, status, due_on=None) -> Action:
    """An action with a finding of its own (one finding per item of a plan)."""
    item = plan.assessment.framework.items.order_by("pk")[plan.findings.count()]
    finding = Finding.objects.create(plan=plan, item=item)
    done = status == Status.DONE
    return Action.objects.create(
        finding=finding,
        text="ปรับปรุง",
        all_divisions=True,
        status=status,
        due_on=due_on,
        progress=100 if done else 0,
        completed_on=TODAY if done else None,
    )


def counted(plan) -> tuple[int, int, int, int]:
    """What the tally should say, counted from the actions themselves."""
    actions = Action.objects.filter(finding__plan=plan)
    open_ = actions.exclude(status__in=[Status.DONE, Status.CANCELLED])
    return (
        actions.count(),
        actions.filter(status=Status.DONE).count(),
        actions.filter(status=Status.CANCELLED).count(),
        open_.filter(due_on__lt=TODAY).count(),
    )


def stored(plan) -> tuple[int, int, int, int]:
    tally = PlanTally.objects.get(plan=plan)
    return tally.actions, tally.done, tally.cancelled, tally.overdue(TODAY)


def test_saves_and_deletions_keep_the_tally(plan):
    late = add(plan, Status.NOT_STARTED, due_on=TODAY - timedelta(days=1))
    add(plan, Status.IN_PROGRESS, due_on=TODAY)  # due today: not yet overdue
    add(plan, Status.DONE, due_on=TODAY - timedelta(days=30))  # done: never overdue
    cancelled = add(plan, Status.CANCELLED, due_on=TODAY - timedelta(days=30))
    add(plan, Status.NOT_STARTED)  # no due date
    assert stored(plan) == counted(plan) == (5, 1, 1, 1)

    late.status, late.progress, late.completed_on = Status.DONE, 100, TODAY
    late.save()
    assert stored(plan) == counted(plan) == (5, 2, 1, 0)

    cancelled.delete()
    assert stored(plan) == counted(plan) == (4, 2, 0, 0)

    cancelled.finding.delete()  # its own finding: nothing else goes
    late.finding.delete()
    assert stored(plan) == counted(plan) == (3, 1, 0, 0)


def test_inside_a_batch_each_plan_is_recounted_once_at_its_end(plan):
    add(plan, Status.DONE)
    with CaptureQueriesContext(connection) as one:
        add(plan, Status.NOT_STARTED)
    with tallies.batch(), tallies.batch():  # nested: joins the outer block
        with CaptureQueriesContext(connection) as inside:
            for _ in range(3):
                add(plan, Status.NOT_STARTED)
        assert stored(plan) == (2, 1, 0, 0)  # not yet
        doomed = add(plan, Status.CANCELLED)
        doomed.delete()
    assert stored(plan) == counted(plan) == (5, 1, 0, 0)
    # Three saves in the block cost what three saves cost without the recount.
    recount = [q for q in one.captured_queries if "plans_plantally" in q["sql"]]
    assert recount and not [q for q in inside.captured_queries if "plans_plantally" in q["sql"]]


def test_a_deleted_plan_takes_its_tally_along(plan):
    add(plan, Status.DONE)
    add(plan, Status.NOT_STARTED)
    plan.delete()
    assert not PlanTally.objects.exists()


def test_plans_loaded_without_signals_are_counted_on_reading(plan):
    add(plan, Status.DONE)
    PlanTally.objects.all().delete()  # as after a bulk_create
    other = make_plan(make_assessment(make_organization(code="1010"), plan.assessment.framework))
    rows = dashboards.overview_rows(Assessment.objects.order_by("pk"), TODAY)
    assert [(row.actions, row.done) for row in rows] == [(1, 1), (0, 0)]
    assert set(PlanTally.objects.values_list("plan", flat=True)) == {plan.pk, other.pk}
    with CaptureQueriesContext(connection) as read:
        dashboards.overview_rows(Assessment.objects.order_by("pk"), TODAY)
    assert len(read) == 2  # the assessments, then the plans with their tallies


def test_refresh_all_matches_counting(plan):
    for status in (Status.DONE, Status.DONE, Status.CANCELLED, Status.IN_PROGRESS):
        add(plan, status, due_on=TODAY - timedelta(days=2))
    PlanTally.objects.update(actions=0, done=0, cancelled=0, open_due=[])  # gone stale
    tallies.refresh_all()
    assert stored(plan) == counted(plan) == (4, 2, 1, 1)


def test_an_assessments_plans_add_up_in_the_row_and_the_sorts(plan):
    add(plan, Status.DONE)
    add(plan, Status.NOT_STARTED)
    second = Plan.objects.create(
        organization=plan.organization, assessment=plan.assessment, fiscal_year=2566
    )
    add(second, Status.DONE)
    add(second, Status.CANCELLED)
    (row,) = dashboards.overview_rows(Assessment.objects.all(), TODAY)
    assert (row.plan, row.actions, row.done, row.cancelled) == (second, 4, 2, 1)
    keys = Assessment.objects.annotate(
        progress=dashboards.OVERVIEW_SORTS["progress"](TODAY),
        actions=dashboards.OVERVIEW_SORTS["actions"](TODAY),
    ).values_list("progress", "actions")
    ((progress, actions),) = keys
    assert (round(progress, 3), actions) == (round(2 * 100 / 3, 3), 4)


def test_the_overview_summarizes_an_assessment_written_without_signals(plan):
    from assessments.models import AssessmentSummary

    AssessmentSummary.objects.all().delete()  # as after a bulk load that forgot to refresh
    page = dashboards.overview(Assessment.objects.all(), 2564, TODAY)
    assert page.headline.assessed == 1 and page.headline.unsummarized == 0
    assert AssessmentSummary.objects.filter(assessment=plan.assessment).exists()
    assert page.rows[0].summary.pk is not None


@pytest.mark.parametrize("sort", ["-progress", "-actions", "progress"])
def test_the_pages_of_a_sort_read_in_parts_follow_the_one_order(plan, sort):
    """Descending by progress or actions, the agencies with a key are sorted alone and the
    rest follow by code: every page as the single sorted query would have it."""
    framework = plan.assessment.framework
    add(plan, Status.DONE)
    add(plan, Status.NOT_STARTED)
    for number, statuses in enumerate(
        [[], [Status.DONE], [Status.CANCELLED], None, [Status.NOT_STARTED], None, [Status.DONE]]
    ):
        assessment = make_assessment(make_organization(code=f"20{number:02d}"), framework)
        if statuses is not None:
            other = make_plan(assessment)
            for status in statuses:
                add(other, status)
    key = dashboards.OVERVIEW_SORTS[sort.lstrip("-")](TODAY)
    direction = F("sort_key").desc() if sort.startswith("-") else F("sort_key").asc()
    expected = list(
        Assessment.objects.annotate(sort_key=key)
        .order_by(direction, "organization__code", "pk")
        .values_list("organization__code", flat=True)
    )
    shown = []
    for number in range(1, 4):
        page = dashboards.overview(Assessment.objects.all(), 2564, TODAY, sort, page=number, size=3)
        shown += [row.assessment.organization.code for row in page.rows]
    assert shown == expected and len(shown) == 8
