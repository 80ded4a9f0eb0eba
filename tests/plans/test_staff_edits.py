"""Editing and reporting: no lost updates, history with the right user, evidence rules."""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Organization
from plans.models import Action, ProgressUpdate
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def user(name):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def finance_action(demo):
    return Action.objects.filter(lead_division__name="ฝ่ายการคลัง").order_by("pk").first()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def edit(client, action, version, text):
    """Post the edit form as a browser would: every field as shown, with a new text."""
    url = reverse("action_edit", args=[action.pk])
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {name: value for name, value in data.items() if value not in (None, False)}
    return client.post(url, {**data, "version": version, "text": text})


def test_a_stale_edit_is_refused_showing_what_changed_and_keeping_the_typing(
    client, finance_action
):
    owner, admin = user("owner"), user("admin")
    seen = finance_action.version
    client.force_login(admin)
    assert edit(client, finance_action, seen, "ข้อความของผู้ดูแล").status_code == 302
    client.force_login(owner)
    response = edit(client, finance_action, seen, "ข้อความของเจ้าของแผน")
    assert response.status_code == 409
    page = response.content.decode()
    assert "มีผู้แก้ไขรายการนี้หลังจากที่ท่านเปิดแบบฟอร์ม" in page
    changes = response.context["stale"].changes
    assert [(c.field, c.new, c.who) for c in changes] == [
        ("การปรับปรุงการดำเนินงาน", "ข้อความของผู้ดูแล", "admin")
    ]
    assert "ข้อความของเจ้าของแผน" in page  # what the owner typed is still in the form
    finance_action.refresh_from_db()
    assert finance_action.text == "ข้อความของผู้ดูแล"
    assert finance_action.version == seen + 1


def test_each_save_writes_history_with_the_user_who_made_it(client, finance_action):
    client.force_login(user("owner"))
    edit(client, finance_action, finance_action.version, "ปรับข้อความ")
    latest = finance_action.history.first()
    assert (latest.history_user.username, latest.text) == ("owner", "ปรับข้อความ")
    page = client.get(reverse("action_detail", args=[finance_action.pk])).content.decode()
    assert "ปรับข้อความ" in page and "owner" in page


def report(client, action, **data):
    data = {"version": action.version, "progress": 100, "status": "done", "note": "", **data}
    return client.post(reverse("progress_create", args=[action.pk]), data)


def test_done_without_evidence_or_note_is_refused(client, finance_action):
    client.force_login(user("staff"))
    response = report(client, finance_action)
    assert response.status_code == 200
    assert "ต้องแนบหลักฐาน" in response.content.decode()
    assert not ProgressUpdate.objects.exists()
    finance_action.refresh_from_db()
    assert finance_action.status == "not_started"


def test_done_with_a_pdf_is_stored_privately_and_served_to_those_who_may_see(
    client, finance_action
):
    client.force_login(user("staff"))
    file = SimpleUploadedFile("หลักฐาน.pdf", PDF, content_type="application/pdf")
    assert report(client, finance_action, evidence_file=file).status_code == 302
    update = ProgressUpdate.objects.get()
    finance_action.refresh_from_db()
    assert (finance_action.status, finance_action.progress) == ("done", 100)
    assert finance_action.completed_on == date.today()
    assert (update.author.username, update.division.name) == ("staff", "ฝ่ายการคลัง")
    # The demo plan's last round ended long ago: the report is filed after the plan, late.
    assert update.round is None
    url = reverse("evidence", args=[update.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    other = make_user(
        "khlongtoei", organization=Organization.objects.get(code="1033"), role="district_manager"
    )
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"<html><body>not a pdf</body></html>", "ไม่ใช่"),
        ("tool.exe", b"MZ\x90\x00" + b"\x00" * 64, "รับเฉพาะ"),
    ],
)
def test_evidence_of_the_wrong_type_is_refused_with_a_message(
    client, finance_action, name, content, message
):
    client.force_login(user("staff"))
    file = SimpleUploadedFile(name, content)
    response = report(client, finance_action, evidence_file=file, note="แนบไฟล์")
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["evidence_file"])
    assert not ProgressUpdate.objects.exists()


def test_evidence_over_the_size_limit_is_refused(client, finance_action, settings):
    settings.ITA_EVIDENCE_MAX_BYTES = 1024
    client.force_login(user("staff"))
    file = SimpleUploadedFile("big.pdf", PDF + b"0" * 2048)
    response = report(client, finance_action, evidence_file=file, note="แนบไฟล์")
    assert "ใหญ่เกิน" in " ".join(response.context["form"].errors["evidence_file"])
    assert not ProgressUpdate.objects.exists()


def test_a_report_over_a_changed_action_is_refused(client, finance_action):
    client.force_login(user("staff"))
    seen = finance_action.version
    finance_action.text = "ผู้อื่นแก้ข้อความ"
    finance_action.save()
    response = report(client, finance_action, version=seen, status="in_progress", progress=30)
    assert response.status_code == 409
    assert not ProgressUpdate.objects.exists()


def test_cancelling_needs_a_reason_and_staff_never_delete(client, finance_action):
    client.force_login(user("staff"))
    response = report(client, finance_action, status="cancelled", progress=0)
    assert "เหตุผล" in " ".join(response.context["form"].errors["note"])
    report(client, finance_action, status="cancelled", progress=0, note="ไม่ต้องทำแล้ว")
    finance_action.refresh_from_db()
    assert finance_action.status == "cancelled"
    assert Action.objects.filter(pk=finance_action.pk).exists()


@pytest.mark.parametrize(
    ("days_past_due", "status", "overdue"),
    [
        (-1, "not_started", False),
        (0, "in_progress", False),
        (1, "in_progress", True),
        (1, "done", False),
        (1, "cancelled", False),
    ],
)
def test_overdue_is_derived_around_the_due_date(finance_action, days_past_due, status, overdue):
    today = date(2025, 6, 30)
    finance_action.due_on = today - timedelta(days=days_past_due)
    finance_action.status = status
    if status == "done":
        finance_action.progress, finance_action.completed_on = 100, today
    finance_action.save()
    assert finance_action.is_overdue(today) is overdue
    assert Action.objects.overdue(today).filter(pk=finance_action.pk).exists() is overdue


def test_an_owner_adds_an_action_with_buddhist_era_dates(client, finance_action):
    client.force_login(user("owner"))
    finding = finance_action.finding
    data = {
        "text": "จัดอบรมเจ้าหน้าที่",
        "lead_division": finance_action.lead_division.pk,
        "starts_on": "1/10/2568",
        "due_on": "31/3/2569",
        "status": "not_started",
    }
    response = client.post(reverse("action_create", args=[finding.pk]), data)
    assert response.status_code == 302
    action = finding.actions.get(text="จัดอบรมเจ้าหน้าที่")
    assert (action.starts_on, action.due_on) == (date(2025, 10, 1), date(2026, 3, 31))
    assert action.order == finding.actions.count()
