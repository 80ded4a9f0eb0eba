"""Backup and restore: the database comes back as it was, bad files change nothing, evidence
files come back byte for byte. Runs on the suite's database (SQLite or PostgreSQL)."""

import io
import re
import sqlite3
import tarfile
from contextlib import closing
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from openpyxl import load_workbook

from ita_tracker import backup
from plans.demo import load_demo
from plans.documents.xlsx import plan_xlsx
from plans.models import Action, Plan

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
OTHER = {"sqlite": "postgresql", "postgresql": "sqlite"}
MAGIC = {"sqlite": backup.SQLITE_MAGIC, "postgresql": backup.PG_DUMP_MAGIC}


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def demo(transactional_db):
    """The demo data, committed: pg_dump reads it through a connection of its own."""
    load_demo(with_users=True)


def the_plan() -> Plan:
    return Plan.objects.select_related("organization", "assessment__framework").get()


def exported() -> dict[str, list[tuple]]:
    """The demo plan's .xlsx export as cell values, sheet by sheet (the bytes hold timestamps)."""
    workbook = load_workbook(io.BytesIO(plan_xlsx(the_plan())))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


def run(*args, answer: str | None = None, monkeypatch=None) -> str:
    out = io.StringIO()
    if answer is not None:
        monkeypatch.setattr("builtins.input", lambda prompt: answer)
    call_command(*args, stdout=out)
    return out.getvalue()


def test_restore_brings_back_the_plan_exported_before_the_backup(demo, tmp_path, monkeypatch):
    before = exported()
    output = run("backup", "--output", f"{tmp_path}/backups/")
    (file,) = (tmp_path / "backups").glob("ita-*")
    assert re.fullmatch(rf"ita-{connection.vendor}-\d{{8}}-\d{{6}}\.(dump|sqlite3)", file.name)
    assert str(file) in output and "การปรับปรุง 103 รายการ" in output
    assert file.read_bytes().startswith(MAGIC[connection.vendor])

    Action.objects.all().delete()
    assert exported() != before

    with pytest.raises(CommandError, match="ยกเลิก"):
        run("restore", str(file), answer="no", monkeypatch=monkeypatch)
    assert not Action.objects.exists()

    output = run("restore", str(file), answer="yes", monkeypatch=monkeypatch)
    assert "ข้อมูลปัจจุบัน: แผน 1 แผน, การปรับปรุง 0 รายการ" in output
    assert "ข้อมูลหลังกู้คืน: แผน 1 แผน, การปรับปรุง 103 รายการ" in output
    assert exported() == before


def test_a_file_that_is_no_backup_of_this_database_changes_nothing(demo, tmp_path):
    before = exported()
    vendor = connection.vendor
    damaged = "pg_restore ไม่สำเร็จ" if vendor == "postgresql" else "อ่านไฟล์ .* ไม่ได้"
    cases = {
        b"id,name\n1,plan\n": "ไม่ใช่ไฟล์สำรองของระบบนี้",
        MAGIC[vendor] + bytes(range(256)) * 8: damaged,
        MAGIC[OTHER[vendor]] + bytes(100): "กู้คืนข้ามชนิดฐานข้อมูลไม่ได้",
    }
    if vendor == "sqlite":
        other_app = tmp_path / "other-app.sqlite3"
        with closing(sqlite3.connect(other_app)) as database:
            database.execute("CREATE TABLE notes (text)")
        cases[other_app.read_bytes()] = "ไม่ใช่ฐานข้อมูลของระบบนี้"
    for number, (content, expected) in enumerate(cases.items()):
        file = tmp_path / f"backup-{number}.{backup.EXTENSIONS[vendor]}"
        file.write_bytes(content)
        with pytest.raises(CommandError, match=expected) as raised:
            run("restore", "--noinput", str(file))
        assert str(file) in str(raised.value)
    assert exported() == before


def test_evidence_files_come_back_byte_for_byte(transactional_db, tmp_path, media):
    storage = storages["default"]
    report = storage.save("evidence/7/รายงานผล.pdf", ContentFile(PDF))
    photo = storage.save("evidence/8/photo.jpg", ContentFile(b"\xff\xd8\xff\xe0 photo"))
    result = backup.backup(tmp_path / "out" / "site.backup")
    assert result.media.archive == tmp_path / "out" / "site.backup.media.tar.gz"
    assert result.media.files == 2

    (media / report).write_bytes(b"changed")
    (media / photo).unlink()
    backup.restore(result.database)
    assert (media / report).read_bytes() == PDF
    assert (media / photo).read_bytes() == b"\xff\xd8\xff\xe0 photo"


@pytest.mark.parametrize("where", ["parent", "absolute"])
def test_an_unsafe_media_archive_is_refused_before_anything_changes(
    transactional_db, tmp_path, media, where
):
    name = {"parent": "../outside.txt", "absolute": str(tmp_path / "outside.txt")}[where]
    result = backup.backup(tmp_path / "site.db")
    with tarfile.open(backup.media_archive_path(result.database), "w:gz") as archive:
        member = tarfile.TarInfo(name)
        member.size = 4
        archive.addfile(member, io.BytesIO(b"evil"))
    get_user_model().objects.create(username="after-the-backup")
    with pytest.raises(backup.BackupError, match="ไม่ปลอดภัย") as raised:
        backup.restore(result.database)
    assert "site.db.media.tar.gz" in str(raised.value)
    assert not (tmp_path / "outside.txt").exists()
    assert not media.exists()
    assert get_user_model().objects.filter(username="after-the-backup").exists()


def test_remote_storage_is_named_and_not_archived(transactional_db, settings, tmp_path):
    remote = {"BACKEND": "django.core.files.storage.InMemoryStorage"}
    settings.STORAGES = {**settings.STORAGES, "default": remote}
    storages["default"].save("evidence/1/a.pdf", ContentFile(PDF))
    output = run("backup", "--output", str(tmp_path / "site.bak"))
    assert "InMemoryStorage" in output and "bucket" in output
    assert [path.name for path in tmp_path.iterdir()] == ["site.bak"]


def test_a_failed_backup_leaves_no_file(transactional_db, tmp_path, monkeypatch):
    def half_written(using, temporary, path):
        temporary.write_bytes(backup.SQLITE_MAGIC)
        raise backup.BackupError(f"disk full ({path})")

    # Undone before the test ends: the database is flushed through this connection afterwards.
    with monkeypatch.context() as patch:
        if connection.vendor == "postgresql":
            # pg_dump itself fails, and says why.
            patch.setitem(connection.settings_dict, "NAME", "no_such_database")
            match = '(?s)pg_dump ไม่สำเร็จ .*site.dump.*"no_such_database" does not exist'
        else:
            patch.setattr(backup, "_sqlite_backup", half_written)
            match = r"disk full \(.*site.dump\)"
        with pytest.raises(CommandError, match=match):
            backup.backup(tmp_path / "out" / "site.dump")
    assert list((tmp_path / "out").iterdir()) == []


def test_output_names_a_folder_or_a_file(tmp_path):
    default = backup.output_path(None, "sqlite")
    assert default.parent == Path(django_settings.BASE_DIR) / "backups"
    assert re.fullmatch(r"ita-sqlite-\d{8}-\d{6}\.sqlite3", default.name)
    assert backup.output_path(tmp_path, "postgresql").parent == tmp_path
    assert backup.output_path(f"{tmp_path}/new/", "postgresql").parent == tmp_path / "new"
    assert backup.output_path(tmp_path / "a.dump", "postgresql") == tmp_path / "a.dump"
