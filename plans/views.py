"""Pages of the plans app."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from assessments.models import Assessment, Organization
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
