"""Every main page reads in English when English is chosen: no Thai left in the chrome.

Data stays as it was typed (district names, item texts, actions, division names are Thai);
the test removes every Thai value found in the database from the page's headings, labels,
buttons, table headers and menu before looking for Thai letters.
"""

import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse

from plans.models import Action, Plan
from tests.factories import make_user

THAI = re.compile(r"[\u0e00-\u0e7f]+")
# Elements whose own text is interface, not data.
CHROME = {"title", "h1", "h2", "h3", "th", "label", "button", "legend", "nav", "summary", "dt"}
# Language names are written in their own language, so the switcher always says "ไทย".
OWN_NAMES = [name for _code, name in settings.LANGUAGES]


class ChromeText(HTMLParser):
    """Collect the text inside CHROME elements and the placeholders and titles of inputs."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in CHROME:
            self.depth += 1
        for name, value in attrs:
            if name in {"placeholder", "aria-label"} and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in CHROME and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def data_values() -> list[str]:
    """Every Thai text stored in the database, longest first so that no part of one remains."""
    values = set()
    for model in apps.get_models():
        if model._meta.app_label not in {"assessments", "plans", "oit", "reminders", "auth"}:
            continue
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
        ]
        for row in model.objects.values_list(*fields):
            for value in row:
                if value and THAI.search(str(value)):
                    values.add(str(value))
                    values.update(line.strip() for line in str(value).splitlines() if line.strip())
    return sorted(values, key=len, reverse=True)


def thai_in_chrome(html: str, data: list[str]) -> list[str]:
    parser = ChromeText()
    parser.feed(html)
    text = " ".join(parser.parts)
    for value in [*data, *OWN_NAMES]:
        text = text.replace(value, " ")
    return sorted(set(THAI.findall(text)))


def test_the_chrome_reader_finds_thai_labels_but_not_data():
    html = "<h1>เขตพระโขนง plan</h1><th>ไม่แปล</th><p>ข้อความ</p><input placeholder='วว'>"
    assert thai_in_chrome(html, ["เขตพระโขนง"]) == ["วว", "ไม่แปล"]


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def pages(plan: Plan, action: Action, username: str) -> list[str]:
    code, year = plan.organization.code, plan.fiscal_year
    assessed = plan.assessment.framework.fiscal_year
    urls = [
        reverse("home"),
        plan.get_absolute_url(),
        reverse("plan_progress", args=[code, year]),
        reverse("scores", args=[code, assessed]),
        reverse("action_detail", args=[action.pk]),
    ]
    if username == "central":
        urls.append(reverse("overview", args=[assessed]))
    return urls


@pytest.mark.parametrize("username", ["owner", "staff", "manager", "central"])
def test_the_main_pages_have_no_thai_chrome_in_english(demo, english, username):
    from django.contrib.auth import get_user_model

    english.force_login(get_user_model().objects.get(username=username))
    plan = Plan.objects.get(organization__code="1009", fiscal_year=2565)
    action = Action.objects.filter(finding__plan=plan).order_by("pk").first()
    data = data_values()
    leftovers = {}
    for url in pages(plan, action, username):
        response = english.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == "en"
        if found := thai_in_chrome(response.content.decode(), data):
            leftovers[url] = found
    assert not leftovers, leftovers


def test_the_forms_have_no_thai_chrome_in_english(demo, english):
    from django.contrib.auth import get_user_model

    english.force_login(get_user_model().objects.get(username="owner"))
    plan = Plan.objects.get(organization__code="1009", fiscal_year=2565)
    action = Action.objects.filter(finding__plan=plan).order_by("pk").first()
    data = data_values()
    leftovers = {}
    for url in [
        reverse("action_edit", args=[action.pk]),
        reverse("progress_create", args=[action.pk]),
        reverse("finding_edit", args=[action.finding_id]),
    ]:
        response = english.get(url)
        assert response.status_code == 200, url
        if found := thai_in_chrome(response.content.decode(), data):
            leftovers[url] = found
    assert not leftovers, leftovers


@pytest.mark.django_db
def test_the_sign_in_and_not_found_pages_are_english(english):
    sign_in = english.get(reverse("login")).content.decode()
    assert not thai_in_chrome(sign_in, [])
    english.force_login(make_user("someone"))
    missing = english.get("/plans/9999/2565/")
    assert missing.status_code == 404
    page = missing.content.decode()
    assert not thai_in_chrome(page, [])
    assert "not found" in page.lower()


def test_the_server_error_page_is_english():
    from django.template.loader import render_to_string
    from django.utils import translation

    with translation.override("en"):
        page = render_to_string("500.html")
    assert "Something went wrong" in page
    assert '<html lang="en">' in page
    assert not THAI.search(page)
