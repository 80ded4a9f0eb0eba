"""The signed stop link of every e-mail: works without a session, refuses a tampered token."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from plans.models import Membership
from reminders.content import Line
from reminders.links import stop_path, stop_token
from reminders.models import Frequency, ReminderPreference
from tests.factories import make_division, make_organization, make_user


@pytest.fixture
def reader(db):
    return make_user("somchai", email="somchai@example.org")


def frequency(user):
    preference = ReminderPreference.objects.filter(user=user).first()
    return preference.frequency if preference else None


def test_the_link_shows_a_button_and_changes_nothing_on_get(reader, client):
    response = client.get(stop_path(reader))
    assert response.status_code == 200
    assert "หยุดรับอีเมลแจ้งเตือน" in response.text
    assert "somchai" in response.text
    # Mail scanners follow links: a GET must not stop anything.
    assert frequency(reader) is None


def test_posting_stops_the_digests_without_a_session(reader, client):
    response = client.post(stop_path(reader))
    assert response.status_code == 200
    assert "หยุดรับอีเมลแจ้งเตือนแล้ว" in response.text
    assert frequency(reader) == Frequency.NEVER
    assert "_auth_user_id" not in client.session


def test_one_click_post_from_a_mail_program_needs_no_csrf_token(reader):
    # RFC 8058: the mail program POSTs "List-Unsubscribe=One-Click", no cookie, no token.
    mail_program = Client(enforce_csrf_checks=True)
    response = mail_program.post(
        stop_path(reader),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert frequency(reader) == Frequency.NEVER


def test_a_stopped_reader_keeps_their_language(reader, client):
    ReminderPreference.objects.create(user=reader, frequency=Frequency.WEEKLY, language="en")
    client.post(stop_path(reader))
    preference = ReminderPreference.objects.get(user=reader)
    assert (preference.frequency, preference.language) == (Frequency.NEVER, "en")


def tampered(token: str) -> str:
    last = "A" if token[-1] != "A" else "B"
    return token[:-1] + last


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_token_is_not_found_and_stops_nobody(reader, client, method):
    response = getattr(client, method)(f"/reminders/stop/{tampered(stop_token(reader))}/")
    assert response.status_code == 404
    assert frequency(reader) is None


def test_a_token_for_an_inactive_user_is_not_found(reader, client):
    path = stop_path(reader)
    reader.is_active = False
    reader.save()
    assert client.post(path).status_code == 404
    assert frequency(reader) is None


def test_one_users_token_never_stops_another(reader, client):
    other = make_user("somsri", email="somsri@example.org")
    client.post(stop_path(reader))
    assert frequency(reader) == Frequency.NEVER
    assert frequency(other) is None


def test_the_link_in_a_sent_email_works(reader, smtp_server, builder, client):
    district = make_organization()
    Membership.objects.create(
        user=reader,
        organization=district,
        role=Membership.Role.STAFF,
        division=make_division(district, "ฝ่ายการคลัง"),
    )
    builder.give(reader, Line("ทำคู่มือ", "/actions/1/", date(2022, 6, 30)))
    call_command("send_reminders", "--date", "2022-06-21", stdout=StringIO())
    (message,) = smtp_server.messages
    url = message["List-Unsubscribe"].strip().strip("<>")
    assert url.startswith("https://ita.example.go.th/reminders/stop/")
    path = url.removeprefix("https://ita.example.go.th")
    assert client.post(path).status_code == 200
    assert frequency(reader) == Frequency.NEVER
    # Stopped: the next day's run sends nothing to this reader.
    call_command("send_reminders", "--date", "2022-06-22", stdout=StringIO())
    assert len(smtp_server.messages) == 1
