"""The site has an icon: every page links it, and /favicon.ico leads to it."""

from django.contrib.staticfiles import finders
from django.templatetags.static import static


def test_favicon_ico_leads_to_the_icon_without_signing_in(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("img/favicon.svg")


def test_the_icon_is_a_static_svg():
    path = finders.find("img/favicon.svg")
    assert path is not None
    with open(path, encoding="utf-8") as icon:
        assert icon.read().startswith("<svg")


def test_every_page_links_the_icon(client, db):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert f'<link rel="icon" href="{static("img/favicon.svg")}"' in page.content.decode()
