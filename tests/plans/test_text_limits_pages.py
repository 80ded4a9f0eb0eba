"""A text over its limit, typed into a page: the form says so in Thai and nothing is saved."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from plans.models import Action


@pytest.mark.django_db
def test_a_progress_note_of_a_whole_book_is_refused_and_nothing_is_saved(client, demo):
    action = Action.objects.filter(lead_division__name="ฝ่ายการคลัง").order_by("pk").first()
    client.force_login(get_user_model().objects.get(username="staff"))
    response = client.post(
        reverse("progress_create", args=[action.pk]),
        {"version": action.version, "progress": 10, "status": "in_progress", "note": "ก" * 5001},
    )
    assert response.status_code == 200
    assert "พิมพ์ได้ไม่เกิน 5000 ตัวอักษร" in " ".join(response.context["form"].errors["note"])
    assert not action.updates.exists()
