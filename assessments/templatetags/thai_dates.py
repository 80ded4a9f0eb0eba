"""Template filters that show dates, months and fiscal years in Buddhist Era (พ.ศ.).

Every filter turns None, "" or anything that is not a date into "", as Django's own date
filter does, so a missing value never breaks a page.
"""

import datetime

from django import template
from django.utils import timezone

from assessments import thaidates

register = template.Library()


def _local_date(value):
    # Aware datetimes follow the active time zone, as Django's own date filter does.
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if isinstance(value, datetime.date):
        return value
    return None


@register.filter
def thai_date(value):
    """Show a date as "1 ต.ค. 2564"."""
    return thaidates.format_date(_local_date(value), "short")


@register.filter
def thai_datetime(value):
    """Show a moment as "26 พ.ย. 2569 08:24" in the active time zone; a date without a time."""
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return thaidates.format_datetime(local.replace(tzinfo=None))
    return thaidates.format_date(_local_date(value), "short")


@register.filter
def thai_value(value):
    """Show a date or moment in Buddhist Era and any other value as it is (history diffs)."""
    if isinstance(value, datetime.date):
        return thai_datetime(value)
    return value


@register.filter
def thai_date_long(value):
    """Show a date as "1 ตุลาคม 2564"."""
    return thaidates.format_date(_local_date(value), "long")


@register.filter
def thai_date_numeric(value):
    """Show a date as "1/10/2564"."""
    return thaidates.format_date(_local_date(value), "numeric")


@register.filter
def thai_month(value):
    """Show the month of a date as "ต.ค. 64"."""
    return thaidates.format_month(_local_date(value))


@register.filter
def thai_window(start, end=None):
    """Show a month window as "ต.ค. 64 – มิ.ย. 65": ``{{ starts_on|thai_window:due_on }}``."""
    return thaidates.format_window(_local_date(start), _local_date(end))


@register.filter
def fiscal_year(value):
    """Show the Buddhist-Era fiscal year that contains a date, e.g. 2565."""
    day = _local_date(value)
    return "" if day is None else thaidates.fiscal_year_of(day)


@register.filter
def be_year(value):
    """Show the Buddhist-Era year of a date, e.g. 2564."""
    day = _local_date(value)
    return "" if day is None else thaidates.to_buddhist_year(day.year)
