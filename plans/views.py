"""Pages of the plans app."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from assessments.models import Assessment, Organization
from plans import export
from plans.models import Plan

PAGE_SIZE = 25


@login_required
def home(request):
    """Show the organizations, assessments and plans the signed-in user may see."""
    user = request.user
    assessments = Assessment.objects.visible_to(user).select_related("organization", "framework")
    plans = Plan.objects.visible_to(user).select_related("organization", "assessment__framework")
    context = {
        "organizations": Organization.objects.visible_to(user).order_by("code"),
        "assessments": Paginator(assessments, PAGE_SIZE).get_page(request.GET.get("ap")),
        "plans": Paginator(plans, PAGE_SIZE).get_page(request.GET.get("pp")),
    }
    return render(request, "plans/home.html", context)


@login_required
@require_GET
def plan_xlsx(request, organization: str, year: int):
    """Download the official plan table; another district's plan is not found."""
    plan = get_object_or_404(
        Plan.objects.visible_to(request.user).select_related("organization", "assessment"),
        organization__code=organization,
        fiscal_year=year,
    )
    response = HttpResponse(export.plan_xlsx(plan), content_type=export.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{export.file_name(plan)}"'
    return response
