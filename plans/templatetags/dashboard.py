"""Template filters of the dashboards."""

from django import template

from assessments.models import sees_all_organizations
from plans import dashboard_charts, filter_html

register = template.Library()


@register.filter
def signed(value, places: int = 2):
    """Show a change with its sign ("+1.25", "−0.50", "0.00"); "" when unknown."""
    return dashboard_charts.signed(value, places)


@register.filter
def sees_all_districts(user) -> bool:
    """Whether the BMA-wide overview is for this user."""
    return sees_all_organizations(user)


@register.simple_tag
def scores_tables(page):
    """The scores page's tables, formatted (plans.dashboard_charts.scores_tables)."""
    return dashboard_charts.scores_tables(page)


@register.simple_tag
def lift_rows(steps, to_next_level):
    """The body of the table of items that lift the total most."""
    return dashboard_charts.lift_html(dashboard_charts.lift_rows(steps, to_next_level))


@register.simple_tag
def filter_fields(form):
    """The fields of a filter form (plans.filter_html: written once per distinct form)."""
    return filter_html.fields_html(form)
