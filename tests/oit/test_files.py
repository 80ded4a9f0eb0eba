"""import_oit_links and export_oit: all or nothing in, the edition's order out."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from oit.models import PublishedUrl, Readiness
from plans.demo import load_demo
from tests.oit.conftest import add_url


def _csv(tmp_path, text, name="links.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _import(path, *extra):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_oit_links",
        str(path),
        "--organization",
        "1009",
        "--year",
        "2564",
        *extra,
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def test_import_adds_addresses_and_divisions(oit_world, tmp_path):
    add_url(oit_world.rows["O2"], "https://example.org/o2", "ok")
    path = _csv(
        tmp_path,
        "ข้อ,ลิงก์,ฝ่าย\n"
        "O2,https://example.org/o2,คลัง\n"
        "o2,https://example.org/o2-more,ฝ่ายการคลัง\n"
        "O3,https://example.org/o3,\n",
    )
    out, _err = _import(path)
    assert "ที่อยู่ใหม่ 2, ไม่เปลี่ยน 1" in out
    o2 = Readiness.objects.get(pk=oit_world.rows["O2"].pk)
    assert o2.division == oit_world.finance
    assert list(o2.urls.values_list("url", flat=True)) == [
        "https://example.org/o2",
        "https://example.org/o2-more",
    ]
    # The address already there keeps its check result.
    assert o2.urls.get(url="https://example.org/o2").latest is not None
    # Again: nothing new.
    out, _err = _import(path)
    assert "ที่อยู่ใหม่ 0, ไม่เปลี่ยน 3" in out


def test_dry_run_writes_nothing(oit_world, tmp_path):
    out, _err = _import(_csv(tmp_path, "item,url\nO3,https://example.org/o3\n"), "--dry-run")
    assert "dry run" in out and "ที่อยู่ใหม่ 1" in out
    assert not PublishedUrl.objects.exists()


def test_a_bad_row_means_nothing_is_written(oit_world, tmp_path):
    path = _csv(
        tmp_path,
        "item,url,division\n"
        "O1,https://example.org/fine,\n"
        "O99,https://example.org/x,\n"
        "I1,https://example.org/y,\n"
        "O2,ftp://example.org/z,\n"
        "O3,https://example.org/w,ฝ่ายที่ไม่มี\n"
        "O4,https://example.org/a,ฝ่ายการคลัง\n"
        "O4,https://example.org/b,ฝ่ายปกครอง\n",
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="ไม่ได้นำเข้า"):
        call_command(
            "import_oit_links",
            str(path),
            "--organization",
            "1009",
            "--year",
            "2564",
            stderr=err,
        )
    lines = err.getvalue()
    assert "แถว 3, คอลัมน์ item: ไม่มีข้อ O99" in lines
    assert "แถว 4, คอลัมน์ item: ข้อ I1 ไม่ใช่ข้อ OIT" in lines
    assert "แถว 5, คอลัมน์ url:" in lines
    assert "แถว 6, คอลัมน์ division: ไม่มี “ฝ่ายที่ไม่มี”" in lines
    assert "แถว 8, คอลัมน์ division: ข้อ O4 มีฝ่าย “ฝ่ายการคลัง” อยู่แล้วในแถว 7" in lines
    assert not PublishedUrl.objects.exists()


def test_missing_columns_and_unknown_office(oit_world, tmp_path):
    with pytest.raises(CommandError):
        _import(_csv(tmp_path, "item,link\nO1,https://example.org\n"))
    with pytest.raises(CommandError, match="ไม่มีหน่วยงานรหัส 9999"):
        call_command(
            "import_oit_links",
            str(_csv(tmp_path, "item,url\n")),
            "--organization",
            "9999",
            "--year",
            "2564",
        )


def test_export_csv_one_row_per_address_and_escaped(oit_world, tmp_path):
    add_url(oit_world.rows["O2"], "https://example.org/o2", "broken")
    add_url(oit_world.rows["O2"], "https://example.org/o2-more")
    oit_world.rows["O3"].note = "x"
    oit_world.rows["O3"].save()
    item = oit_world.rows["O4"].item
    item.text = '=HYPERLINK("http://evil")'
    item.save()
    path = tmp_path / "oit.csv"
    call_command(
        "export_oit",
        "--organization",
        "1009",
        "--year",
        "2564",
        "--output",
        str(path),
        stdout=io.StringIO(),
    )
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert [row["item"] for row in rows] == ["O1", "O2", "O2", "O3", "O4"]
    assert list(rows[0]) == ["item", "text", "url", "division", "status", "result", "checked_at"]
    assert rows[1]["result"] == "ลิงก์เสีย" and "25" in rows[1]["checked_at"]
    assert rows[2]["result"] == "" and rows[0]["division"] == "ฝ่ายการคลัง"
    assert rows[4]["text"].startswith("'=")


@pytest.mark.django_db
def test_export_lists_the_demos_43_items_in_order(tmp_path):
    load_demo(with_users=False)
    path = tmp_path / "oit.xlsx"
    call_command(
        "export_oit",
        "--organization",
        "1009",
        "--year",
        "2564",
        "--output",
        str(path),
        stdout=io.StringIO(),
    )
    sheet = load_workbook(path).active
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == [f"O{n}" for n in range(1, 44)]


def test_export_refuses_another_extension(oit_world, tmp_path):
    with pytest.raises(CommandError, match=r"\.xlsx หรือ \.csv"):
        call_command(
            "export_oit",
            "--organization",
            "1009",
            "--year",
            "2564",
            "--output",
            str(tmp_path / "oit.pdf"),
        )
