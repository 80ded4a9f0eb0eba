"""The overview's stored headline (assessments.headlines): the year's cells summed by scope
give the live aggregate's headline, and every change of what it counts drops them, while a
plan's progress does not."""

import threading
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments import headlines, summaries
from assessments.models import Assessment, HeadlineCell, HeadlineYear, ItemScore, Organization
from plans import dashboards, synthetic_national
from plans.dashboards import OverviewScope
from plans.models import Action, ProgressUpdate
from plans.overview_reads import _decimal_groups
from tests.factories import make_assessment, make_organization
from tests.plans.test_national_overview import add_plan, scores, world  # noqa: F401

pytestmark = pytest.mark.django_db

Kind = Organization.Kind
YEAR = 2564
SCOPES = [
    {},
    {"parent": "M1"},
    {"parent": "P1"},
    {"parent": "bma", "kind": Kind.DISTRICT},
    {"kind": Kind.LOCAL},
    {"kind": Kind.CENTRAL},
    {"parent": "P1", "kind": Kind.MINISTRY},  # nobody
]


def scope_of(agencies, scope: dict) -> OverviewScope:
    return OverviewScope(parent=agencies.get(scope.get("parent")), kind=scope.get("kind", ""))


def stored(agencies, scope: dict) -> dashboards.OverviewHeadline:
    parent = agencies.get(scope.get("parent"))
    found = headlines.groups(YEAR, parent.pk if parent else None, scope.get("kind", ""))
    # SQLite sums decimals as floats: made decimals as the overview's reader makes them.
    return dashboards.headline_of(_decimal_groups(found), lambda: found[0][7])


def live(agencies, scope: dict) -> dashboards.OverviewHeadline:
    chosen = scope_of(agencies, scope)
    assessed = Assessment.objects.filter(framework__fiscal_year=YEAR).filter(
        chosen.condition("organization__")
    )
    return dashboards.overview_headline(
        assessed, chosen.expected(Organization.objects.all()), YEAR, date.today()
    )


def assert_equal_everywhere(agencies):
    for scope in SCOPES:
        assert stored(agencies, scope) == live(agencies, scope), scope


def test_every_scope_sums_to_the_live_headline(world):  # noqa: F811
    assert_equal_everywhere(world)
    whole = stored(world, {})
    # By hand: 6 assessed (91, 78, 100, 53, 94, 72), D3 and the province, ministry without data.
    assert (whole.assessed, whole.scored, whole.unassessed) == (6, 6, 3)
    assert whole.average == D("81.33")
    assert stored(world, {"parent": "M1"}).unassessed == 1  # D3


def test_the_cells_are_computed_once_then_read_in_one_statement(world):  # noqa: F811
    stored(world, {})
    assert HeadlineYear.objects.filter(fiscal_year=YEAR).exists()
    cells = HeadlineCell.objects.filter(fiscal_year=YEAR).count()
    with CaptureQueriesContext(connection) as queries:
        stored(world, {"parent": "P1"})
        stored(world, {"kind": Kind.LOCAL})
    assert len(queries.captured_queries) == 2
    assert HeadlineCell.objects.filter(fiscal_year=YEAR).count() == cells  # not added again


def test_computing_again_replaces_the_rows(world):  # noqa: F811
    stored(world, {})
    cells = HeadlineCell.objects.filter(fiscal_year=YEAR).count()
    headlines.compute(YEAR)
    assert HeadlineCell.objects.filter(fiscal_year=YEAR).count() == cells
    assert_equal_everywhere(world)


def test_a_changed_score_is_counted(world):  # noqa: F811
    assert stored(world, {}).average == D("81.33")
    score = ItemScore.objects.get(assessment__organization=world["L2"], item__code="O3")
    score.score = D("100")  # L2: 53 → 63
    score.save()
    assert stored(world, {}).average == D("83.00")
    assert_equal_everywhere(world)


