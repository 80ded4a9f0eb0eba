"""Fetch an object for a page: another district's object is not found (404); one the user
may see but not change is forbidden (403). The rules themselves are the models'
``visible_to`` / ``editable_by`` querysets."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Framework, Organization, visible_organization_sql
from ita_tracker import prepared, rows
from plans.models import Membership, Plan, changes_plans_of

PLAN_CLOSED = _(
    "แผนนี้ปิดแล้ว จึงแก้ไขหรือรายงานความก้าวหน้าไม่ได้ หากยังต้องแก้ไข โปรดให้ผู้รับผิดชอบแผนเปลี่ยนสถานะแผนกลับก่อน"
)


def visible_or_404(queryset, user, **lookup):
    return get_object_or_404(queryset.visible_to(user), **lookup)


def assessment_or_404(user, organization: str, year: int, edition: str | None = None):
    """The organization's assessment of ``year`` the user may see, with its organization and
    edition (one plain statement: every score page starts with it).

    When several editions assessed it that year (the BMA one and NACC's), ``edition`` (the
    edition's name) picks one; without it the first by name is shown and the page offers the
    others."""
    return assessment_with(user, organization, year, edition)[0]


def assessment_with(user, organization: str, year: int, edition=None, also=()):
    """``assessment_or_404`` and the values of ``also`` (scalar subqueries, ``Part``s, which
    may name the assessment ``a``, its organization ``o`` and edition ``f``), in one
    statement: a dashboard's data versions come with the assessment they are of."""
    row, values = assessment_row(user, organization, year, edition, also)
    return assessment_of(row), values


_ASSESSMENT = (Assessment, Organization, Framework)


def assessment_row(user, organization: str, year: int, edition=None, also=()):
    """``assessment_with``'s statement: the values of the assessment's row (``assessment_of``
    makes the instances of them) and of ``also``."""
    quote = connection.ops.quote_name
    visible, params = visible_organization_sql(user, "o.id")
    by_edition = ""
    if edition:
        by_edition, params = " AND f.name = %s", [*params, edition]
    sql = (
        f"SELECT {rows.columns(Assessment, 'a', quote)}, {rows.columns(Organization, 'o', quote)}, "
        f"{rows.columns(Framework, 'f', quote)}{_selected(also)} "
        f"FROM {quote(Assessment._meta.db_table)} a "
        f"INNER JOIN {quote(Organization._meta.db_table)} o ON o.id = a.organization_id "
        f"INNER JOIN {quote(Framework._meta.db_table)} f ON f.id = a.framework_id "
        f"WHERE o.code = %s AND f.fiscal_year = %s AND {visible}{by_edition} "
        "ORDER BY f.name LIMIT 1"
    )
    params = [*_params(also), organization, year, *params]
    found = _one("assessment_with", sql, params, _ASSESSMENT)
    if found is None:
        raise Http404(gettext("ไม่พบผลการประเมิน"))
    return found


def assessment_of(row) -> Assessment:
    """The assessment of ``assessment_row``'s values, with its organization and edition."""
    assessment, organization, framework = _instances(row, _ASSESSMENT)
    assessment.organization, assessment.framework = organization, framework
    return assessment


def _selected(also) -> str:
    return "".join(f", ({part.sql})" for part in also)


def _params(also) -> list:
    return [param for part in also for param in part.params]


def _one(label: str, sql: str, params: list, models):
    """The values of the columns of ``models`` in the statement's first row and the values
    selected after them, or None (the statement prepared once per connection under
    ``label``: ``ita_tracker.prepared``)."""
    row = prepared.fetchone(connection, label, sql, params)
    if row is None:
        return None
    end = sum(rows.width(model) for model in models)
    return tuple(row[:end]), tuple(row[end:])


def _instances(row, models) -> list:
    """The instances of ``models`` of ``row`` (their columns in that order)."""
    found, start = [], 0
    for model in models:
        end = start + rows.width(model)
        found.append(rows.instance(model, row[start:end], connection))
        start = end
    return found


def require_editable(queryset, user, obj) -> None:
    if not queryset.editable_by(user).filter(pk=obj.pk).exists():
        raise PermissionDenied(gettext("ท่านดูรายการนี้ได้ แต่ไม่มีสิทธิ์แก้ไข"))


def plan_or_404(user, organization: str, year: int):
    """The plan of an organization (by code) and plan year, if the user may see it, with its
    organization and its assessment's edition (one plain statement: every plan page starts
    with it)."""
    return plan_with(user, organization, year)[0]


def plan_with(user, organization: str, year: int, also=()):
    """``plan_or_404`` and the values of ``also`` (scalar subqueries, which may name the
    plan ``p``, its organization ``o``, assessment ``a`` and edition ``f``), in one
    statement."""
    row, values = plan_row(user, organization, year, also)
    return plan_of(row), values


_PLAN = (Plan, Organization, Assessment, Framework)


def plan_row(user, organization: str, year: int, also=()):
    """``plan_with``'s statement: the values of the plan's row (``plan_of`` makes the
    instances of them) and of ``also``."""
    quote = connection.ops.quote_name
    visible, params = visible_organization_sql(user, "o.id")
    sql = (
        f"SELECT {rows.columns(Plan, 'p', quote)}, {rows.columns(Organization, 'o', quote)}, "
        f"{rows.columns(Assessment, 'a', quote)}, {rows.columns(Framework, 'f', quote)}"
        f"{_selected(also)} FROM {quote(Plan._meta.db_table)} p "
        f"INNER JOIN {quote(Organization._meta.db_table)} o ON o.id = p.organization_id "
        f"INNER JOIN {quote(Assessment._meta.db_table)} a ON a.id = p.assessment_id "
        f"INNER JOIN {quote(Framework._meta.db_table)} f ON f.id = a.framework_id "
        f"WHERE o.code = %s AND p.fiscal_year = %s AND {visible}"
    )
    params = [*_params(also), organization, year, *params]
    found = _one("plan_with", sql, params, _PLAN)
    if found is None:
        raise Http404(gettext("ไม่พบแผน"))
    return found


def plan_of(row) -> Plan:
    """The plan of ``plan_row``'s values, with its organization, assessment and edition."""
    plan, organization, assessment, framework = _instances(row, _PLAN)
    assessment.framework = framework
    plan.organization, plan.assessment = organization, assessment
    return plan


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
    if not changes_plans_of(user, organization.pk):
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
