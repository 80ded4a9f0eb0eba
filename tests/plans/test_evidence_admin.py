"""Evidence added through the admin passes the same file check as the report form: on the
progress report page and in the reports shown under an action."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plans.models import Action, Finding, ProgressUpdate
from tests.factories import make_plan, make_user
from tests.plans.test_evidence import HTML, PDF

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(assessment):
    plan = make_plan(assessment)
    finding = Finding.objects.create(plan=plan, item=assessment.framework.items.get(code="O1"))
    return Action.objects.create(finding=finding, text="เผยแพร่ข้อมูล", all_divisions=True)


@pytest.fixture
def root(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = make_user("root", is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def report(action, upload):
    return {
        "action": action.pk,
        "progress": "50",
        "status": "in_progress",
        "note": "",
        "evidence_url": "",
        "evidence_file": upload,
    }


def test_evidence_added_on_the_report_page_of_the_admin_is_checked(client, root, action, tmp_path):
    response = client.post(
        reverse("admin:plans_progressupdate_add"),
        report(action, SimpleUploadedFile("รายงาน.pdf", HTML)),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["evidence_file"]
    assert errors == ["ไฟล์ รายงาน.pdf ไม่ใช่ไฟล์ PDF จริง (เนื้อไฟล์เป็นหน้าเว็บ HTML)"]
    assert not ProgressUpdate.objects.exists()
    assert not any(tmp_path.rglob("*.pdf"))

    good = client.post(
        reverse("admin:plans_progressupdate_add"),
        report(action, SimpleUploadedFile("รายงาน.pdf", PDF)),
    )
    assert good.status_code == 302
    assert ProgressUpdate.objects.get().evidence_file.name.endswith(".pdf")


def test_evidence_added_in_the_reports_of_an_action_is_checked(client, root, action, tmp_path):
    url = reverse("admin:plans_action_change", args=[action.pk])
    data = {
        "finding": action.finding_id,
        "text": action.text,
        "order": "0",
        "status": action.status,
        "progress": "0",
        "follow_up_method": "",
        "updates-TOTAL_FORMS": "1",
        "updates-INITIAL_FORMS": "0",
        "updates-MIN_NUM_FORMS": "0",
        "updates-MAX_NUM_FORMS": "1000",
        "updates-0-progress": "50",
        "updates-0-status": "in_progress",
        "updates-0-evidence_file": SimpleUploadedFile("หลักฐาน.pdf", HTML),
    }
    response = client.post(url, data)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.errors[0]["evidence_file"] == [
        "ไฟล์ หลักฐาน.pdf ไม่ใช่ไฟล์ PDF จริง (เนื้อไฟล์เป็นหน้าเว็บ HTML)"
    ]
    assert not ProgressUpdate.objects.exists()
    assert not any(tmp_path.rglob("*.pdf"))
