"""The page "เริ่มแผนปีงบประมาณถัดไป": who may use it, the preview, the ticks, the decision
for an unlinked action, and nothing lost when the form comes back with an error."""

import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from plans.models import Action, Plan
from tests.factories import make_organization, make_user
from tests.plans.start_world import make_start_world

pytestmark = pytest.mark.django_db
URL = reverse("start_plan", args=["1009"])


@pytest.fixture
def world():
    world = make_start_world()
    world.other_owner = make_user(
        "other",
        organization=make_organization(code="1033", name_th="เขตคลองเตย"),
        role="plan_owner",
    )
    world.admin = make_user("admin", is_superuser=True, is_staff=True)
    return world


def step1(world, **changes):
    data = {
        "assessment": world.a65.pk,
        "fiscal_year": 2566,
        "items": "below-pass",
        "carry_over": "on",
        "step": "preview",
    }
    return {**data, **changes}


def item_pk(world, code):
    return str(world.fw65.items.get(code=code).pk)


@pytest.mark.parametrize("who, status", [("staff", 403), ("manager", 403), ("other_owner", 404)])
def test_only_the_plan_owner_and_admins(client, world, who, status):
    client.force_login(getattr(world, who))
    assert client.get(URL).status_code == status
    assert client.post(URL, {**step1(world), "step": "create"}).status_code == status
    assert not Plan.objects.filter(fiscal_year=2566).exists()


def test_signed_out_goes_to_sign_in(client, world):
    assert client.get(URL).status_code == 302


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_step_one_offers_the_latest_assessment_and_next_year(client, world, who):
    client.force_login(getattr(world, who))
    response = client.get(URL)
    assert response.status_code == 200
    form = response.context["form"]
    assert form["assessment"].value() == world.a65.pk
    assert form["fiscal_year"].value() == 2566


def test_preview_shows_the_ticked_findings_carried_and_unlinked_actions(client, world):
    client.force_login(world.owner)
    response = client.post(URL, step1(world))
    page = response.content.decode()
    assert response.status_code == 200
    assert "สร้างแผน" in page and "ประจำปีงบประมาณ พ.ศ. 2566 สำนักงานเขตพระโขนง" in page
    choices = response.context["choices"]
    assert choices["findings"].value() == [
        item_pk(world, code) for code in ["O1", "E3", "E2", "E1", "E5", "E4", "I3", "I1"]
    ]
    assert world.open_o1.text in page and world.open_e3.text in page
    assert "ไม่ยกมา" in page and world.open_i2.text in page
    assert "ไตรมาสที่ 1 (ต.ค. – ธ.ค. 65)" in page
    assert not Plan.objects.filter(fiscal_year=2566).exists()


def test_create_with_unticked_findings_and_a_decision(client, world):
    client.force_login(world.owner)
    data = {
        **step1(world),
        "step": "create",
        "findings": [item_pk(world, "O1"), item_pk(world, "E2")],
        "more_findings": [item_pk(world, "I4")],
        f"unlinked_{world.open_i2.pk}": item_pk(world, "I1"),
    }
    response = client.post(URL, data)
    plan = Plan.objects.get(organization=world.organization, fiscal_year=2566)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert [f.item.code for f in plan.findings.order_by("order")] == ["O1", "E2", "I4", "E3", "I1"]
    assert Action.objects.get(carried_from=world.open_i2).finding.item.code == "I1"
    message = str(next(iter(get_messages(response.wsgi_request))))
    assert message == (
        "สร้างแผนปีงบประมาณ 2566 แล้ว: 5 ประเด็น, ยกมา 3 การปรับปรุง, ไม่ได้ยกมา 0, 4 รอบการติดตาม"
    )


def test_an_error_brings_the_form_back_with_every_tick(client, world):
    client.force_login(world.owner)
    data = {
        **step1(world),
        "step": "create",
        "findings": [item_pk(world, "E2")],
        "more_findings": [item_pk(world, "I4")],
        # An item of last year's edition: not a choice.
        f"unlinked_{world.open_i2.pk}": str(world.fw64.items.get(code="I1").pk),
    }
    response = client.post(URL, data)
    assert response.status_code == 200
    choices = response.context["choices"]
    assert choices.errors
    assert choices["findings"].value() == [item_pk(world, "E2")]
    assert choices["more_findings"].value() == [item_pk(world, "I4")]
    page = response.content.decode()
    ticked = re.search(rf'<input[^>]*value="{item_pk(world, "I4")}"[^>]*>', page).group(0)
    assert "checked" in ticked
    unticked = re.search(rf'<input[^>]*value="{item_pk(world, "O1")}"[^>]*>', page).group(0)
    assert "checked" not in unticked
    assert not Plan.objects.filter(fiscal_year=2566).exists()


def test_another_year_asks_for_confirmation(client, world):
    client.force_login(world.owner)
    response = client.post(URL, step1(world, fiscal_year=2567))
    assert response.status_code == 200
    assert "โปรดยืนยันปีของแผน" in response.context["form"].errors["confirm_year"][0]
    response = client.post(URL, step1(world, fiscal_year=2567, confirm_year="on"))
    assert "choices" in response.context


def test_a_plan_of_that_year_is_refused(client, world):
    client.force_login(world.owner)
    client.post(URL, {**step1(world), "step": "create"})
    response = client.post(URL, step1(world))
    assert "มีแผนปีงบประมาณ 2566 อยู่แล้ว" in response.content.decode()
    assert Plan.objects.filter(fiscal_year=2566).count() == 1


def test_the_button_on_the_scores_page_and_home_while_a_plan_is_due(client, world):
    scores = reverse("scores", args=["1009", 2565])
    client.force_login(world.owner)
    assert URL in client.get(scores).content.decode()
    assert URL in client.get(reverse("home")).content.decode()
    client.force_login(world.manager)
    assert URL not in client.get(scores).content.decode()
    client.force_login(world.owner)
    client.post(URL, {**step1(world), "step": "create"})
    assert URL not in client.get(scores).content.decode()
    assert URL not in client.get(reverse("home")).content.decode()


def test_the_plan_page_shows_where_an_action_came_from_and_went(client, world):
    client.force_login(world.owner)
    client.post(URL, {**step1(world), "step": "create"})
    new = Action.objects.get(carried_from=world.open_o1)
    page = client.get(new.finding.plan.get_absolute_url()).content.decode()
    assert "ยกมาจากแผนปี 2565" in page and world.open_o1.get_absolute_url() in page
    old_page = client.get(world.open_o1.get_absolute_url()).content.decode()
    assert "ยกไปแผนปี 2566" in old_page and new.get_absolute_url() in old_page
