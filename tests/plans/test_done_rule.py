"""One rule for "เสร็จสิ้น": 100 %, a completion date, and evidence or a note — wherever the
status is set (progress report, action edit form, admin), and held by the database."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from plans import dashboards
from plans.admin import ActionAdminForm
from plans.models import Action, ProgressUpdate, done_errors
from tests.plans.small_plan import action_form_data, make_small_plan

pytestmark = pytest.mark.django_db
DONE = Action.Status.DONE


@pytest.mark.parametrize(
    ("facts", "fields"),
    [
        ({"progress": 100, "completed_on": date(2022, 1, 5), "evidence": True}, set()),
        (
            {"progress": 0, "completed_on": None, "evidence": False},
            {"progress", "completed_on", "evidence"},
        ),
        ({"progress": 99, "completed_on": date(2022, 1, 5), "evidence": True}, {"progress"}),
        ({"progress": 100, "completed_on": None, "evidence": "เผยแพร่แล้ว"}, {"completed_on"}),
        ({"progress": 100, "completed_on": date(2022, 1, 5), "evidence": ""}, {"evidence"}),
        ({"progress": 50}, {"progress"}),  # what is not given is not judged here
        ({}, set()),
    ],
)
def test_the_done_rule_names_each_missing_field(facts, fields):
    assert set(done_errors(DONE, **facts)) == fields


@pytest.mark.parametrize("status", ["not_started", "in_progress", "cancelled"])
def test_other_statuses_are_not_held_to_the_done_rule(status):
    assert done_errors(status, progress=0, completed_on=None, evidence=False) == {}


def test_the_messages_are_thai():
    errors = done_errors(DONE, progress=10, completed_on=None, evidence=False)
    assert errors["progress"] == "งานที่เสร็จสิ้นต้องมีความก้าวหน้าร้อยละ 100"
    assert errors["completed_on"] == "งานที่เสร็จสิ้นต้องระบุวันที่แล้วเสร็จ"
    assert "ต้องแนบหลักฐาน" in errors["evidence"]


@pytest.fixture
def world():
    return make_small_plan()


@pytest.mark.parametrize(
    "fields", [{"progress": 0, "completed_on": date(2022, 1, 5)}, {"progress": 100}]
)
def test_the_database_refuses_done_without_100_and_a_date(world, fields):
    Action.objects.filter(pk=world.action.pk).update(status="in_progress")
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.filter(pk=world.action.pk).update(status=DONE, **fields)


def edit(client, action, **changes):
    return client.post(
        reverse("action_edit", args=[action.pk]), action_form_data(action, **changes)
    )


def test_the_edit_form_refuses_done_at_0_with_nothing(client, world):
    client.force_login(world.owner)
    response = edit(client, world.action, status=DONE, progress=0)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["progress"] == ["งานที่เสร็จสิ้นต้องมีความก้าวหน้าร้อยละ 100"]
    assert "ต้องแนบหลักฐาน" in errors["done_note"][0]
    world.action.refresh_from_db()
    assert world.action.status == "not_started"
    assert not ProgressUpdate.objects.exists()


def test_the_edit_form_refuses_done_without_a_completion_date(client, world):
    client.force_login(world.owner)
    response = edit(client, world.action, status=DONE, progress=100, done_note="เผยแพร่แล้ว")
    assert response.context["form"].errors["completed_on"] == ["งานที่เสร็จสิ้นต้องระบุวันที่แล้วเสร็จ"]
    world.action.refresh_from_db()
    assert world.action.status == "not_started"


def test_the_edit_form_offers_today_as_the_completion_date(client, world):
    client.force_login(world.owner)
    form = client.get(reverse("action_edit", args=[world.action.pk])).context["form"]
    assert form["completed_on"].value() == timezone.localdate()


def test_done_in_the_edit_form_records_the_note_and_link_as_the_done_report(client, world):
    client.force_login(world.owner)
    response = edit(
        client,
        world.action,
        status=DONE,
        progress=100,
        completed_on="15/1/2565",
        done_note="เผยแพร่บนเว็บไซต์เขตแล้ว",
        done_evidence_url="district.example/ita/o1",
    )
    assert response.status_code == 302
    world.action.refresh_from_db()
    assert (world.action.status, world.action.progress) == (DONE, 100)
    assert world.action.completed_on == date(2022, 1, 15)
    report = ProgressUpdate.objects.get()
    assert (report.status, report.progress, report.author) == (DONE, 100, world.owner)
    assert report.note == "เผยแพร่บนเว็บไซต์เขตแล้ว"
    assert report.evidence_url == "https://district.example/ita/o1"


def test_evidence_already_reported_is_enough(client, world):
    ProgressUpdate.objects.create(
        action=world.action, status=DONE, progress=100, evidence_url="https://x.example/1"
    )
    client.force_login(world.owner)
    response = edit(client, world.action, status=DONE, progress=100, completed_on="15/1/2565")
    assert response.status_code == 302
    world.action.refresh_from_db()
    assert world.action.status == DONE
    assert ProgressUpdate.objects.count() == 1  # nothing typed, nothing more recorded


def test_reopening_clears_the_completion_date(client, world):
    Action.objects.filter(pk=world.action.pk).update(
        status=DONE, progress=100, completed_on=date(2022, 1, 15)
    )
    world.action.refresh_from_db()
    client.force_login(world.owner)
    response = edit(client, world.action, status="in_progress", completed_on="15/1/2565")
    assert response.status_code == 302
    world.action.refresh_from_db()
    assert (world.action.status, world.action.completed_on) == ("in_progress", None)


def test_a_refused_done_is_not_counted_on_the_dashboard(client, world):
    client.force_login(world.owner)
    edit(client, world.action, status=DONE, progress=0)
    page = dashboards.progress_page(
        world.plan, Action.objects.filter(finding__plan=world.plan), date(2022, 2, 1)
    )
    assert page.totals[DONE] == 0


def test_a_progress_report_of_done_below_100_is_refused(client, world):
    client.force_login(world.staff)
    data = {"version": world.action.version, "progress": 80, "status": DONE, "note": "เสร็จ"}
    response = client.post(reverse("progress_create", args=[world.action.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["progress"] == ["งานที่เสร็จสิ้นต้องมีความก้าวหน้าร้อยละ 100"]
    assert not ProgressUpdate.objects.exists()


def admin_form(action, **changes):
    data = {
        "finding": action.finding_id,
        "text": action.text,
        "order": action.order,
        "lead_division": action.lead_division_id,
        "status": action.status,
        "progress": action.progress,
        "follow_up_method": "",
        **changes,
    }
    return ActionAdminForm(data=data, instance=action)


def test_the_admin_action_form_holds_the_same_rule(world):
    form = admin_form(world.action, status=DONE, progress=0)
    assert not form.is_valid()
    assert set(form.errors) == {"progress", "completed_on", "done_note"}
    good = admin_form(
        world.action, status=DONE, progress=100, completed_on="2022-01-15", done_note="ทำแล้ว"
    )
    assert good.is_valid(), good.errors


def test_a_done_report_typed_in_the_admin_needs_100_and_evidence(world):
    report = ProgressUpdate(action=world.action, status=DONE, progress=60)
    with pytest.raises(ValidationError) as excinfo:
        report.clean()
    assert set(excinfo.value.message_dict) == {"progress", "__all__"}
