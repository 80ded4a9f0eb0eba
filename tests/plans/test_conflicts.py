"""After a refused save the form is no dead end: it shows the latest values beside the user's,
carries the version it now shows, and keeps the evidence file; divisions reporting their own
part of a "ทุกฝ่าย" action never refuse each other."""

import os
import time
from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from plans import pending, progress
from plans.history import shown_typed
from plans.models import Action, Division, Finding, ProgressUpdate
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
KEPT = "ไฟล์ที่แนบไว้: รายงานการประชุม.pdf — จะใช้ไฟล์นี้เมื่อบันทึก"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def user(name):
    return get_user_model().objects.get(username=name)


@pytest.fixture
def finance():
    return Division.objects.get(organization__code="1009", name="ฝ่ายการคลัง")


@pytest.fixture
def finance_action(demo):
    return Action.objects.filter(lead_division__name="ฝ่ายการคลัง").order_by("pk").first()


@pytest.fixture
def shared_action(demo):
    """A "ทุกฝ่าย" action of the demo plan: every division reports its own part."""
    action = Action.objects.filter(finding__plan__organization__code="1009").order_by("pk").last()
    Action.objects.filter(pk=action.pk).update(all_divisions=True)
    action.refresh_from_db()
    return action


def as_sent(form, **changes) -> dict:
    """What a browser sends back from a shown form (no file: a browser never resends one)."""
    data = {name: form[name].value() for name in form.fields if name != "evidence_file"}
    data = {name: value for name, value in data.items() if value not in (None, False, "")}
    return {**data, **changes}


