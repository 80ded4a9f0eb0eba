"""The synthetic BMA-wide data set: consistent with itself, with the rules, and repeatable."""

from datetime import date

import pytest
from django.db import transaction
from django.db.models import Count, F, Max, Q

from assessments.models import Assessment, Framework, Item, ItemScore, Organization
from assessments.thaidates import BANGKOK, fiscal_year_bounds
from plans.models import Action, Division, Finding, Plan, ProgressUpdate, ReportingRound
from plans.progress import combined, latest_by_division
from plans.synthetic import generate

pytestmark = pytest.mark.django_db

SMALL = {"districts": 2, "years": (2564, 2565), "actions_per_weak_item": 2, "reports_per_action": 2}
MODELS = {
    "frameworks": Framework,
    "divisions": Division,
    "assessments": Assessment,
    "scores": ItemScore,
    "plans": Plan,
    "rounds": ReportingRound,
    "findings": Finding,
    "actions": Action,
    "shared_divisions": Action.divisions.through,
    "progress_updates": ProgressUpdate,
}


def table_counts() -> dict[str, int]:
    return {key: model.objects.count() for key, model in MODELS.items()}


@pytest.fixture(scope="module")
def synthetic(demo, django_db_blocker):
    """Generate a small data set once for the module (on top of the demo), then roll it back."""
    with django_db_blocker.unblock(), transaction.atomic():
        before = table_counts()
        counts = generate(**SMALL)
        yield {"counts": counts, "before": before, "after": table_counts()}
        transaction.set_rollback(True)


def synthetic_plans():
    return Plan.objects.filter(organization__code__in=["1001", "1002"])


def test_counts_are_what_was_written(synthetic):
    counts, before, after = synthetic["counts"], synthetic["before"], synthetic["after"]
    assert counts == {key: after[key] - before[key] for key in MODELS}
    assert counts["frameworks"] == 1  # 2565; load_demo brought 2564
    assert counts["assessments"] == counts["plans"] == 4
    assert counts["scores"] == 4 * 88
    assert counts["divisions"] == 2 * 10
    assert counts["findings"] > 0
    assert counts["actions"] >= counts["findings"]
    assert counts["progress_updates"] > 0


def test_other_years_get_a_copy_of_the_2564_framework(synthetic):
    original, copy = (
        Framework.objects.get(fiscal_year=2564),
        Framework.objects.get(fiscal_year=2565),
    )
    assert copy.pass_mark == original.pass_mark
    for related in ("tools", "indicators", "items", "bands"):
        assert getattr(copy, related).count() == getattr(original, related).count()
    assert copy.items.count() == 88
    assert copy.indicators.count() == 10
    assert set(copy.items.values_list("code", "kind", "indicator__number")) == set(
        original.items.values_list("code", "kind", "indicator__number")
    )


def test_oit_items_score_0_or_100(synthetic):
    checklist = ItemScore.objects.filter(
        assessment__organization__code__in=["1001", "1002"], item__kind=Item.Kind.CHECKLIST
    )
    assert checklist.exists()
    assert not checklist.exclude(score__in=[0, 100]).exists()


def test_findings_exist_exactly_for_items_below_the_pass_mark(synthetic):
    plans = list(synthetic_plans().select_related("assessment__framework"))
    assert {plan.fiscal_year for plan in plans} == {2565, 2566}
    for plan in plans:
        below = set(
            plan.assessment.scores.filter(
                score__lt=plan.assessment.framework.pass_mark
            ).values_list("item_id", flat=True)
        )
        assert below
        assert set(plan.findings.values_list("item_id", flat=True)) == below


def test_every_action_and_report_stays_within_its_district(synthetic):
    actions = Action.objects.filter(finding__plan__in=synthetic_plans())
    plan_organization = F("finding__plan__organization")
    assert not actions.exclude(lead_division__organization=plan_organization).exists()
    shared = Action.divisions.through.objects.filter(action__in=actions)
    assert shared.exists()
    assert not shared.exclude(
        division__organization=F("action__finding__plan__organization")
    ).exists()
    updates = ProgressUpdate.objects.filter(action__in=actions)
    assert not updates.filter(division__isnull=True).exists()
    assert not updates.exclude(
        division__organization=F("action__finding__plan__organization")
    ).exists()
    assert not updates.exclude(round__plan=F("action__finding__plan")).exists()


