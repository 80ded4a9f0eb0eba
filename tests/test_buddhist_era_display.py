"""Each place that shows a date to a person shows it in Buddhist Era: the formatting helper,
the template filters, the admin's columns and read-only fields, history diffs, the conflict
panel and the admin's history pages."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.admin import helpers, utils
from django.contrib.admin.templatetags import admin_list
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone

from assessments import admin_dates
from assessments.templatetags.thai_dates import thai_datetime, thai_value
from assessments.thaidates import BANGKOK, format_datetime
from plans.history import shown
from plans.models import Action

# 01:24 UTC is 08:24 in Bangkok.
MOMENT = datetime.datetime(2026, 11, 26, 1, 24, tzinfo=datetime.UTC)


def test_format_datetime_reads_the_moment_in_bangkok():
    assert format_datetime(MOMENT) == "26 พ.ย. 2569 08:24"
    assert format_datetime(MOMENT.astimezone(BANGKOK)) == "26 พ.ย. 2569 08:24"
    assert format_datetime(datetime.date(2022, 9, 15)) == "15 ก.ย. 2565"
    assert format_datetime(None) == ""


def test_the_filters_show_moments_and_dates_in_buddhist_era():
    with timezone.override("Asia/Bangkok"):
        assert thai_datetime(MOMENT) == "26 พ.ย. 2569 08:24"
    assert thai_datetime(datetime.date(2021, 10, 1)) == "1 ต.ค. 2564"
    assert thai_datetime("") == ""
    assert thai_value(datetime.date(2021, 10, 1)) == "1 ต.ค. 2564"
    assert thai_value("ข้อความ") == "ข้อความ"


def test_the_admin_modules_use_the_buddhist_era_display():
    for module in (utils, helpers, admin_list):
        assert module.display_for_field is admin_dates.display_for_field
    with timezone.override("Asia/Bangkok"):
        shown_value = utils.display_for_field(MOMENT, models.DateTimeField(), "-")
    assert shown_value == "26 พ.ย. 2569 08:24"
    assert utils.display_for_field(datetime.date(2022, 9, 15), models.DateField(), "-") == (
        "15 ก.ย. 2565"
    )
    assert admin_list.display_for_value(datetime.date(2022, 9, 15), "-") == "15 ก.ย. 2565"
    # Everything else is Django's own.
    assert utils.display_for_field(None, models.DateField(), "-") == "-"
    assert utils.display_for_field(True, models.BooleanField(), "-").startswith("<img")


def test_no_admin_shows_a_row_of_gregorian_years():
    from django.contrib import admin

    assert all(model_admin.date_hierarchy is None for model_admin in admin.site._registry.values())


def test_sign_in_records_name_their_time_in_buddhist_era():
    from axes.models import AccessLog

    entry = AccessLog(username="owner", attempt_time=MOMENT)
    assert str(entry) == "การเข้าระบบ owner 26 พ.ย. 2569 08:24"


def test_a_changed_due_date_reads_in_buddhist_era_in_the_history():
    action = Action()
    assert shown(action, "due_on", datetime.date(2022, 9, 15)) == "15 ก.ย. 2565"
    assert shown(action, "due_on", None) == "—"


def test_the_conflict_panel_dates_the_other_save_in_buddhist_era():
    row = SimpleNamespace(
        field="กำหนดเสร็จ", latest="15 ก.ย. 2565", yours="30 ก.ย. 2565", who="admin", when=MOMENT
    )
    with timezone.override("Asia/Bangkok"):
        html = render_to_string("includes/stale.html", {"stale": {"differences": [row]}})
    assert "26 พ.ย. 2569 08:24" in html
    assert "2026" not in html


@pytest.mark.django_db
def test_the_admin_history_pages_date_their_rows_in_buddhist_era(admin_client):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from tests.factories import make_organization

    organization = make_organization()
    user = get_user_model().objects.get(username="admin")
    LogEntry.objects.log_actions(user.pk, [organization], CHANGE, change_message="ตรวจทาน")
    url = reverse("admin:assessments_organization_history", args=[organization.pk])
    page = admin_client.get(url).content.decode()
    assert f"{timezone.localdate().year + 543}" in page
    assert f" {timezone.localdate().year}," not in page
