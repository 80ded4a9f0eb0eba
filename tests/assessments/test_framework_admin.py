"""A whole edition in the admin: upload → preview → confirm, export, copy; superusers only."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.framework_book import import_book
from assessments.loaders import load_framework
from assessments.models import Framework, ImportRecord, ItemLink
from tests.assessments.editions_2566 import book_sheets, build_2566_workbook, workbook_bytes
from tests.factories import make_user

pytestmark = pytest.mark.django_db

CATALOG_2564 = Path(__file__).resolve().parents[2] / "fixtures" / "ita2564"
IMPORT = reverse("admin:assessments_framework_import")
CONFIRM = reverse("admin:assessments_framework_process_import")
CHANGELIST = reverse("admin:assessments_framework_changelist")


@pytest.fixture
def root(client):
    user = make_user("root", is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


@pytest.fixture
def catalog_keeper(client):
    """Staff with every permission on editions, but not a superuser."""
    user = make_user("keeper", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="assessments", codename__endswith="framework"
        )
    )
    client.force_login(user)
    return user


@pytest.fixture
def ita2564(db):
    return load_framework(CATALOG_2564)


def upload(client, data, name="ita2566.xlsx"):
    return client.post(IMPORT, {"format": "0", "import_file": SimpleUploadedFile(name, data)})


def confirm(client, preview):
    form = preview.context["confirm_form"]
    return client.post(CONFIRM, {name: form.initial.get(name, "") for name in form.fields})


def test_a_workbook_is_previewed_then_written_on_confirm(client, root, ita2564):
    preview = upload(client, build_2566_workbook(links_from=(2564, ita2564.name)))

    page = preview.content.decode()
    assert "ตัวอย่างก่อนบันทึก" in page and "ยืนยันการนำเข้า" in page
    assert "<td>items</td>" in page and "<td>O31</td>" in page
    assert not Framework.objects.filter(fiscal_year=2566).exists()
    assert not ImportRecord.objects.exists()

    done = confirm(client, preview)

    assert done.status_code == 302
    framework = Framework.objects.get(fiscal_year=2566)
    assert framework.items.count() == 88
    assert ItemLink.objects.confirmed().between(ita2564, framework).count() == 84
    record = ImportRecord.objects.get()
    assert (record.kind, record.file_name, record.user) == ("catalog", "ita2566.xlsx", root)


def test_a_bad_workbook_lists_its_errors_by_sheet_and_row_and_offers_no_confirm(client, root):
    sheets = book_sheets()
    sheets["tools"][2][2] = "abc"

    preview = upload(client, workbook_bytes(sheets))

    assert "confirm_form" not in preview.context
    page = preview.content.decode()
    assert "<td>tools 3</td><td>weight</td><td>&quot;abc&quot; ไม่ใช่ตัวเลข" in page
    assert not Framework.objects.exists()


def test_a_score_altering_change_is_refused_in_the_preview(client, root, ita2564, district):
    from tests.factories import make_assessment

    make_assessment(district, ita2564, {"I1": "90"})
    preview = upload(client, build_2566_workbook())  # a new edition: allowed
    assert "confirm_form" in preview.context
    sheets = book_sheets(fiscal_year=2564, edition=ita2564.name)

    preview = upload(client, workbook_bytes(sheets))

    assert "confirm_form" not in preview.context
    assert "ชุดการประเมินนี้มีผลการประเมินของหน่วยงาน 1009 แล้ว" in preview.content.decode()


def test_a_file_that_is_not_a_workbook_is_refused_on_the_form(client, root):
    response = upload(client, b"code,name,weight\nIIT,x,30\n", "tools.csv")

    assert response.context["form"].errors["import_file"] == [
        "ไฟล์นี้ไม่ใช่ไฟล์ Excel (.xlsx) — ไฟล์ที่มีหลายชีตต้องบันทึกเป็น .xlsx"
    ]


def test_only_a_superuser_imports_an_edition(client, catalog_keeper):
    assert client.get(IMPORT).status_code == 403
    assert upload(client, build_2566_workbook()).status_code == 403
    assert client.post(CONFIRM, {"import_file_name": "x", "format": "0"}).status_code == 403
    assert not Framework.objects.exists()
    assert "import/" not in client.get(CHANGELIST).content.decode()


def test_the_export_action_gives_the_workbook_that_imports_back_unchanged(client, root, ita2564):
    response = client.post(
        CHANGELIST, {"action": "export_workbook", "_selected_action": [ita2564.pk]}
    )

    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="framework-2564-{ita2564.pk}.xlsx"'
    )
    assert import_book(response.content, "back.xlsx").total_changes == 0


def test_the_copy_action_copies_into_the_next_year_and_refuses_it_twice(client, root, ita2564):
    data = {"action": "copy_to_next_year", "_selected_action": [ita2564.pk]}

    done = client.post(CHANGELIST, data, follow=True)

    copy = Framework.objects.get(fiscal_year=2565)
    assert ItemLink.objects.confirmed().between(ita2564, copy).count() == 88
    assert [str(m) for m in done.context["messages"]] == [
        f"คัดลอกเป็น {copy} แล้ว: ข้อ 88 ข้อ เชื่อมโยงกับข้อเดิมทุกข้อ"
    ]
    again = client.post(CHANGELIST, data, follow=True)
    (message,) = [str(m) for m in again.context["messages"]]
    assert "อยู่แล้ว จึงไม่คัดลอกทับ" in message
    assert Framework.objects.filter(fiscal_year=2565).count() == 1


def test_the_copy_action_needs_the_add_permission(client, ita2564):
    user = make_user("viewer", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename="view_framework"))
    client.force_login(user)

    response = client.post(
        CHANGELIST, {"action": "copy_to_next_year", "_selected_action": [ita2564.pk]}
    )

    assert response.status_code in (200, 302)
    assert not Framework.objects.filter(fiscal_year=2565).exists()
