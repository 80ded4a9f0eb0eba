"""A progress report whose evidence file cannot be stored is not saved at all, and a stored file
whose report then fails to save is deleted again: no half report, no orphan file."""

import errno
import logging

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from plans.models import Action, ProgressUpdate

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
NOT_STORED = "เก็บไฟล์หลักฐานไม่สำเร็จ"
TYPED = "ประชุมชี้แจงเจ้าหน้าที่ฝ่ายการคลังครบทุกคนแล้ว รอแนบรายงานการประชุม"


class FailingStorage(FileSystemStorage):
    """A storage that cannot write: every save raises ``error``."""

    error: Exception = OSError(errno.ENOSPC, "No space left on device")

    def _save(self, name, content):
        raise type(self).error


class RecordingStorage(FileSystemStorage):
    """The local disk, remembering the names it wrote."""

    written: list[str] = []

    def _save(self, name, content):
        name = super()._save(name, content)
        type(self).written.append(name)
        return name


def storage(settings, backend: type[FileSystemStorage]) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.{backend.__name__}"},
    }


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def finance_action(demo):
    return Action.objects.filter(lead_division__name="ฝ่ายการคลัง").order_by("pk").first()


@pytest.fixture
def staff_client(client):
    client.force_login(get_user_model().objects.get(username="staff"))
    return client


def post_report(client, action, **data):
    data = {
        "version": action.version,
        "progress": 40,
        "status": "in_progress",
        "note": TYPED,
        "evidence_file": SimpleUploadedFile("รายงานการประชุม.pdf", PDF),
        **data,
    }
    return client.post(reverse("progress_create", args=[action.pk]), data)


def snapshot(action: Action) -> tuple:
    action.refresh_from_db()
    return (
        ProgressUpdate.objects.count(),
        ProgressUpdate.history.count(),
        action.version,
        action.status,
        action.progress,
        action.history.count(),
    )


def files_under(path) -> list:
    return [p for p in path.rglob("*") if p.is_file()]


def disk_full():
    return OSError(errno.ENOSPC, "No space left on device")


def read_only():
    return PermissionError(errno.EACCES, "Permission denied")


def s3_unreachable():
    exceptions = pytest.importorskip("botocore.exceptions")
    return exceptions.EndpointConnectionError(endpoint_url="https://s3.example.invalid")


def s3_refused():
    exceptions = pytest.importorskip("botocore.exceptions")
    return exceptions.ClientError(
        {"Error": {"Code": "AccessDenied", "Message": "Access Denied"}}, "PutObject"
    )


def s3_upload_failed():
    exceptions = pytest.importorskip("boto3.exceptions")
    return exceptions.S3UploadFailedError("Failed to upload: AccessDenied")


@pytest.mark.parametrize(
    "error", [disk_full, read_only, s3_unreachable, s3_refused, s3_upload_failed]
)
def test_a_file_the_storage_cannot_take_saves_nothing_and_keeps_the_typing(
    staff_client, finance_action, settings, monkeypatch, media, caplog, error
):
    monkeypatch.setattr(FailingStorage, "error", error())
    storage(settings, FailingStorage)
    before = snapshot(finance_action)
    with caplog.at_level(logging.ERROR, logger="plans.progress"):
        response = post_report(staff_client, finance_action)
    assert response.status_code == 503
    page = response.content.decode()
    assert NOT_STORED in page and "ยังไม่ได้บันทึกรายงาน" in page
    assert response.context["form"].non_field_errors() == [
        "เก็บไฟล์หลักฐานไม่สำเร็จ กรุณาแนบไฟล์แล้วลองใหม่อีกครั้ง หรือแจ้งผู้ดูแลระบบ "
        "(ยังไม่ได้บันทึกรายงาน ข้อความที่ท่านพิมพ์ยังอยู่ในแบบฟอร์ม)"
    ]
    assert TYPED in page  # the note as typed, back in the form
    form = response.context["form"]
    assert (form["progress"].value(), form["status"].value()) == ("40", "in_progress")
    assert snapshot(finance_action) == before
    assert files_under(media) == []
    logged = [r for r in caplog.records if r.name == "plans.progress"]
    assert logged and logged[0].exc_info and "not stored" in logged[0].getMessage()


def test_after_a_storage_failure_the_same_form_posts_once_the_storage_works(
    staff_client, finance_action, settings, media
):
    storage(settings, FailingStorage)
    before = snapshot(finance_action)
    assert post_report(staff_client, finance_action).status_code == 503
    storage(settings, FileSystemStorage)
    assert post_report(staff_client, finance_action).status_code == 302
    update = ProgressUpdate.objects.get(action=finance_action)
    assert (update.note, update.progress) == (TYPED, 40)
    assert update.evidence_file.read() == PDF
    assert snapshot(finance_action)[:3] == (before[0] + 1, before[1] + 1, before[2] + 1)


def test_other_errors_from_the_storage_are_not_taken_for_a_storage_failure(
    staff_client, finance_action, settings, monkeypatch
):
    """A bug is a server error to fix, not a message asking the user to try again."""
    monkeypatch.setattr(FailingStorage, "error", ValueError("a bug"))
    storage(settings, FailingStorage)
    before = snapshot(finance_action)
    with pytest.raises(ValueError, match="a bug"):
        post_report(staff_client, finance_action)
    assert snapshot(finance_action) == before


def test_a_stored_file_is_deleted_when_the_database_write_then_fails(
    staff_client, finance_action, settings, monkeypatch, media, caplog
):
    monkeypatch.setattr(RecordingStorage, "written", [])
    storage(settings, RecordingStorage)
    before = snapshot(finance_action)

    def fail(self, *args, **kwargs):
        raise IntegrityError("forced: the action's row could not be written")

    # Action.save runs last in the transaction, after the file and the report row.
    with monkeypatch.context() as patched, caplog.at_level(logging.WARNING, "plans.progress"):
        patched.setattr(Action, "save", fail)
        with pytest.raises(IntegrityError):
            post_report(staff_client, finance_action)
    assert len(RecordingStorage.written) == 1  # the file was written...
    assert RecordingStorage.written[0].startswith(f"evidence/{finance_action.pk}/")
    assert files_under(media) == []  # ...and deleted again
    assert snapshot(finance_action) == before
    assert any("deleted" in r.getMessage() for r in caplog.records)


def test_a_stale_report_stores_no_evidence_file(staff_client, finance_action, media):
    seen = finance_action.version
    finance_action.text = "ผู้อื่นแก้ข้อความ"
    finance_action.save()
    before = snapshot(finance_action)
    response = post_report(staff_client, finance_action, version=seen)
    assert response.status_code == 409
    assert snapshot(finance_action) == before
    # Only kept for the next try (tests/plans/test_conflicts.py), not stored as evidence.
    assert [p.parent.name for p in files_under(media)] == ["pending-evidence"]