def test_a_new_assessment_and_a_deleted_one_are_counted(world):  # noqa: F811
    before = stored(world, {"parent": "M1"})
    make_assessment(world["D3"], world["framework"], scores(50, 50, 1))
    after = stored(world, {"parent": "M1"})
    assert (after.assessed, after.unassessed) == (before.assessed + 1, before.unassessed - 1)
    assert_equal_everywhere(world)
    Assessment.objects.get(organization=world["D1"]).delete()
    assert stored(world, {"parent": "M1"}).assessed == before.assessed
    assert_equal_everywhere(world)


def test_a_new_organization_and_a_moved_one_are_counted(world):  # noqa: F811
    stored(world, {})
    make_organization(code="L3", kind=Kind.LOCAL, parent=world["P1"])
    assert stored(world, {"parent": "P1"}).unassessed == 1
    moved = world["L1"]
    moved.parent = world["M1"]
    moved.save()
    assert stored(world, {"parent": "P1"}).assessed == 1
    assert stored(world, {"parent": "M1"}).assessed == 3
    assert_equal_everywhere(world)


def test_a_framework_moved_to_another_year_takes_its_assessments(world):  # noqa: F811
    stored(world, {})
    framework = world["framework"]
    framework.fiscal_year = YEAR + 1
    framework.save()
    assert stored(world, {}).assessed == 0
    assert sum(row[1] for row in headlines.groups(YEAR + 1)) == 6


def test_a_bulk_loader_of_organizations_drops_them(world):  # noqa: F811
    stored(world, {})
    synthetic_national.generate_organizations(scale=0.002)
    assert not HeadlineYear.objects.exists()
    assert_equal_everywhere(world)


def test_summaries_written_in_bulk_drop_their_year(world):  # noqa: F811
    stored(world, {})
    summaries.refresh(Assessment.objects.values_list("pk", flat=True))
    assert not HeadlineYear.objects.filter(fiscal_year=YEAR).exists()


def test_cells_older_than_their_age_are_computed_again(world):  # noqa: F811
    stored(world, {})
    # A change that slipped past ``forget`` (a raw update), then the mark grown old.
    Organization.objects.filter(code="L1").update(parent=world["M1"])
    assert stored(world, {"parent": "M1"}).assessed == 2  # still the stored figure
    HeadlineYear.objects.update(computed=timezone.now() - headlines.MAX_AGE - timedelta(1))
    assert stored(world, {"parent": "M1"}).assessed == 3
    assert_equal_everywhere(world)


def test_a_plans_progress_leaves_them_stored(world):  # noqa: F811
    """The point of storing them: a reporting week's progress reports do not drop them."""
    plan = add_plan(world["D1"], [Action.Status.NOT_STARTED], date.today())
    stored(world, {})
    mark = HeadlineYear.objects.get(fiscal_year=YEAR).computed
    action = Action.objects.get(finding__plan=plan)
    ProgressUpdate.objects.create(action=action, progress=20, status="in_progress")
    action.status, action.progress = Action.Status.IN_PROGRESS, 20
    action.save()
    assert HeadlineYear.objects.get(fiscal_year=YEAR).computed == mark


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only: SQLite writes one at a time"
)
@pytest.mark.django_db(transaction=True)
def test_a_second_reader_at_once_leaves_the_year_to_the_first(world):  # noqa: F811
    """A reader marks the year first; another computing meanwhile waits on that mark, then
    finds it taken and writes no rows of its own (no year counted twice)."""
    done = threading.Event()

    def second():
        try:
            headlines.compute(YEAR)
        finally:
            connections.close_all()
            done.set()

    with transaction.atomic():
        HeadlineYear.objects.create(fiscal_year=YEAR, computed=timezone.now())
        thread = threading.Thread(target=second)
        thread.start()
        assert not done.wait(1)  # waiting on the first reader's mark
    thread.join(30)
    assert done.is_set()
    assert HeadlineYear.objects.count() == 1
    assert not HeadlineCell.objects.exists()  # the first reader's rows, none in this test
