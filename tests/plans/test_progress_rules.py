"""How a report moves its action; "ทุกฝ่าย" actions move with every division's reports."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from plans.models import Action, Division
from plans.progress import combined
from tests.factories import make_user

DONE, WIP, NEW, CANCELLED = "done", "in_progress", "not_started", "cancelled"


@pytest.mark.parametrize(
    ("latest", "expected"),
    [
        ([None, None, None], (NEW, 0)),
        ([(DONE, 100), None, None, None], (WIP, 25)),
        ([(DONE, 100), (WIP, 50), (NEW, 0)], (WIP, 50)),
        ([(WIP, 0), None], (WIP, 0)),
        ([(DONE, 100), (DONE, 100)], (DONE, 100)),
        ([(DONE, 100), (CANCELLED, 0)], (DONE, 100)),  # a cancelled part does not hold it back
        ([(CANCELLED, 0), (CANCELLED, 0)], (CANCELLED, 0)),
        ([], (CANCELLED, 0)),
        ([(WIP, 33), (WIP, 34), (WIP, 34)], (WIP, 33)),  # 101 / 3, rounded down
    ],
)
def test_combined_status_of_an_all_divisions_action(latest, expected):
    assert combined(latest) == expected


@pytest.mark.django_db
def test_one_divisions_done_report_does_not_close_an_all_divisions_action(client, demo):
    action = Action.objects.filter(finding__plan__organization__code="1009").first()
    Action.objects.filter(pk=action.pk).update(all_divisions=True)
    action.refresh_from_db()
    divisions = Division.objects.filter(organization__code="1009").order_by("pk")
    url = reverse("progress_create", args=[action.pk])
    done = {"progress": 100, "status": DONE, "note": "เผยแพร่แล้ว"}

    def shown_version():
        # A division's part of a "ทุกฝ่าย" action is checked against its own latest report.
        return client.get(url).context["form"]["version"].value()

    client.force_login(get_user_model().objects.get(username="staff"))
    assert client.post(url, {**done, "version": shown_version()}).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.progress) == (WIP, 100 // divisions.count())
    assert action.completed_on is None

    for division in divisions.exclude(name="ฝ่ายการคลัง"):
        client.force_login(
            make_user(f"staff-{division.pk}", organization=division.organization, division=division)
        )
        assert client.post(url, {**done, "version": shown_version()}).status_code == 302
        action.refresh_from_db()
    assert (action.status, action.progress) == (DONE, 100)
    assert action.completed_on is not None
