"""Buddhist-Era dates throughout the admin: the one module that changes how it shows dates.

Django's admin formats dates with the locale's formats, and no format can add 543 to the
year, so each place that shows a date is overridden here, explicitly:

* ``display_for_field`` / ``display_for_value``, which the changelist columns and the
  read-only fields of change pages call, show dates and times as "26 พ.ย. 2569 08:24";
* ``date_hierarchy`` (a row of Gregorian years) is switched off on every registered admin,
  third-party ones included; the date filters in the sidebar say "today", "past 7 days"…;
* django-axes' models name themselves by their time, so their ``__str__`` (page titles,
  breadcrumbs) shows it in Buddhist Era;
* the history pages are templates: ``templates/admin/object_history.html`` and
  ``templates/simple_history/object_history_list.html``.

``install`` runs once, from ``AssessmentsConfig.ready``, after the admin has found every
``admin.py``.
"""

import datetime

from django.contrib import admin
from django.contrib.admin import helpers, utils
from django.contrib.admin.templatetags import admin_list
from django.utils.translation import gettext, gettext_noop

from assessments.thaidates import format_datetime

_django_display_for_field = utils.display_for_field
_django_display_for_value = utils.display_for_value


def _be(value):
    """The value shown in Buddhist Era if it is a date or datetime, else None."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return format_datetime(value)
    return None


def display_for_field(value, field, empty_value_display, avoid_link=False):
    """Django's ``display_for_field``, with dates and times in Buddhist Era."""
    if not getattr(field, "flatchoices", None) and (shown := _be(value)) is not None:
        return shown
    return _django_display_for_field(value, field, empty_value_display, avoid_link)


def display_for_value(value, empty_value_display, boolean=False):
    """Django's ``display_for_value``, with dates and times in Buddhist Era."""
    if not boolean and (shown := _be(value)) is not None:
        return shown
    return _django_display_for_value(value, empty_value_display, boolean)


def _axes_str(label: str):
    def __str__(self):
        name = f"{gettext(label)} {self.username or ''}".strip()
        return f"{name} {format_datetime(self.attempt_time)}"

    return __str__


def install(site: admin.AdminSite = admin.site) -> None:
    """Put the Buddhist-Era overrides in place (idempotent)."""
    # The admin modules imported these by name, so each one's reference is replaced.
    for module in (utils, helpers, admin_list):
        if hasattr(module, "display_for_field"):
            module.display_for_field = display_for_field
        if hasattr(module, "display_for_value"):
            module.display_for_value = display_for_value
    for model_admin in site._registry.values():
        model_admin.date_hierarchy = None
    try:
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    except ImportError:  # pragma: no cover - axes is installed with the app
        return
    AccessAttempt.__str__ = _axes_str(gettext_noop("การเข้าระบบที่ผิดพลาด"))
    AccessFailureLog.__str__ = _axes_str(gettext_noop("การเข้าระบบที่ผิดพลาด"))
    AccessLog.__str__ = _axes_str(gettext_noop("การเข้าระบบ"))
