"""No page shows a Gregorian year: every page each demo role reaches, the admin included.

Each demo user signs in and follows the links from the home page (bounded, same site, no
sign-out, no downloads); the admin also opens every changelist, one change page, one history
list and one history record per registered model. The visible text of each page (what a
person reads: text, titles, the values in the form fields) must hold no year 1900–2199.
The demo's own dates are in 2021–2022 and the history written here is dated today, so every
kind of date the pages show is there to be caught.
"""

import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from plans.models import Action, Division
from tests.plans.conftest import demo  # noqa: F401  (the module-scoped demo data)

ROLES = ["admin", "owner", "staff", "manager", "central"]

# A year 1900–2199 that is not part of a longer number (a score such as 84.2050, 1,950 or a
# twelve-digit count is no year).
GREGORIAN_YEAR = re.compile(r"(?<![0-9.,])(?:19|20|21)[0-9]{2}(?![0-9]|[.,][0-9])")

# No link to these is followed: they sign out, switch language, or download a file.
SKIPPED_PATHS = ("/accounts/logout/", "/i18n/", "/static/", "/media/", "/evidence/")
SKIPPED_ENDINGS = (".xlsx", ".pdf", ".csv")
# Enough to see every page kind with and without filters and pages, and to stay fast.
PAGES_PER_KIND = 4
PAGES_PER_ROLE = 80  # beyond the pages the crawl starts from


class VisibleText(HTMLParser):
    """The text a person sees: no scripts, styles or tags; form fields' values included."""

    HIDDEN_INPUTS = {"hidden", "checkbox", "radio", "password", "file"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "style", "template"):
            self._skip += 1
        elif tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        elif tag == "input" and attributes.get("type", "text") not in self.HIDDEN_INPUTS:
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def read(html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(html)
    return parser


def years_in(text: str) -> list[str]:
    """Each Gregorian year in ``text`` with the words around it, for the failure message."""
    return [
        " ".join(text[max(0, m.start() - 40) : m.end() + 20].split())
        for m in GREGORIAN_YEAR.finditer(text)
    ]


def test_the_year_pattern():
    assert years_in("รายงานเมื่อ 26 พฤศจิกายน 2026")
    assert years_in("2026-11-01")
    assert years_in("Nov. 26, 2026, 8:05 a.m.")
    assert not years_in("26 พ.ย. 2569 คะแนน 84.2050 จาก 1,950 ข้อ รหัส 1009 เลข 120260")


@pytest.fixture(scope="module")
def history(demo, django_db_blocker):  # noqa: F811
    """Today's edits on top of the demo: a progress report, a changed due date, admin edits."""
    with django_db_blocker.unblock():
        users = {u.username: u for u in get_user_model().objects.filter(username__in=ROLES)}
        action = Action.objects.filter(lead_division__name="ฝ่ายการคลัง").order_by("pk").first()

        owner = Client()
        owner.force_login(users["owner"])
        url = reverse("action_edit", args=[action.pk])
        form = owner.get(url).context["form"]
        data = {name: form[name].value() for name in form.fields}
        data = {name: value for name, value in data.items() if value not in (None, False)}
        data.update(version=action.version, due_on="15/9/2565")
        assert owner.post(url, data).status_code == 302

        staff = Client()
        staff.force_login(users["staff"])
        action.refresh_from_db()
        report = {"version": action.version, "progress": 40, "status": "in_progress"}
        response = staff.post(reverse("progress_create", args=[action.pk]), report)
        assert response.status_code == 302

        site_admin = Client()
        site_admin.force_login(users["admin"])
        division = Division.objects.order_by("pk").first()
        response = site_admin.post(
            reverse("admin:plans_division_change", args=[division.pk]),
            {
                "name": division.name + " (แก้)",
                "organization": division.organization_id,
                "order": division.order,
            },
        )
        assert response.status_code == 302
        # Django's own history page (for models without django-simple-history) lists these.
        for model_admin in admin.site._registry.values():
            obj = model_admin.model._default_manager.order_by("pk").first()
            if obj is not None:
                LogEntry.objects.log_actions(
                    users["admin"].pk, [obj], CHANGE, change_message="ตรวจทาน"
                )
        return users, action


def admin_pages() -> list[str]:
    """Per registered model: its changelist, one change page, its history and one record."""
    pages = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append(reverse(f"{prefix}_changelist"))
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        pages.append(reverse(f"{prefix}_change", args=[obj.pk]))
        pages.append(reverse(f"{prefix}_history", args=[obj.pk]))
        records = getattr(model, "history", None)
        if records is not None and hasattr(model_admin, "history_form_view"):
            record = obj.history.order_by("-history_date").first()
            if record is not None:
                pages.append(reverse(f"{prefix}_simple_history", args=[obj.pk, record.history_id]))
    return pages


def followable(url: str, base: str) -> str | None:
    """The same-site path (with query) behind a link, or None when it is not to be followed."""
    target = urlsplit(urljoin(base, url))
    if target.scheme not in ("", "http") or target.netloc not in ("", "testserver"):
        return None
    path = target.path
    if path.startswith(SKIPPED_PATHS) or path.endswith(SKIPPED_ENDINGS):
        return None
    if path.startswith("/admin/"):  # the admin pages are listed, not crawled
        return None
    return path + (f"?{target.query}" if target.query else "")


def kind_of(path: str) -> str:
    try:
        return resolve(path.split("?")[0]).view_name
    except Resolver404:
        return path


def crawl(client: Client, start: list[str]) -> dict[str, list[str]]:
    """Visit the pages reachable from ``start``; return the Gregorian years found per page."""
    found: dict[str, list[str]] = {}
    queue, seen, per_kind = deque(start), set(start), Counter()
    visited = 0
    while queue and visited < len(start) + PAGES_PER_ROLE:
        url = queue.popleft()
        response = client.get(url)
        visited += 1
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
            continue
        page = read(response.content.decode())
        if years := years_in(" ".join(page.parts)):
            found[url] = years
        for link in page.links:
            target = followable(link, url)
            if target is None or target in seen:
                continue
            kind = kind_of(target)
            if per_kind[kind] >= PAGES_PER_KIND:
                continue
            per_kind[kind] += 1
            seen.add(target)
            queue.append(target)
    assert visited > 3, "the crawl reached almost nothing"
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_page_a_role_reaches_shows_a_gregorian_year(history, role):
    users, edited = history
    client = Client()
    client.force_login(users[role])
    start = [
        reverse("home"),
        reverse("my_actions"),
        reverse("overview_latest"),
        # Its change history holds today's edit of a due date, whether or not a link leads there.
        reverse("action_detail", args=[edited.pk]),
    ]
    if role == "admin":
        start += admin_pages()
    found = crawl(client, start)
    assert not found, "\n".join(f"{url}: {years}" for url, years in found.items())
