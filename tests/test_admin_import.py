"""Spreadsheet import and export in the admin: upload → preview → confirm, all or nothing."""

import io
import os
import re
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from assessments.models import ImportRecord, ItemScore, ReportedScore
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SCORES = Path(__file__).parent / "data" / "scores"
IMPORT = reverse("admin:assessments_itemscore_import")
CONFIRM = reverse("admin:assessments_itemscore_process_import")


@pytest.fixture
def root(client):
    user = make_user("root", is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def upload(client, url, name, data, **extra):
    return client.post(url, {"format": "0", "import_file": SimpleUploadedFile(name, data), **extra})


def confirm(client, url, preview):
    form = preview.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post(url, data)


def test_the_file_waits_in_the_uploads_storage_between_preview_and_confirm(
    client, root, district, framework, settings, tmp_path
):
    """Not in one server's temporary folder: the confirmation may reach another app server."""
    settings.MEDIA_ROOT = tmp_path
    data = (SCORES / "long_ok.csv").read_bytes()
    preview = upload(client, IMPORT, "long_ok.csv", data)
    waiting = list((tmp_path / "django-import-export").iterdir())
    assert [path.read_bytes() for path in waiting] == [data]

    assert confirm(client, CONFIRM, preview).status_code == 302
    assert ItemScore.objects.count() == 3
    assert list((tmp_path / "django-import-export").iterdir()) == []


def test_the_import_page_explains_the_file_in_thai(client, root, district, framework):
    page = client.get(IMPORT).content.decode()
    assert "ไฟล์ที่จะนำเข้า" in page
    assert "แบบกว้าง" in page
    assert "Excel (.xlsx) หรือ CSV (UTF-8)" in page


def test_preview_writes_nothing_and_confirm_writes_with_history(client, root, district, framework):
    data = (SCORES / "long_ok.csv").read_bytes()
    preview = upload(client, IMPORT, "long_ok.csv", data)
    page = preview.content.decode()
    assert "ตัวอย่างก่อนบันทึก" in page and "ยืนยันการนำเข้า" in page
    assert "สรุป: ใหม่ 3 · ปรับปรุง 0 · ไม่เปลี่ยน 0" in page
    assert not ItemScore.objects.exists()
    assert not ImportRecord.objects.exists()

    done = confirm(client, CONFIRM, preview)
    assert done.status_code == 302
    assert ItemScore.objects.count() == 3
    record = ImportRecord.objects.get()
    assert (record.kind, record.file_name, record.user, record.created) == (
        "scores",
        "long_ok.csv",
        root,
        3,
    )
    assert set(ItemScore.history.values_list("history_user", flat=True)) == {root.pk}
    messages = [str(m) for m in done.wsgi_request._messages]
    assert messages == ["นำเข้าเสร็จแล้ว: ใหม่ 3 ปรับปรุง 0 ลบ 0 ไม่เปลี่ยน 0 (คะแนนรายข้อ)"]

    again = upload(client, IMPORT, "long_ok.csv", data)
    assert "ไม่เปลี่ยน 3 — ไฟล์นี้ไม่ทำให้ข้อมูลเปลี่ยน" in again.content.decode()


def test_a_bad_file_lists_every_error_by_row_and_column_and_offers_no_confirm(
    client, root, district, framework
):
    preview = upload(client, IMPORT, "bad.csv", (SCORES / "not_a_number.csv").read_bytes())
    assert "confirm_form" not in preview.context
    page = preview.content.decode()
    assert "ไม่ได้นำเข้า: ไฟล์นี้มีข้อมูลที่ไม่ถูกต้อง" in page
    assert "<td>2</td><td>score</td><td>&quot;84..71&quot; ไม่ใช่ตัวเลข" in page
    invalid = preview.context["result"].invalid_rows
    assert [(row.number, dict(row.field_specific_errors)) for row in invalid] == [
        (2, {"score": ['"84..71" ไม่ใช่ตัวเลข — ใส่ตัวเลขเดียว เช่น 84.67 หรือ 1,234.50']}),
        (3, {"score": ['"abc" ไม่ใช่ตัวเลข — ใส่ตัวเลขเดียว เช่น 84.67 หรือ 1,234.50']}),
    ]
    assert not ItemScore.objects.exists()


def test_a_corrupt_workbook_is_refused_on_the_form(client, root, district, framework):
    response = upload(client, IMPORT, "scores.xlsx", (SCORES / "corrupt.xlsx").read_bytes())
    assert response.context["form"].errors["import_file"] == [
        "อ่านไฟล์ Excel ไม่ได้ ไฟล์อาจเสียหาย (corrupt .xlsx)"
    ]


def test_a_confirm_racing_a_change_still_checks_everything(client, root, district, framework):
    preview = upload(client, IMPORT, "long_ok.csv", (SCORES / "long_ok.csv").read_bytes())
    framework.items.filter(code="O1").delete()  # the catalog changed after the preview
    client.post(CONFIRM, {k: v for k, v in preview.context["confirm_form"].initial.items()})
    assert not ItemScore.objects.exists()
    assert not ImportRecord.objects.exists()


def test_staff_without_the_change_permission_get_no_import(client, district, framework):
    user = make_user("viewer", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_itemscore"))
    client.force_login(user)
    changelist = client.get(reverse("admin:assessments_itemscore_changelist")).content.decode()
    assert IMPORT not in changelist
    assert reverse("admin:assessments_itemscore_export") in changelist
    assert client.get(IMPORT).status_code == 403
    data = (SCORES / "long_ok.csv").read_bytes()
    assert upload(client, IMPORT, "long_ok.csv", data).status_code == 403
    assert not ItemScore.objects.exists()


def test_scores_export_by_natural_keys_and_import_again_unchanged(client, root, assessment):
    count = ItemScore.objects.count()
    response = client.post(
        reverse("admin:assessments_itemscore_export"),
        {"format": "1", "resource": "0", **_all_fields("itemscoreresource")},
    )
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "organization,fiscal_year,item,score"
    assert "1009,2564,I1,84.67" in lines
    assert len(lines) == count + 1
    again = upload(client, IMPORT, "export.csv", "\n".join(lines).encode())
    assert again.context["result"].totals["skip"] == count
    assert again.context["result"].totals["new"] == again.context["result"].totals["update"] == 0


def _all_fields(resource: str) -> dict[str, str]:
    fields = ("organization", "fiscal_year", "item", "score")
    return {f"{resource}_{name}": "on" for name in fields}


def test_reported_figures_import_through_the_admin(client, root, assessment):
    data = (
        "organization,fiscal_year,scope,target,value,basis,source\n"
        "1009,2564,indicator,1,91.25,score,ตารางวิเคราะห์\n"
        "1009,2564,indicator,99,80,score,ตารางวิเคราะห์\n"
    ).encode()
    url = reverse("admin:assessments_reportedscore_import")
    preview = upload(client, url, "reported.csv", data)
    invalid = preview.context["result"].invalid_rows
    assert [(row.number, dict(row.field_specific_errors)) for row in invalid] == [
        (3, {"target": ["ไม่มี 99"]})
    ]
    assert not ReportedScore.objects.exists()
    preview = upload(client, url, "reported.csv", data.rsplit(b"1009", 1)[0])
    confirm(client, reverse("admin:assessments_reportedscore_process_import"), preview)
    assert ReportedScore.objects.get().value == 91.25


def test_the_catalog_imports_through_the_admin_and_refuses_bad_rows(client, root, framework):
    url = reverse("admin:assessments_item_import")
    data = (
        "fiscal_year,indicator,item,name,text\n"
        "2564,1,I1,การปฏิบัติงาน,ข้อความใหม่\n"
        "2564,11,I99,,ข้อความ\n"
        "2563,1,I1,,ข้อความ\n"
        "2564,1,X1,,\n"
    ).encode()
    preview = upload(client, url, "items.csv", data)
    errors = [
        (r.number, dict(r.field_specific_errors)) for r in preview.context["result"].invalid_rows
    ]
    assert errors == [
        (3, {"indicator": ["ไม่มีตัวชี้วัดที่ 11"]}),
        (4, {"fiscal_year": ["ยังไม่มีชุดการประเมินของปีงบประมาณ 2563"]}),
        (5, {"item": ["รหัสข้อ 'X1' ต้องเป็นเช่น I1, E5, O43"], "text": ["ต้องมีข้อความของข้อ"]}),
    ]
    assert framework.items.get(code="I1").text != "ข้อความใหม่"
    preview = upload(client, url, "items.csv", data.split(b"2564,11")[0])
    assert [row.diff for row in preview.context["result"].valid_rows()] == [
        ["2564", "I1", "การปฏิบัติงาน"]
    ]
    confirm(client, reverse("admin:assessments_item_process_import"), preview)
    assert framework.items.get(code="I1").text == "ข้อความใหม่"
    assert ImportRecord.objects.get().kind == "catalog"


def test_every_thai_label_of_the_import_screens_is_compiled():
    """The .mo file matches the .po: each Thai label is what the screens show."""
    from django.utils import translation

    po = (Path(__file__).parent.parent / "locale/th/LC_MESSAGES/django.po").read_text()
    pairs = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', po, flags=re.MULTILINE)
    assert len(pairs) > 20
    with translation.override("th"):
        for english, thai in pairs:
            english = english.replace('\\"', '"')
            assert translation.gettext(english) == thai.replace('\\"', '"')


def test_abandoned_previews_are_cleared_after_a_day(
    client, root, district, framework, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    upload(client, IMPORT, "long_ok.csv", (SCORES / "long_ok.csv").read_bytes())
    upload(client, IMPORT, "long_ok.csv", (SCORES / "long_ok.csv").read_bytes())
    folder = tmp_path / "django-import-export"
    old, recent = sorted(folder.iterdir())
    a_day_ago = time.time() - 25 * 60 * 60
    os.utime(old, (a_day_ago, a_day_ago))
    out = io.StringIO()

    call_command("clear_import_previews", stdout=out)

    assert list(folder.iterdir()) == [recent]
    assert out.getvalue().strip() == "removed 1 of 2 waiting import files"