def test_reports_agree_with_their_action(synthetic):
    actions = Action.objects.filter(finding__plan__in=synthetic_plans()).select_related(
        "finding__plan__organization"
    )
    assert {action.status for action in actions} >= {
        Action.Status.DONE,
        Action.Status.IN_PROGRESS,
        Action.Status.NOT_STARTED,
    }
    assert any(action.all_divisions for action in actions)
    for action in actions:
        start, end = fiscal_year_bounds(action.finding.plan.fiscal_year)
        assert start <= action.starts_on <= action.due_on <= end
        done = action.status == Action.Status.DONE
        assert (action.completed_on is not None) == done
        if done:
            assert action.progress == 100
        updates = list(action.updates.order_by("reported_at", "pk"))
        days = [u.reported_at.astimezone(BANGKOK).date() for u in updates]
        assert all(start <= day <= end for day in days)
        if action.all_divisions:
            # As when staff report: each division's latest report makes up the action.
            latest = latest_by_division(action)
            assert combined(latest) == (action.status, action.progress)
            if done:
                assert max(days) == action.completed_on
            by_division = {}
            for update in updates:
                by_division.setdefault(update.division_id, []).append(update.progress)
            assert all(steps == sorted(steps) for steps in by_division.values())
            continue
        if not updates:
            assert action.status == Action.Status.NOT_STARTED
            continue
        last = updates[-1]
        assert (last.status, last.progress) == (action.status, action.progress)
        assert [u.progress for u in updates] == sorted(u.progress for u in updates)
        if done:
            assert days[-1] == action.completed_on


def test_reports_keep_their_own_dates(synthetic):
    updates = ProgressUpdate.objects.filter(action__finding__plan__in=synthetic_plans())
    assert updates.aggregate(latest=Max("reported_at"))["latest"].year <= 2023
    assert ProgressUpdate._meta.get_field("reported_at").auto_now_add
    # Spread over every round, so the dashboards by round have something to show.
    per_round = ReportingRound.objects.filter(plan__in=synthetic_plans()).annotate(
        n=Count("updates")
    )
    assert per_round.filter(Q(n__gt=0)).count() >= per_round.count() - 2


def test_a_second_run_adds_nothing(synthetic):
    assert generate(**SMALL) == dict.fromkeys(MODELS, 0)
    assert table_counts() == synthetic["after"]


def test_an_existing_plan_and_its_divisions_are_left_alone(demo):
    phra_khanong = Organization.objects.get(code="1009")
    before = {
        "divisions": list(phra_khanong.divisions.values_list("pk", "name")),
        "findings": Finding.objects.filter(plan__organization=phra_khanong).count(),
        "scores": list(
            ItemScore.objects.filter(assessment__organization=phra_khanong).values_list(
                "item_id", "score"
            )
        ),
    }
    counts = generate(districts=9, years=(2564,), actions_per_weak_item=1, reports_per_action=1)
    # 1001 and 1002 may already have theirs (the module's data set): never a second one.
    assert counts["plans"] == counts["assessments"] >= 6
    codes = [f"10{n:02d}" for n in range(1, 10)]
    plans = Plan.objects.filter(fiscal_year=2565, organization__code__in=codes)
    assert sorted(plans.values_list("organization__code", flat=True)) == codes
    assert list(phra_khanong.divisions.values_list("pk", "name")) == before["divisions"]
    assert Finding.objects.filter(plan__organization=phra_khanong).count() == before["findings"]
    assert (
        list(
            ItemScore.objects.filter(assessment__organization=phra_khanong).values_list(
                "item_id", "score"
            )
        )
        == before["scores"]
    )


def scores_of_a_run(**options) -> dict:
    """Generate in a savepoint, read the scores back, and undo the run."""
    with transaction.atomic():
        generate(**options)
        scores = {
            (code, item): score
            for code, item, score in ItemScore.objects.filter(
                assessment__framework__fiscal_year=2567
            ).values_list("assessment__organization__code", "item__code", "score")
        }
        transaction.set_rollback(True)
    return scores


def test_the_same_seed_gives_the_same_scores(demo):
    options = {"districts": 2, "years": (2567,), "actions_per_weak_item": 1}
    first = scores_of_a_run(**options)
    assert len(first) == 2 * 88
    assert scores_of_a_run(**options) == first
    assert scores_of_a_run(**options, seed=7) != first


def test_more_districts_than_loaded_is_refused(demo):
    with pytest.raises(ValueError, match="load_demo"):
        generate(districts=60)


def test_with_a_today_the_year_under_way_stops_there_and_excluded_districts_are_untouched(demo):
    today = date(2026, 11, 26)  # FY 2570 began on 1 October
    counts = generate(
        districts=2, years=(2569,), actions_per_weak_item=3, exclude=["1001"], today=today
    )
    assert counts["plans"] == 2
    plans = Plan.objects.filter(fiscal_year=2570)
    assert sorted(plans.values_list("organization__code", flat=True)) == ["1002", "1003"]
    updates = ProgressUpdate.objects.filter(action__finding__plan__in=plans)
    assert updates.exists()
    assert updates.aggregate(last=Max("reported_at"))["last"].astimezone(BANGKOK).date() <= today
    actions = Action.objects.filter(finding__plan__in=plans)
    assert not actions.filter(completed_on__gt=today).exists()
    assert actions.overdue(today).exists()
    for action in actions.filter(all_divisions=False):
        last = action.updates.order_by("reported_at", "pk").last()
        expected = (last.status, last.progress) if last else (Action.Status.NOT_STARTED, 0)
        assert (action.status, action.progress) == expected
