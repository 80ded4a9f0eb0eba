"""`load_demo --simulated`: the other 49 districts get a living year of invented data, flagged
as such, while Phra Khanong keeps exactly the seed and a plain `load_demo` stays the seed."""

from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone

from assessments.models import Assessment, Framework, ItemScore, Organization, ReportedScore
from assessments.thaidates import BANGKOK, fiscal_year_bounds
from plans.demo import load_demo, simulated_years
from plans.models import (
    Action,
    Division,
    Finding,
    Membership,
    Plan,
    ProgressUpdate,
    ReportingRound,
)
from plans.progress import combined, latest_by_division

pytestmark = pytest.mark.django_db

# The day the demo was planned for: FY 2570 began on 1 Oct 2569 BE (2026).
TODAY = date(2026, 11, 26)
REAL = "1009"


def table_counts() -> dict[str, int]:
    """Rows of every model of the project's apps (change history included)."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in {"assessments", "plans", "reminders", "oit", "auth"}
    }


def phra_khanong_rows() -> dict[str, list]:
    """Every row that belongs to the real district, field by field."""
    org = Organization.objects.get(code=REAL)
    of_plan = {"plan__organization": org}
    of_action = {"action__finding__plan__organization": org}
    querysets = {
        "organization": Organization.objects.filter(pk=org.pk),
        "divisions": Division.objects.filter(organization=org),
        "memberships": Membership.objects.filter(organization=org),
        "assessments": Assessment.objects.filter(organization=org),
        "scores": ItemScore.objects.filter(assessment__organization=org),
        "reported": ReportedScore.objects.filter(assessment__organization=org),
        "plans": Plan.objects.filter(organization=org),
        "rounds": ReportingRound.objects.filter(**of_plan),
        "findings": Finding.objects.filter(**of_plan),
        "actions": Action.objects.filter(finding__plan__organization=org),
        "updates": ProgressUpdate.objects.filter(**of_action),
    }
    return {key: list(qs.order_by("pk").values()) for key, qs in querysets.items()}


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The plain seed, then the simulated districts on top of it, as of TODAY; rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo(with_users=True)
        plain = {
            "counts": table_counts(),
            "phra_khanong": phra_khanong_rows(),
            "flagged": Organization.objects.filter(is_simulated=True).count(),
        }
        load_demo(with_users=True, simulated=True, today=TODAY)
        yield {"plain": plain, "after": table_counts()}
        transaction.set_rollback(True)


def simulated_plans():
    return Plan.objects.filter(organization__is_simulated=True)


def live_actions():
    return Action.objects.filter(finding__plan__in=simulated_plans().filter(fiscal_year=2570))


@pytest.mark.parametrize(
    ("today", "years"),
    [
        (date(2026, 11, 26), (2566, 2567, 2568, 2569)),
        # 2569's results are published on 1 September 2026 (BE 2569), not before.
        (date(2026, 8, 31), (2565, 2566, 2567, 2568)),
        (date(2026, 9, 1), (2566, 2567, 2568, 2569)),
        (date(2027, 1, 2), (2566, 2567, 2568, 2569)),
    ],
)
def test_the_simulated_editions_are_the_last_four_published_by_today(today, years):
    assert simulated_years(today) == years


def test_a_plain_load_demo_adds_no_simulated_data(loaded):
    plain = loaded["plain"]
    assert plain["flagged"] == 0
    assert plain["counts"]["plans.Plan"] == 1
    assert plain["counts"]["assessments.Framework"] == 1
    assert plain["counts"]["assessments.Assessment"] == 1


def test_every_other_district_is_flagged_and_phra_khanong_is_not(loaded):
    districts = Organization.objects.filter(kind=Organization.Kind.DISTRICT)
    assert districts.count() == 50
    assert set(districts.filter(is_simulated=False).values_list("code", flat=True)) == {REAL}
    assert not Organization.objects.get(code="10").is_simulated  # the central office
    # Whatever carries invented figures belongs to a flagged district.
    assert set(
        Plan.objects.exclude(organization__code=REAL).values_list(
            "organization__is_simulated", flat=True
        )
    ) == {True}


def test_phra_khanong_keeps_exactly_the_seed(loaded):
    assert phra_khanong_rows() == loaded["plain"]["phra_khanong"]
    assert list(Plan.objects.filter(organization__code=REAL).values_list("fiscal_year")) == [
        (2565,)
    ]


def test_loading_twice_changes_nothing(loaded):
    load_demo(with_users=True, simulated=True, today=TODAY)
    assert table_counts() == loaded["after"]
    # A day later too: the year already written is not written again.
    load_demo(with_users=True, simulated=True, today=date(2026, 11, 27))
    assert table_counts() == loaded["after"]
    twice = Q(n__gt=1)
    assert not (
        Assessment.objects.values("organization", "framework").annotate(n=Count("pk")).filter(twice)
    )
    assert (
        not Plan.objects.values("organization", "fiscal_year").annotate(n=Count("pk")).filter(twice)
    )
    assert not Division.objects.values("organization", "name").annotate(n=Count("pk")).filter(twice)
    assert not Framework.objects.values("fiscal_year").annotate(n=Count("pk")).filter(twice)


def test_each_simulated_district_has_scores_of_the_recent_editions(loaded):
    assessments = Assessment.objects.filter(organization__is_simulated=True)
    per_year = dict(
        assessments.values_list("framework__fiscal_year").annotate(n=Count("pk")).order_by()
    )
    assert per_year == {2566: 49, 2567: 49, 2568: 49, 2569: 49}
    assert assessments.aggregate(last=Max("published_on"))["last"] <= TODAY
    assert ItemScore.objects.filter(assessment__in=assessments).count() == 4 * 49 * 88


def test_each_simulated_district_has_the_plan_of_the_current_fiscal_year(loaded):
    current = simulated_plans().filter(fiscal_year=2570)
    assert current.count() == 49
    assert set(current.values_list("assessment__framework__fiscal_year", flat=True)) == {2569}
    assert not current.exclude(assessment__organization=F("organization")).exists()
    assert not simulated_plans().filter(fiscal_year__gt=2570).exists()


def test_nothing_is_reported_or_completed_after_today(loaded):
    updates = ProgressUpdate.objects.filter(action__finding__plan__in=simulated_plans())
    latest = updates.aggregate(last=Max("reported_at"))["last"].astimezone(BANGKOK).date()
    assert latest <= TODAY
    assert not Action.objects.filter(completed_on__gt=TODAY).exists()
    # The open round is partly reported; the rounds still to come are not reported at all.
    rounds = ReportingRound.objects.filter(plan__in=simulated_plans().filter(fiscal_year=2570))
    open_rounds = rounds.filter(starts_on__lte=TODAY, ends_on__gte=TODAY)
    assert open_rounds.count() == 49
    assert ProgressUpdate.objects.filter(round__in=open_rounds).exists()
    assert not ProgressUpdate.objects.filter(round__in=rounds.filter(starts_on__gt=TODAY)).exists()


def test_the_year_under_way_is_alive(loaded):
    actions = live_actions()
    statuses = set(actions.values_list("status", flat=True))
    assert statuses >= {Action.Status.NOT_STARTED, Action.Status.IN_PROGRESS, Action.Status.DONE}
    assert actions.overdue(TODAY).count() >= 10
    done = ProgressUpdate.objects.filter(action__in=actions, status=Action.Status.DONE)
    assert done.exclude(evidence_url="").exists()
    assert not done.filter(note="").exists()
    # The years before are over: every round behind them, most of the work done.
    start, _ = fiscal_year_bounds(2570)
    past = Action.objects.filter(finding__plan__in=simulated_plans().filter(fiscal_year=2569))
    assert past.filter(status=Action.Status.DONE).count() > past.count() / 2
    assert not ReportingRound.objects.filter(
        plan__in=simulated_plans().filter(fiscal_year__lt=2570), ends_on__gte=start
    ).exists()


def test_each_action_is_what_its_reports_up_to_today_make_it(loaded):
    actions = live_actions().select_related("finding__plan__organization")
    for action in actions.filter(pk__in=actions.values("pk")[:600]):
        updates = list(action.updates.order_by("reported_at", "pk"))
        if action.all_divisions:
            assert combined(latest_by_division(action)) == (action.status, action.progress)
        elif updates:
            assert (updates[-1].status, updates[-1].progress) == (action.status, action.progress)
        else:
            assert (action.status, action.progress) == (Action.Status.NOT_STARTED, 0)
        if action.status == Action.Status.DONE:
            assert action.completed_on <= TODAY
        else:
            assert action.completed_on is None


def test_the_command_asks_for_it_and_says_how_long_it_took(loaded, monkeypatch, settings):
    settings.DEBUG = False
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    out = StringIO()
    call_command("load_demo", "--simulated", stdout=out)
    output = out.getvalue()
    assert "ข้อมูลจำลอง: 49 เขต คะแนนปี 2566–2569" in output
    assert "ถึงวันที่ 26 พฤศจิกายน 2569" in output
    assert "ใช้เวลา " in output and " วินาที" in output
    assert table_counts() == loaded["after"]
