"""Template filters for the link to the people page."""

from django import template

from plans.models import PLAN_EDITOR_ROLES, membership_of

register = template.Library()


@register.filter
def manages_people(user) -> bool:
    """Whether the menu links to a people page: plan owners and admins (as ``plan_organizations``
    decides), without a query of its own on every page."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        return True
    member = membership_of(user)
    return member is not None and member.role in PLAN_EDITOR_ROLES
