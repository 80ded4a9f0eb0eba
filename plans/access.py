"""Fetch an object for a page: another district's object is not found (404); one the user
may see but not change is forbidden (403). The rules themselves are the models'
``visible_to`` / ``editable_by`` querysets."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import Organization
from plans.models import Membership, Plan, plan_organizations

PLAN_CLOSED = _(
    "แผนนี้ปิดแล้ว จึงแก้ไขหรือรายงานความก้าวหน้าไม่ได้ หากยังต้องแก้ไข โปรดให้ผู้รับผิดชอบแผนเปลี่ยนสถานะแผนกลับก่อน"
)


def visible_or_404(queryset, user, **lookup):
    return get_object_or_404(queryset.visible_to(user), **lookup)


def assessment_or_404(user, organization: str, year: int, edition: str | None = None):
    """The organization's assessment of ``year`` the user may see.

    When several editions assessed it that year (the BMA one and NACC's), ``edition`` (the
    edition's name) picks one; without it the first by name is shown and the page offers the
    others."""
    from assessments.models import Assessment

    found = (
        Assessment.objects.visible_to(user)
        .select_related("organization", "framework")
        .filter(organization__code=organization, framework__fiscal_year=year)
        .order_by("framework__name")
    )
    if edition:
        found = found.filter(framework__name=edition)
    assessment = found.first()
    if assessment is None:
        raise Http404(gettext("ไม่พบผลการประเมิน"))
    return assessment


def require_editable(queryset, user, obj) -> None:
    if not queryset.editable_by(user).filter(pk=obj.pk).exists():
        raise PermissionDenied(gettext("ท่านดูรายการนี้ได้ แต่ไม่มีสิทธิ์แก้ไข"))


def plan_or_404(user, organization: str, year: int):
    """The plan of an organization (by code) and plan year, if the user may see it."""
    return visible_or_404(
        Plan.objects.select_related("organization", "assessment__framework"),
        user,
        organization__code=organization,
        fiscal_year=year,
    )


def refuse_if_closed(request, plan: Plan, back_to: str):
    """A closed plan is read-only: send the user back with the reason (None if it is open).

    Checked before ``require_editable``, whose querysets leave closed plans out, so the user
    reads why rather than a bare refusal."""
    if plan.is_read_only:
        messages.error(request, PLAN_CLOSED)
        return redirect(back_to)
    return None


def people_organization_or_404(user, code: str) -> Organization:
    """The organization whose people page the user opens: another district is not found;
    one they may see but whose people they do not manage (staff, managers) is forbidden."""
    organization = get_object_or_404(Organization.objects.visible_to(user), code=code)
    if not plan_organizations(user).filter(pk=organization.pk).exists():
        raise PermissionDenied(_("เฉพาะผู้รับผิดชอบแผนและผู้ดูแลระบบจัดการผู้ใช้ของหน่วยงานได้"))
    return organization


def member_for_change(user, organization: Organization, pk: int) -> Membership:
    """A member of ``organization`` the user may change; one ranked above them is forbidden."""
    membership = get_object_or_404(
        Membership.objects.filter(organization=organization).select_related("user", "division"),
        pk=pk,
    )
    if not Membership.objects.editable_by(user).filter(pk=pk).exists():
        raise PermissionDenied(_("ท่านเปลี่ยนข้อมูลของผู้ที่มีบทบาทสูงกว่าท่านไม่ได้"))
    return membership
