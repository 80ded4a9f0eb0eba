"""The demo district starts FY 2566 from a copy of the 2564 edition: every open action of the
seed's FY 2565 plan is carried over with its origin, none is left behind."""

from datetime import date

import pytest

from assessments.models import Assessment, Framework, ItemScore
from plans import starting
from plans.models import Action, Plan
from tests.plans.next_edition import copy_edition

pytestmark = pytest.mark.django_db


def test_demo_plan_carries_every_open_action(demo):
    fw64 = Framework.objects.get(fiscal_year=2564)
    fw65 = copy_edition(fw64, 2565)
    a64 = Assessment.objects.get(organization__code="1009", framework=fw64)
    a65 = Assessment.objects.create(organization=a64.organization, framework=fw65)
    items = {item.code: item for item in fw65.items.all()}
    ItemScore.objects.bulk_create(
        ItemScore(assessment=a65, item=items[code], score=score)
        for code, score in a64.scores.values_list("item__code", "score")
    )
    old = Plan.objects.get(organization__code="1009", fiscal_year=2565)
    actions = list(Action.objects.filter(finding__plan=old).order_by("pk"))
    assert len(actions) == 103
    # The seed's actions are all open: one done and one cancelled are left behind.
    Action.objects.filter(pk=actions[0].pk).update(
        status=Action.Status.DONE, progress=100, completed_on=date(2022, 5, 1)
    )
    Action.objects.filter(pk=actions[1].pk).update(status=Action.Status.CANCELLED)
    open_actions = Action.objects.filter(finding__plan=old).open()
    assert open_actions.count() == 101

    started = starting.apply(starting.build_preview(a64.organization))

    assert started.plan.fiscal_year == 2566
    assert (started.carried, started.unlinked) == (101, 0)
    assert started.rounds == 4
    assert set(
        Action.objects.filter(finding__plan=started.plan).values_list("carried_from", flat=True)
    ) == set(open_actions.values_list("pk", flat=True))
