"""The OIT readiness pages: a district's items, one item's edit form, the BMA table."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from assessments.editions import EditionError
from assessments.models import Organization, sees_all_organizations
from oit import readiness as rules
from oit.forms import ReadinessForm
from oit.models import CheckRun, Readiness, Result
from plans.access import require_editable, visible_or_404
from plans.models import changes_plans_of
from plans.versions import StaleVersion, save_if_current


def _district_or_404(user, code: str, year: int, edition: str | None = None):
    organization = get_object_or_404(Organization.objects.visible_to(user), code=code)
    try:
        framework = rules.edition_for(organization, year, edition)
    except EditionError as error:
        raise Http404(str(error)) from error
    return organization, framework


def _page_url(organization, year) -> str:
    return reverse("oit:readiness", args=[organization.code, year])


@login_required
@require_GET
def readiness(request, organization: str, year: int):
    """A district's OIT items by indicator, what to fix first and what readiness is worth."""
    organization, framework = _district_or_404(
        request.user, organization, year, request.GET.get("edition")
    )
    rules.ensure_readiness(organization, framework)
    page = rules.readiness_page(organization, framework)
    editable = set(
        Readiness.objects.of(organization, framework)
        .editable_by(request.user)
        .values_list("pk", flat=True)
    )
    context = {
        "page": page,
        "year": year,
        "editable": editable,
        "may_check": changes_plans_of(request.user, organization.pk),
        "last_run": CheckRun.objects.filter(
            Q(organization=organization) | Q(organization=None), fiscal_year=year
        ).first(),
    }
    return render(request, "oit/readiness.html", context)


@login_required
def readiness_edit(request, pk: int):
    """Change one item's status, division, note and addresses; a stale form is refused."""
    row = visible_or_404(
        Readiness.objects.select_related("organization", "item__framework", "division"),
        request.user,
        pk=pk,
    )
    require_editable(Readiness.objects, request.user, row)
    may_assign = changes_plans_of(request.user, row.organization_id)
    form = ReadinessForm(request.POST or None, instance=row, may_assign=may_assign)
    back = _page_url(row.organization, row.item.framework.fiscal_year)
    context = {"row": row, "back": back}
    if request.method == "POST" and form.is_valid():
        try:
            save_if_current(Readiness, row.pk, form.cleaned_data["version"], form.save_to)
        except StaleVersion as stale:
            form.conflict(stale)
            context["stale"] = stale
        else:
            messages.success(request, _("บันทึกแล้ว"))
            return redirect(back)
    return render(
        request,
        "oit/readiness_form.html",
        {**context, "form": form},
        status=409 if context.get("stale") else 200,
    )


@login_required
@require_POST
def check_links(request, organization: str, year: int):
    """Run the link checker over the district's addresses now (plan owners and admins)."""
    organization, _framework = _district_or_404(request.user, organization, year)
    if not changes_plans_of(request.user, organization.pk):
        raise PermissionDenied(_("เฉพาะผู้รับผิดชอบแผนและผู้ดูแลระบบสั่งตรวจลิงก์ได้"))
    # The checker is its own module; imported here so the pages load without it.
    from oit.runs import run_checks

    run = run_checks(organization=organization, fiscal_year=year, user=request.user)
    counts = ", ".join(
        f"{Result(result).label} {count}" for result, count in sorted((run.counts or {}).items())
    )
    messages.success(
        request,
        _("ตรวจลิงก์แล้ว %(urls)s ที่อยู่%(counts)s")
        % {"urls": run.urls, "counts": f" ({counts})" if counts else ""},
    )
    return redirect(_page_url(organization, year))


@login_required
@require_GET
def bma(request, year: int):
    """Every district's readiness of ``year`` side by side (central managers)."""
    if not sees_all_organizations(request.user):
        raise PermissionDenied(_("ตารางความพร้อมทุกเขตสำหรับผู้บริหารส่วนกลางเท่านั้น"))
    of_year = Q(oit_readiness__item__framework__fiscal_year=year)
    failing = list(rules.FIX_ORDER)
    districts = (
        Organization.objects.filter(kind=Organization.Kind.DISTRICT)
        .annotate(
            items=Count("oit_readiness", filter=of_year, distinct=True),
            ready=Count(
                "oit_readiness",
                filter=of_year & Q(oit_readiness__status=Readiness.Status.READY),
                distinct=True,
            ),
            failing=Count(
                "oit_readiness__urls",
                filter=of_year & Q(oit_readiness__urls__latest__result__in=failing),
                distinct=True,
            ),
            last_check=Max("oit_readiness__urls__latest__checked_at", filter=of_year),
        )
        .order_by("-items", "code")
    )
    return render(
        request,
        "oit/bma.html",
        {"year": year, "districts": districts},
    )
