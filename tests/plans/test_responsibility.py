"""Every action has a lead division or is "ทุกฝ่าย": one with neither would vanish from every
division's list. The form, the admin, the plan import and the database all refuse it."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments.tables import TableError
from plans.admin import ActionAdminForm
from plans.loaders import load_plan, read_plan_table
from plans.models import Action, responsibility_error
from tests.plans.small_plan import action_form_data, make_small_plan

pytestmark = pytest.mark.django_db
MESSAGE = "ระบุฝ่ายหลัก หรือเลือก “ทุกฝ่าย”"


def test_the_rule():
    assert MESSAGE in responsibility_error(None, False)
    assert responsibility_error(None, True) is None
    assert responsibility_error(3, False) is None


@pytest.fixture
def world():
    return make_small_plan()


def test_the_database_refuses_an_action_nobody_answers_for(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=world.action.pk).update(lead_division=None, all_divisions=False)
    Action.objects.filter(pk=world.action.pk).update(lead_division=None, all_divisions=True)


def test_the_model_names_the_lead_division_field(world):
    action = Action(finding=world.finding, text="ไม่มีเจ้าภาพ")
    with pytest.raises(ValidationError) as excinfo:
        action.full_clean()
    assert MESSAGE in excinfo.value.message_dict["lead_division"][0]


@pytest.mark.parametrize(
    ("lead", "all_divisions", "saved"),
    [(False, False, False), (False, True, True), (True, False, True)],
)
def test_the_edit_form(client, world, lead, all_divisions, saved):
    client.force_login(world.owner)
    data = action_form_data(
        world.action,
        text="ข้อความใหม่",
        lead_division=world.finance.pk if lead else "",
        all_divisions="on" if all_divisions else "",
    )
    response = client.post(reverse("action_edit", args=[world.action.pk]), data)
    assert response.status_code == (302 if saved else 200)
    if not saved:
        errors = response.context["form"].errors["lead_division"]
        assert errors == [responsibility_error(None, False)]  # said once
    world.action.refresh_from_db()
    assert (world.action.text == "ข้อความใหม่") == saved


def test_a_new_action_without_either_is_refused(client, world):
    client.force_login(world.owner)
    data = {"text": "งานใหม่", "status": "not_started"}
    response = client.post(reverse("action_create", args=[world.finding.pk]), data)
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not world.finding.actions.filter(text="งานใหม่").exists()


def test_the_admin_form_refuses_it(world):
    data = {"finding": world.finding.pk, "text": "x", "order": 1, "status": "not_started"}
    form = ActionAdminForm(data={**data, "progress": 0})
    assert not form.is_valid()
    assert MESSAGE in form.errors["lead_division"][0]


HEADER = (
    "ข้อ,หัวข้อการประเมิน,การวิเคราะห์การดำเนินงาน,จุดเด่น/จุดด้อย/ประเด็นที่จะต้องแก้ไข,"
    "การปรับปรุงในการดำเนินงานในปีงบประมาณ พ.ศ. 2565,ผู้รับผิดชอบ,ระยะเวลาการติดตาม,วิธีการติดตาม\n"
)


def test_the_import_refuses_a_row_with_actions_and_no_division_naming_row_and_column(world):
    rows = "O1,,- วิเคราะห์,- จุดด้อย,- ทำข้อแรก,,,\n"
    with pytest.raises(TableError) as caught:
        load_plan(world.plan, read_plan_table((HEADER + rows).encode(), "plan.csv"))
    (error,) = caught.value.errors
    assert (error.row, error.column) == (2, "ผู้รับผิดชอบ")
    assert "ไม่ได้ระบุฝ่ายที่รับผิดชอบ" in str(error)
    assert list(world.finding.actions.all()) == [world.action]
