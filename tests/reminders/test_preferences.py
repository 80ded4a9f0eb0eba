"""The reminder preferences page: sign-in required, and it keeps what the user chose."""

import pytest

from reminders.models import Frequency, ReminderPreference
from tests.factories import make_user

URL = "/account/reminders/"


@pytest.fixture
def somchai(db):
    return make_user("somchai", email="somchai@example.org")


def test_signing_in_is_required(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.post(URL, {"frequency": "never", "language": "th"}).status_code == 302
    assert ReminderPreference.objects.count() == 0


def test_the_defaults_are_daily_in_thai(client, somchai):
    client.force_login(somchai)
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["form"].initial["frequency"] == Frequency.DAILY
    assert response.context["form"].initial["language"] == "th"
    assert "somchai@example.org" in response.text


def test_saves_and_shows_the_choice_again(client, somchai):
    client.force_login(somchai)
    response = client.post(URL, {"frequency": "weekly", "language": "en"}, follow=True)
    assert response.status_code == 200
    preference = ReminderPreference.objects.get(user=somchai)
    assert (preference.frequency, preference.language) == (Frequency.WEEKLY, "en")
    form = client.get(URL).context["form"]
    assert (form.initial["frequency"], form.initial["language"]) == ("weekly", "en")


def test_a_bad_choice_changes_nothing(client, somchai):
    ReminderPreference.objects.create(user=somchai, frequency=Frequency.WEEKLY)
    client.force_login(somchai)
    response = client.post(URL, {"frequency": "hourly", "language": "th"})
    assert response.status_code == 200
    assert response.context["form"].errors["frequency"]
    assert ReminderPreference.objects.get(user=somchai).frequency == Frequency.WEEKLY


def test_each_user_changes_only_their_own(client, somchai):
    other = make_user("somsri", email="somsri@example.org")
    client.force_login(somchai)
    client.post(URL, {"frequency": "never", "language": "th"})
    assert not ReminderPreference.objects.filter(user=other).exists()


def test_a_user_without_email_is_told_why_nothing_arrives(client, db):
    user = make_user("noemail")
    client.force_login(user)
    assert "บัญชีของท่านยังไม่มีอีเมล" in client.get(URL).text


def test_every_page_links_the_users_name_to_the_preferences(client, somchai):
    client.force_login(somchai)
    response = client.get("/")
    assert f'<a href="{URL}"' in response.text


def test_the_reminder_log_is_read_only_in_the_admin(client, somchai):
    from reminders.models import Digest

    Digest.objects.create(
        user=somchai, kind="daily", day="2022-06-20", status="failed", error="550"
    )
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    response = client.get("/admin/reminders/digest/")
    assert response.status_code == 200
    assert "somchai" in response.text
    assert client.get("/admin/reminders/digest/add/").status_code == 403
    digest = Digest.objects.get()
    assert (
        client.post(f"/admin/reminders/digest/{digest.pk}/change/", {"status": "sent"}).status_code
        == 403
    )
    digest.refresh_from_db()
    assert digest.status == "failed"
    # Staff without the model's permissions do not see it at all.
    client.force_login(make_user("clerk", is_staff=True))
    assert client.get("/admin/reminders/digest/").status_code == 403
