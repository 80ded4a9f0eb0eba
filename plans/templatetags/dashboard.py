"""Template filters of the dashboards."""

from decimal import Decimal

from django import template

from assessments.models import sees_all_organizations
from plans import dashboard_charts

register = template.Library()


@register.filter
def signed(value, places: int = 2):
    """Show a change with its sign ("+1.25", "−0.50", "0.00"); "" when unknown."""
    if value is None or value == "":
        return ""
    value = Decimal(value).quantize(Decimal(1).scaleb(-int(places)))
    if value > 0:
        return f"+{value}"
    if value < 0:
        return f"−{-value}"
    return f"{abs(value)}"


@register.filter
def sees_all_districts(user) -> bool:
    """Whether the BMA-wide overview is for this user."""
    return sees_all_organizations(user)


@register.simple_tag
def action_rows(page, actions, shown):
    """The first ``shown`` of a progress page's ``actions`` as rows ready to print."""
    return dashboard_charts.action_rows(page, actions[:shown])
