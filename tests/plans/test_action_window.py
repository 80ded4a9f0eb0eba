"""An action due before it starts is refused with one message, on the due date."""

import pytest
from django.urls import reverse

from plans.models import Action
from tests.plans.test_staff_edits import user

pytestmark = pytest.mark.django_db
MESSAGE = "กำหนดเสร็จต้องไม่ก่อนวันเริ่มติดตาม"


@pytest.fixture
def action(demo):
    return Action.objects.filter(lead_division__name="ฝ่ายการคลัง").order_by("pk").first()


def as_shown(client, url) -> dict:
    """The form's fields as a browser sends them back."""
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    return {name: value for name, value in data.items() if value not in (None, False)}


def assert_refused_once(response):
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["due_on"] == [MESSAGE]
    assert form.non_field_errors() == []
    assert response.content.decode().count(MESSAGE) == 1


def test_editing_an_action_to_end_before_it_starts_says_so_once(client, action):
    client.force_login(user("owner"))
    url = reverse("action_edit", args=[action.pk])
    window = (action.starts_on, action.due_on)
    data = {**as_shown(client, url), "starts_on": "1/10/2565", "due_on": "30/9/2565"}

    assert_refused_once(client.post(url, data))
    action.refresh_from_db()
    assert (action.starts_on, action.due_on) == window


def test_adding_an_action_that_ends_before_it_starts_says_so_once(client, action):
    client.force_login(user("owner"))
    finding = action.finding
    count = finding.actions.count()
    data = {
        "text": "จัดอบรมเจ้าหน้าที่",
        "lead_division": action.lead_division.pk,
        "starts_on": "1/10/2565",
        "due_on": "30/9/2565",
        "status": "not_started",
    }

    assert_refused_once(client.post(reverse("action_create", args=[finding.pk]), data))
    assert finding.actions.count() == count
