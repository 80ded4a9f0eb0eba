"""The top menu and a district page's sibling links (the rules are in plans.navigation)."""

from django import template

from ita_tracker import addresses
from plans import navigation
from plans.district_nav_html import district_nav_html

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The signed-in user's menu, read once per page."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return navigation.menu_for(user, request=request) if user is not None else None


@register.simple_tag(takes_context=True)
def district_nav(context, organization, current, year=None):
    """Links from a district page to its siblings and its other years.

    Inside a dashboard's cached block it is read only when the page is computed."""
    years = navigation.request_district_years(context.get("request"), organization)
    return district_nav_html(navigation.district_nav(organization, current, year, years))


@register.simple_tag
def address(name, *args):
    """``{% url name args %}`` for the addresses every page of a kind prints, each reversed
    once per process (ita_tracker.addresses)."""
    return addresses.address(name, *args)
