"""The official report: the plan table as print-ready HTML and as PDF."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from plans.access import plan_or_404
from plans.documents import report


@login_required
@require_GET
def plan_report(request, organization: str, year: int):
    """Show the report for printing; another district's plan is not found."""
    plan = plan_or_404(request.user, organization, year)
    context = report.report_context(plan, notes=report.wants_notes(request))
    return render(request, report.TEMPLATE, context)


@login_required
@require_GET
def plan_pdf(request, organization: str, year: int):
    """Download the report as PDF; another district's plan is not found."""
    plan = plan_or_404(request.user, organization, year)
    response = HttpResponse(report.render_pdf(plan, request), content_type=report.PDF_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, report.pdf_file_name(plan))
    return response
