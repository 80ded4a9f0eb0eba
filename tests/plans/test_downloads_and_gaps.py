"""Downloads and gaps: a missing evidence file, a deleted reporter, Thai download names."""

from urllib.parse import quote

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse

from plans.documents import report, xlsx
from plans.models import Action, ProgressUpdate
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def user(name):
    return get_user_model().objects.get(username=name)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def finance_action(demo):
    return Action.objects.filter(lead_division__name="ฝ่ายการคลัง").order_by("pk").first()


def reported(action, author, file_name="หลักฐาน.pdf"):
    update = ProgressUpdate(action=action, author=author, progress=50, status="in_progress")
    update.evidence_file.save(file_name, ContentFile(PDF), save=False)
    update.save()
    return update


def test_an_evidence_file_missing_from_storage_is_not_found_with_a_thai_message(
    client, finance_action
):
    update = reported(finance_action, user("staff"))
    update.evidence_file.storage.delete(update.evidence_file.name)
    client.force_login(user("staff"))
    response = client.get(reverse("evidence", args=[update.pk]))
    assert response.status_code == 404
    assert "ไม่พบไฟล์หลักฐานของรายงานนี้ในที่เก็บไฟล์" in response.content.decode()


def test_a_thai_evidence_name_is_encoded_in_the_download_header(client, finance_action):
    update = reported(finance_action, user("staff"), "รายงานการประชุม.pdf")
    client.force_login(user("staff"))
    response = client.get(reverse("evidence", args=[update.pk]))
    assert response.status_code == 200
    assert f"filename*=utf-8''{quote('รายงานการประชุม.pdf')}" in response["Content-Disposition"]


def test_a_report_whose_author_was_deleted_still_shows_with_a_dash(client, finance_action):
    gone = make_user(
        "leaver", organization=finance_action.finding.plan.organization, role="plan_owner"
    )
    reported(finance_action, gone)
    gone.delete()
    client.force_login(user("staff"))
    response = client.get(reverse("action_detail", args=[finance_action.pk]))
    assert response.status_code == 200
    update, _round = response.context["updates"][0]
    assert update.author is None
    page = response.content.decode()
    assert '<td data-label="ผู้รายงาน">—</td>' in page


@pytest.mark.parametrize(
    ("page", "module", "function"),
    [("plan_xlsx", xlsx, "file_name"), ("plan_pdf", report, "pdf_file_name")],
)
def test_download_names_go_through_django_s_header_helper(
    client, demo, monkeypatch, page, module, function
):
    """A name outside latin-1 (a Thai plan title, say) is encoded, not a 500."""
    monkeypatch.setattr(module, function, lambda plan, *args: "แผนปรับปรุง 2565.xlsx")
    if page == "plan_pdf":
        monkeypatch.setattr(report, "render_pdf", lambda plan, request: PDF)
    client.force_login(user("manager"))
    response = client.get(reverse(page, args=["1009", 2565]))
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert header.startswith("attachment; ")
    assert f"filename*=utf-8''{quote('แผนปรับปรุง 2565.xlsx')}" in header
