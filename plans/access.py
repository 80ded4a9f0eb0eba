"""Fetch an object for a page: another district's object is not found (404); one the user
may see but not change is forbidden (403). The rules themselves are the models'
``visible_to`` / ``editable_by`` querysets."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from plans.models import Plan


def visible_or_404(queryset, user, **lookup):
    return get_object_or_404(queryset.visible_to(user), **lookup)


def require_editable(queryset, user, obj) -> None:
    if not queryset.editable_by(user).filter(pk=obj.pk).exists():
        raise PermissionDenied("ท่านดูรายการนี้ได้ แต่ไม่มีสิทธิ์แก้ไข")


def plan_or_404(user, organization: str, year: int):
    """The plan of an organization (by code) and plan year, if the user may see it."""
    return visible_or_404(
        Plan.objects.select_related("organization", "assessment__framework"),
        user,
        organization__code=organization,
        fiscal_year=year,
    )
