"""An action of the plan may name the OIT item it prepares (one of the plan's edition)."""

from django.urls import reverse

from assessments.models import Item
from plans.models import Action, Finding
from tests.factories import make_plan


def _finding(world):
    plan = make_plan(world.assessment)
    return Finding.objects.create(plan=plan, item=world.rows["O1"].item)


def _new_action(client, finding, prepares):
    data = {
        "text": "เผยแพร่ข้อมูล O1",
        "status": "not_started",
        "all_divisions": "on",
        "prepares": prepares,
    }
    return client.post(reverse("action_create", args=[finding.pk]), data)


def test_an_action_prepares_an_oit_item_and_shows_it(client, oit_world):
    finding = _finding(oit_world)
    client.force_login(oit_world.users["owner"])
    item = oit_world.rows["O2"].item
    assert _new_action(client, finding, item.pk).status_code == 302
    action = Action.objects.get(finding=finding)
    assert action.prepares == item
    html = client.get(action.get_absolute_url()).content.decode()
    assert "เตรียมข้อ OIT" in html
    assert reverse("oit:readiness", args=["1009", 2564]) in html


def test_a_survey_item_cannot_be_prepared(client, oit_world):
    finding = _finding(oit_world)
    client.force_login(oit_world.users["owner"])
    survey = Item.objects.get(framework=oit_world.framework, code="I1")
    response = _new_action(client, finding, survey.pk)
    assert response.status_code == 200
    assert "prepares" in response.context["form"].errors
    assert not Action.objects.filter(finding=finding).exists()


def test_plan_and_scores_pages_link_the_readiness_page(client, oit_world):
    finding = _finding(oit_world)
    client.force_login(oit_world.users["owner"])
    link = reverse("oit:readiness", args=["1009", 2564])
    assert link in client.get(finding.plan.get_absolute_url()).content.decode()
    assert link in client.get(reverse("scores", args=["1009", 2564])).content.decode()
