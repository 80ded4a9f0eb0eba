"""The whole yearly cycle from the demo with commands alone: the edition copied to the next
year, that year's scores imported, next year's plan started with last year's unfinished
actions carried over, and the scores page comparing the two years item by item."""

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Assessment, Framework, ItemLink, ItemScore
from plans.models import Action, Plan

pytestmark = pytest.mark.django_db

SCORES_2565 = Path(__file__).parents[2] / "fixtures/examples/phra_khanong_scores_2565.csv"


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_a_district_runs_its_next_year_with_commands_alone(demo, client):
    old_plan = Plan.objects.get(organization__code="1009", fiscal_year=2565)
    old_actions = Action.objects.filter(finding__plan=old_plan)
    assert old_actions.count() == 103
    open_before = set(
        old_actions.exclude(status__in=[Action.Status.DONE, Action.Status.CANCELLED]).values_list(
            "pk", flat=True
        )
    )

    run("copy_framework", "--from-year", "2564", "--to-year", "2565")
    edition = Framework.objects.get(fiscal_year=2565)
    assert edition.items.count() == 88
    assert ItemLink.objects.confirmed().filter(to_framework=edition).count() == 88

    run("import_scores", str(SCORES_2565))
    assessment = Assessment.objects.get(organization__code="1009", framework=edition)
    assert ItemScore.objects.filter(assessment=assessment).count() == 88

    run("start_plan", "--organization", "1009", "--year", "2566")
    plan = Plan.objects.get(organization__code="1009", fiscal_year=2566)
    assert plan.assessment == assessment
    assert plan.status == Plan.Status.DRAFT
    carried = Action.objects.filter(finding__plan=plan, carried_from__isnull=False)
    # Every open action of the FY 2565 plan, and only those, carried with its origin.
    assert set(carried.values_list("carried_from", flat=True)) == open_before
    assert carried.count() == len(open_before)
    for action in carried.select_related("carried_from__finding__item", "finding__item"):
        origin = action.carried_from
        assert action.text == origin.text
        assert action.status == Action.Status.NOT_STARTED and action.progress == 0
        assert action.finding.item.code == origin.finding.item.code
        assert action.finding.item.framework_id == edition.pk
        if origin.due_on:
            assert (action.due_on.month, action.due_on.year) == (
                origin.due_on.month,
                origin.due_on.year + 1,
            )
    assert plan.rounds.count() == 4
    assert "ประจำปีงบประมาณ พ.ศ. 2566" in plan.title

    client.force_login(get_user_model().objects.get(username="manager"))
    response = client.get(reverse("scores", args=["1009", 2565]))
    assert response.status_code == 200
    rows = response.context["page"].items
    assert len(rows) == 88
    assert all(row.previous is not None for row in rows)
    i1 = next(row for row in rows if row.item.code == "I1")
    assert (i1.previous, i1.score) == (Decimal("84.67"), Decimal("88.50"))
