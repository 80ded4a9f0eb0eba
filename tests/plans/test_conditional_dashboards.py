"""Conditional requests on the dashboards: 304 while the page is the same for this user,
a new ETag after a change, the language, the user or the day; access is checked first; and
a change in one district leaves the other districts' cached pages in use."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans import dashboards
from plans.models import Action, Plan, ProgressUpdate
from plans.synthetic import generate

pytestmark = pytest.mark.django_db

SMALL = {"years": (2564, 2565), "actions_per_weak_item": 1, "reports_per_action": 1}


def login(client, username):
    """Sign in, with the CSRF cookie a browser keeps from the first page it sees."""
    client.force_login(get_user_model().objects.get(username=username))
    client.get(reverse("home"))
    return client


def urls():
    return {
        "scores": reverse("scores", args=["1009", 2564]),
        "progress": reverse("plan_progress", args=["1009", 2565]),
        "overview": reverse("overview", args=[2564]),
    }


def report_in(code: str, year: int) -> None:
    """A progress report in one district's plan of ``year``."""
    action = Action.objects.filter(
        finding__plan__organization__code=code, finding__plan__fiscal_year=year
    ).first()
    ProgressUpdate.objects.create(action=action, progress=30, note="ความก้าวหน้า")


@pytest.mark.parametrize("name", ["scores", "progress", "overview"])
def test_the_same_page_again_is_304_and_revalidated_every_time(client, demo, name):
    login(client, "central")
    first = client.get(urls()[name])
    assert first.status_code == 200
    etag = first["ETag"]
    assert {"private", "no-cache"} <= {part.strip() for part in first["Cache-Control"].split(",")}
    assert "no-store" not in first["Cache-Control"]
    again = client.get(urls()[name], headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again["ETag"] == etag
    assert again.content == b""
    assert "no-cache" in again["Cache-Control"]


@pytest.mark.parametrize("name", ["scores", "progress", "overview"])
def test_a_change_in_the_district_gives_a_new_page_and_etag(
    client, demo, name, django_capture_on_commit_callbacks
):
    login(client, "central")
    etag = client.get(urls()[name])["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        report_in("1009", 2565)
    after = client.get(urls()[name], headers={"if-none-match": etag})
    assert after.status_code == 200
    assert after["ETag"] != etag


def test_the_etag_differs_by_language_user_and_day(client, demo, monkeypatch):
    url = urls()["progress"]
    login(client, "central")
    thai = client.get(url)["ETag"]
    client.cookies["django_language"] = "en"
    english = client.get(url, headers={"if-none-match": thai})
    assert english.status_code == 200 and english["ETag"] != thai
    del client.cookies["django_language"]

    login(client, "manager")
    manager = client.get(url, headers={"if-none-match": thai})
    assert manager.status_code == 200 and manager["ETag"] != thai

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2030, 1, 1))
    tomorrow = client.get(url, headers={"if-none-match": manager["ETag"]})
    assert tomorrow.status_code == 200 and tomorrow["ETag"] != manager["ETag"]


def test_a_refused_user_is_refused_even_with_a_valid_etag(client, demo):
    login(client, "central")
    etags = {page: client.get(url)["ETag"] for page, url in urls().items()}
    login(client, "staff")  # of 1009: may not see the overview
    refused = client.get(urls()["overview"], headers={"if-none-match": etags["overview"]})
    assert refused.status_code == 403
    generate(districts=2, **SMALL)
    other = Plan.objects.exclude(organization__code="1009").select_related("organization").first()
    url = reverse("plan_progress", args=[other.organization.code, other.fiscal_year])
    login(client, "central")
    etag = client.get(url)["ETag"]
    login(client, "manager")  # of 1009: another district is not found
    assert client.get(url, headers={"if-none-match": etag}).status_code == 404