def open_form(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.context["form"]


def pending_files(media) -> list[str]:
    folder = media / pending.FOLDER
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# --- editing an action or a finding ---------------------------------------------------------


def test_after_a_conflict_saving_again_puts_the_users_text_over_the_one_now_shown(
    client, finance_action
):
    url = reverse("action_edit", args=[finance_action.pk])
    client.force_login(user("owner"))
    owners_form = open_form(client, url)
    client.force_login(user("admin"))
    assert (
        client.post(url, as_sent(open_form(client, url), text="ข้อความของผู้ดูแล")).status_code == 302
    )

    client.force_login(user("owner"))
    refused = client.post(url, as_sent(owners_form, text="ข้อความของเจ้าของแผน"))
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "ค่าล่าสุด" in page and "ค่าของท่าน" in page
    [row] = refused.context["stale"].differences
    assert (row.field, row.latest, row.yours, row.who) == (
        "การปรับปรุงการดำเนินงาน",
        "ข้อความของผู้ดูแล",
        "ข้อความของเจ้าของแผน",
        "admin",
    )
    finance_action.refresh_from_db()
    form = refused.context["form"]
    assert form["version"].value() == str(finance_action.version)  # the version now shown
    assert form["text"].value() == "ข้อความของเจ้าของแผน"  # the typing kept

    assert client.post(url, as_sent(form)).status_code == 302
    finance_action.refresh_from_db()
    assert finance_action.text == "ข้อความของเจ้าของแผน"
    assert finance_action.history.first().history_user.username == "owner"


def test_a_retry_is_refused_again_if_yet_another_change_came_in(client, finance_action):
    url = reverse("action_edit", args=[finance_action.pk])
    client.force_login(user("owner"))
    owners_form = open_form(client, url)
    client.force_login(user("admin"))
    client.post(url, as_sent(open_form(client, url), text="ครั้งที่ 1"))

    client.force_login(user("owner"))
    refused = client.post(url, as_sent(owners_form, text="ของเจ้าของแผน"))
    assert refused.status_code == 409
    client.force_login(user("admin"))
    client.post(url, as_sent(open_form(client, url), text="ครั้งที่ 2"))

    client.force_login(user("owner"))
    again = client.post(url, as_sent(refused.context["form"]))
    assert again.status_code == 409
    assert [r.latest for r in again.context["stale"].differences] == ["ครั้งที่ 2"]
    finance_action.refresh_from_db()
    assert finance_action.text == "ครั้งที่ 2"
    assert client.post(url, as_sent(again.context["form"])).status_code == 302
    finance_action.refresh_from_db()
    assert finance_action.text == "ของเจ้าของแผน"


def test_a_finding_edit_comes_back_with_the_current_version_too(client, demo):
    finding = Finding.objects.filter(plan__organization__code="1009").order_by("pk").first()
    url = reverse("finding_edit", args=[finding.pk])
    client.force_login(user("owner"))
    owners_form = open_form(client, url)
    client.force_login(user("admin"))
    client.post(url, as_sent(open_form(client, url), analysis="วิเคราะห์โดยผู้ดูแล"))

    client.force_login(user("owner"))
    refused = client.post(url, as_sent(owners_form, analysis="วิเคราะห์โดยเจ้าของแผน"))
    assert refused.status_code == 409
    rows = {r.field: (r.latest, r.yours) for r in refused.context["stale"].differences}
    assert ("วิเคราะห์โดยผู้ดูแล", "วิเคราะห์โดยเจ้าของแผน") in rows.values()
    assert client.post(url, as_sent(refused.context["form"])).status_code == 302
    finding.refresh_from_db()
    assert finding.analysis == "วิเคราะห์โดยเจ้าของแผน"


def test_a_changed_date_beside_the_users_is_shown_in_buddhist_era(finance_action):
    assert shown_typed(finance_action, "due_on", date(2022, 9, 30)) == "30 ก.ย. 2565"
    assert shown_typed(finance_action, "due_on", None) == "—"


# --- reporting progress: the evidence file survives --------------------------------------------


def report_data(version, **data):
    return {
        "version": version,
        "progress": 100,
        "status": "done",
        "note": "ประชุมชี้แจงครบทุกคนแล้ว",
        **data,
    }


def test_a_report_refused_as_stale_keeps_its_file_and_the_retry_uses_it(
    client, finance_action, media
):
    url = reverse("progress_create", args=[finance_action.pk])
    client.force_login(user("staff"))
    staff_form = open_form(client, url)
    colleague = make_user(
        "staff-2",
        organization=finance_action.finding.plan.organization,
        division=finance_action.lead_division,
    )
    client.force_login(colleague)
    colleagues = report_data(
        open_form(client, url)["version"].value(),
        progress=40,
        status="in_progress",
        note="เพื่อนร่วมฝ่ายรายงาน",
    )
    assert client.post(url, colleagues).status_code == 302

    client.force_login(user("staff"))
    upload = SimpleUploadedFile("รายงานการประชุม.pdf", PDF)
    refused = client.post(url, report_data(staff_form["version"].value(), evidence_file=upload))
    assert refused.status_code == 409
    page = refused.content.decode()
    assert KEPT in page
    rows = {r.field: (r.latest, r.yours, r.who) for r in refused.context["stale"].differences}
    assert rows["สถานะ"] == ("กำลังดำเนินการ", "เสร็จสิ้น", "staff-2")
    assert rows["ความก้าวหน้า (ร้อยละ)"] == ("40", "100", "staff-2")
    assert rows["รายละเอียด"] == ("เพื่อนร่วมฝ่ายรายงาน", "ประชุมชี้แจงครบทุกคนแล้ว", "staff-2")
    assert len(pending_files(media)) == 1
    assert ProgressUpdate.objects.filter(action=finance_action).count() == 1

    form = refused.context["form"]
    assert client.post(url, as_sent(form)).status_code == 302
    update = ProgressUpdate.objects.filter(action=finance_action).latest("pk")
    assert update.author.username == "staff"
    assert update.evidence_file.name == f"evidence/{finance_action.pk}/รายงานการประชุม.pdf"
    assert update.evidence_file.read() == PDF
    assert pending_files(media) == []  # the kept copy is gone once the report has its own
    finance_action.refresh_from_db()
    assert (finance_action.status, finance_action.progress) == ("done", 100)


def test_a_form_shown_again_for_a_mistake_keeps_a_valid_file(client, finance_action, media):
    url = reverse("progress_create", args=[finance_action.pk])
    client.force_login(user("staff"))
    version = open_form(client, url)["version"].value()
    upload = SimpleUploadedFile("รายงานการประชุม.pdf", PDF)
    mistake = report_data(version, progress=50, evidence_file=upload)  # done needs 100
    shown = client.post(url, mistake)
    assert shown.status_code == 200
    assert KEPT in shown.content.decode()
    assert not ProgressUpdate.objects.exists()

    assert client.post(url, as_sent(shown.context["form"], progress=100)).status_code == 302
    assert ProgressUpdate.objects.get().evidence_file.read() == PDF


def test_a_file_that_fails_the_check_is_not_kept(client, finance_action, media):
    url = reverse("progress_create", args=[finance_action.pk])
    client.force_login(user("staff"))
    version = open_form(client, url)["version"].value()
    upload = SimpleUploadedFile("report.pdf", b"<html><body>not a pdf</body></html>")
    shown = client.post(url, report_data(version, evidence_file=upload))
    assert "ไม่ใช่" in " ".join(shown.context["form"].errors["evidence_file"])
    assert "ไฟล์ที่แนบไว้" not in shown.content.decode()
    assert pending_files(media) == []


def kept_token(client, action, media) -> str:
    """Have staff's report shown again with a kept file; return the form's token."""
    url = reverse("progress_create", args=[action.pk])
    client.force_login(user("staff"))
    version = open_form(client, url)["version"].value()
    upload = SimpleUploadedFile("รายงานการประชุม.pdf", PDF)
    shown = client.post(url, report_data(version, progress=50, evidence_file=upload))
    token = shown.context["form"]["pending_evidence"].value()
    assert token and len(pending_files(media)) == 1
    return token


def test_a_kept_file_serves_only_its_user_on_its_action(client, finance_action, media):
    token = kept_token(client, finance_action, media)
    other_action = (
        Action.objects.filter(lead_division=finance_action.lead_division)
        .exclude(pk=finance_action.pk)
        .first()
    )
    colleague = make_user(
        "staff-2",
        organization=finance_action.finding.plan.organization,
        division=finance_action.lead_division,
    )
    attempts = [(colleague, finance_action), (user("staff"), other_action)]
    for who, action in attempts:
        client.force_login(who)
        url = reverse("progress_create", args=[action.pk])
        version = open_form(client, url)["version"].value()
        refused = client.post(url, report_data(version, pending_evidence=token))
        assert refused.status_code == 200
        errors = " ".join(refused.context["form"].errors["evidence_file"])
        assert "หมดอายุหรือใช้ไม่ได้" in errors
        assert "ไฟล์ที่แนบไว้" not in refused.content.decode()
    assert not ProgressUpdate.objects.exists()
    assert len(pending_files(media)) == 1  # still there for its owner


def test_an_expired_token_is_refused_with_a_message(client, finance_action, media, monkeypatch):
    token = kept_token(client, finance_action, media)
    monkeypatch.setattr(pending, "MAX_AGE", timedelta(seconds=-1))
    url = reverse("progress_create", args=[finance_action.pk])
    version = open_form(client, url)["version"].value()
    refused = client.post(url, report_data(version, pending_evidence=token))
    assert "กรุณาแนบไฟล์อีกครั้ง" in " ".join(refused.context["form"].errors["evidence_file"])
    assert not ProgressUpdate.objects.exists()


def test_a_kept_file_goes_through_the_check_again(client, finance_action, media):
    token = kept_token(client, finance_action, media)
    [name] = pending_files(media)
    (media / pending.FOLDER / name).write_bytes(b"<html><body>swapped</body></html>")
    url = reverse("progress_create", args=[finance_action.pk])
    version = open_form(client, url)["version"].value()
    refused = client.post(url, report_data(version, pending_evidence=token))
    assert "ไม่ใช่" in " ".join(refused.context["form"].errors["evidence_file"])
    assert not ProgressUpdate.objects.exists()


def test_a_new_file_replaces_the_kept_one(client, finance_action, media):
    token = kept_token(client, finance_action, media)
    url = reverse("progress_create", args=[finance_action.pk])
    version = open_form(client, url)["version"].value()
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    upload = SimpleUploadedFile("ภาพถ่าย.png", png)
    data = report_data(version, pending_evidence=token, evidence_file=upload)
    assert client.post(url, data).status_code == 302
    assert ProgressUpdate.objects.get().evidence_file.read() == png


def test_kept_files_older_than_a_day_are_deleted(media):
    storage = storages["default"]
    old = storage.save(f"{pending.FOLDER}/aaa_เก่า.pdf", ContentFile(PDF))
    new = storage.save(f"{pending.FOLDER}/bbb_ใหม่.pdf", ContentFile(PDF))
    day_and_a_bit = time.time() - 25 * 3600
    os.utime(storage.path(old), (day_and_a_bit, day_and_a_bit))
    out = StringIO()
    call_command("clear_pending_evidence", stdout=out)
    assert "removed 1 of 2" in out.getvalue()
    assert not storage.exists(old) and storage.exists(new)


def test_clearing_without_any_kept_file_removes_nothing(media):
    out = StringIO()
    call_command("clear_pending_evidence", stdout=out)
    assert "removed 0 of 0" in out.getvalue()


# --- "ทุกฝ่าย" actions: each division against its own latest report ----------------------------


def division_staff(division) -> object:
    return make_user(f"staff-{division.pk}", organization=division.organization, division=division)


def test_two_divisions_reporting_on_the_same_all_divisions_action_never_conflict(
    client, shared_action, finance
):
    url = reverse("progress_create", args=[shared_action.pk])
    other = Division.objects.filter(organization=finance.organization).exclude(pk=finance.pk)[0]
    client.force_login(user("staff"))
    finance_form = open_form(client, url)
    client.force_login(division_staff(other))
    other_form = open_form(client, url)

    assert (
        client.post(
            url, as_sent(other_form, progress=60, status="in_progress", note="ฝ่ายอื่น")
        ).status_code
        == 302
    )
    client.force_login(user("staff"))
    assert (
        client.post(
            url, as_sent(finance_form, progress=100, status="done", note="ฝ่ายการคลัง")
        ).status_code
        == 302
    )

    divisions = finance.organization.divisions.count()
    shared_action.refresh_from_db()
    assert shared_action.status == "in_progress"
    assert shared_action.progress == (60 + 100) // divisions  # both parts counted
    assert ProgressUpdate.objects.filter(action=shared_action).count() == 2


def test_the_same_division_reporting_twice_from_one_view_is_refused_then_retried(
    client, shared_action, finance
):
    url = reverse("progress_create", args=[shared_action.pk])
    client.force_login(user("staff"))
    first = open_form(client, url)
    colleague = make_user("staff-2", organization=finance.organization, division=finance)
    client.force_login(colleague)
    assert (
        client.post(
            url,
            as_sent(
                open_form(client, url),
                progress=30,
                status="in_progress",
                note="รายงานของเพื่อนร่วมฝ่าย",
            ),
        ).status_code
        == 302
    )

    client.force_login(user("staff"))
    refused = client.post(url, as_sent(first, progress=50, status="in_progress", note="ของฉัน"))
    assert refused.status_code == 409
    rows = {r.field: (r.latest, r.yours) for r in refused.context["stale"].differences}
    assert rows["ความก้าวหน้า (ร้อยละ)"] == ("30", "50")
    assert rows["รายละเอียด"] == ("รายงานของเพื่อนร่วมฝ่าย", "ของฉัน")
    assert client.post(url, as_sent(refused.context["form"])).status_code == 302
    latest = ProgressUpdate.objects.filter(action=shared_action, division=finance).latest("pk")
    assert (latest.author.username, latest.progress) == ("staff", 50)


def test_an_edit_of_the_action_does_not_refuse_a_divisions_report(client, shared_action):
    url = reverse("progress_create", args=[shared_action.pk])
    client.force_login(user("staff"))
    form = open_form(client, url)
    Action.objects.get(pk=shared_action.pk).save()  # e.g. the owner moved the due date
    data = as_sent(form, progress=20, status="in_progress", note="เริ่มแล้ว")
    assert client.post(url, data).status_code == 302


def test_a_plan_owners_report_on_an_all_divisions_action_follows_the_actions_version(
    client, shared_action, finance
):
    url = reverse("progress_create", args=[shared_action.pk])
    client.force_login(user("owner"))
    owners_form = open_form(client, url)
    assert owners_form["version"].value() == str(shared_action.version)
    client.force_login(user("staff"))
    client.post(
        url, as_sent(open_form(client, url), progress=40, status="in_progress", note="ฝ่ายการคลัง")
    )

    # The owner sets the whole action over the divisions' parts: only over what was seen.
    client.force_login(user("owner"))
    refused = client.post(url, as_sent(owners_form, progress=100, status="done", note="ปิดงานทั้งหมด"))
    assert refused.status_code == 409
    assert client.post(url, as_sent(refused.context["form"])).status_code == 302
    shared_action.refresh_from_db()
    assert (shared_action.status, shared_action.progress) == ("done", 100)


def test_the_basis_of_a_report(shared_action, finance, finance_action):
    assert progress.basis(shared_action, finance) == f"d{finance.pk}-0"
    update = ProgressUpdate.objects.create(
        action=shared_action, division=finance, progress=10, status="in_progress"
    )
    assert progress.basis(shared_action, finance) == f"d{finance.pk}-{update.pk}"
    assert progress.basis(shared_action, None) == str(shared_action.version)
    assert progress.basis(finance_action, finance) == str(finance_action.version)
