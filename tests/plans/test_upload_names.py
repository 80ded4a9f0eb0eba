"""Uploaded file names too long for the file system are shortened, not refused with a 503."""

import unicodedata
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ita_tracker.storage import NAME_MAX_BYTES, shortened, valid_file_name
from plans.models import Action, ProgressUpdate

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# 126 Thai characters, as typed for a meeting report's title: 378 bytes in UTF-8.
TITLE = ("รายงานการประชุมคณะกรรมการ" * 6)[:126]


def test_the_title_is_longer_than_a_linux_file_name():
    assert len(TITLE) == 126
    assert len(f"{TITLE}.pdf".encode()) > NAME_MAX_BYTES


@pytest.mark.parametrize("limit", range(8, 60))
def test_a_cut_never_parts_a_letter_from_its_marks_and_keeps_the_extension(limit):
    name = shortened("รายงานการประชุม_ผู้บริหาร.pdf", limit)
    assert len(name.encode()) <= max(limit, len("file.pdf"))
    assert name.endswith(".pdf")
    root = name.removesuffix(".pdf")
    assert not unicodedata.category(root[0]).startswith("M")
    assert "รายงานการประชุม_ผู้บริหาร".startswith(root) or root == "file"
    full = "รายงานการประชุม_ผู้บริหาร"
    if root != "file" and len(root) < len(full):
        # The next letter of the full name is never a mark left behind.
        assert not unicodedata.category(full[len(root)]).startswith("M")


def test_a_name_that_fits_is_unchanged():
    assert valid_file_name("รายงานการประชุม.pdf") == "รายงานการประชุม.pdf"


def test_a_long_thai_name_fits_with_room_for_django_s_suffix():
    name = valid_file_name(f"{TITLE}.pdf")
    assert name.endswith(".pdf")
    assert len(name.encode()) + len("_abcdefg") <= NAME_MAX_BYTES
    assert TITLE.startswith(name.removesuffix(".pdf"))


@pytest.mark.django_db
def test_a_126_character_thai_title_is_stored_through_the_progress_form(
    client, demo, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    action = Action.objects.filter(lead_division__name="ฝ่ายการคลัง").order_by("pk").first()
    client.force_login(get_user_model().objects.get(username="staff"))
    url = reverse("progress_create", args=[action.pk])
    for version in (action.version, action.version + 1):  # the second upload finds it taken
        upload = SimpleUploadedFile(f"{TITLE}.pdf", PDF, content_type="application/pdf")
        data = {"version": version, "progress": 50, "status": "in_progress", "note": ""}
        response = client.post(url, {**data, "evidence_file": upload})
        assert response.status_code == 302
    first, second = ProgressUpdate.objects.order_by("pk")
    assert first.evidence_file.name != second.evidence_file.name
    for update in (first, second):
        stored = Path(update.evidence_file.path)
        assert stored.read_bytes() == PDF
        assert stored.name.endswith(".pdf")
        assert len(stored.name.encode()) <= NAME_MAX_BYTES
        assert stored.name.startswith(TITLE[:60])
        evidence = client.get(reverse("evidence", args=[update.pk]))
        assert evidence.status_code == 200
        assert b"".join(evidence.streaming_content) == PDF