def test_a_change_in_one_district_leaves_the_others_cached(client, demo, settings, monkeypatch):
    settings.ITA_DASHBOARD_CACHE_SECONDS = 60
    generate(districts=2, **SMALL)
    login(client, "central")
    other = Plan.objects.exclude(organization__code="1009").select_related("organization").first()
    code, year = other.organization.code, other.fiscal_year
    pages = {
        "scores": reverse("scores", args=[code, other.assessment.framework.fiscal_year]),
        "progress": reverse("plan_progress", args=[code, year]),
    }
    first = {page: client.get(url) for page, url in pages.items()}
    report_in("1009", 2565)  # district A; the pages are district B's

    def refuse(*args, **kwargs):
        raise AssertionError("computed again")

    monkeypatch.setattr(dashboards, "scores_page", refuse)
    monkeypatch.setattr(dashboards, "progress_page", refuse)
    for page, url in pages.items():
        # From the cache: the body is not computed, and a browser's copy is still good.
        again = client.get(url)
        assert again.status_code == 200
        assert main(again) == main(first[page])
        assert again["ETag"] == first[page]["ETag"]
        assert client.get(url, headers={"if-none-match": again["ETag"]}).status_code == 304


def test_a_304_asks_the_database_less_than_a_cached_page(client, demo, settings):
    settings.ITA_DASHBOARD_CACHE_SECONDS = 60
    login(client, "central")
    for page, url in urls().items():
        etag = client.get(url)["ETag"]
        with CaptureQueriesContext(connection) as cached:
            client.get(url)
        with CaptureQueriesContext(connection) as revalidated:
            assert client.get(url, headers={"if-none-match": etag}).status_code == 304
        # The session with the user, their membership, permission and the newest year; the
        # page's object with its versions (the overview: its versions and whether its year
        # has scores). A page from the cache reads no more than that either.
        assert len(revalidated) == 2, (page, [q["sql"] for q in revalidated])
        assert len(revalidated) <= len(cached), page


def test_a_304_of_the_progress_page_builds_no_filter_set(client, demo, monkeypatch):
    from plans.views import dashboards as views

    built, real = [], views.ProgressFilter

    def counted(*args, **kwargs):
        built.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(views, "ProgressFilter", counted)
    login(client, "central")
    url = urls()["progress"]
    first = client.get(url)
    assert 'name="division"' in first.content.decode()  # the page drew its filter form
    assert len(built) == 1
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    assert len(built) == 1


def test_no_304_while_a_message_waits_to_be_shown(client, demo, rf):
    from django.contrib.messages import constants
    from django.contrib.messages.storage.base import Message
    from django.contrib.messages.storage.cookie import CookieStorage

    login(client, "central")
    url = urls()["scores"]
    etag = client.get(url)["ETag"]
    # What a form leaves for the next page (the cookie storage comes first).
    waiting = CookieStorage(rf.get(url))._encode([Message(constants.SUCCESS, "บันทึกแล้ว")])
    client.cookies["messages"] = waiting
    shown = client.get(url, headers={"if-none-match": etag})
    assert shown.status_code == 200
    assert "บันทึกแล้ว" in shown.content.decode()


def main(response) -> str:
    """The page's content (the header around it has a fresh CSRF token on every request)."""
    return response.content.decode().split("<main", 1)[1]


def test_the_etag_follows_the_csrf_secret_and_a_client_without_one_still_gets_304(
    client, demo, settings
):
    url = urls()["overview"]
    login(client, "central")
    with_secret = client.get(url)["ETag"]
    # The page's forms carry tokens of the secret: another secret, another page.
    client.cookies[settings.CSRF_COOKIE_NAME] = "x" * 32
    assert client.get(url, headers={"if-none-match": with_secret}).status_code == 200
    # A client that keeps no CSRF cookie (a script) is still answered 304.
    del client.cookies[settings.CSRF_COOKIE_NAME]
    without = client.get(url)["ETag"]
    del client.cookies[settings.CSRF_COOKIE_NAME]
    assert client.get(url, headers={"if-none-match": without}).status_code == 304
