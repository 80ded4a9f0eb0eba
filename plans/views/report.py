"""The official report: the plan table as print-ready HTML and as PDF."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from plans.access import plan_or_404
from plans.documents import report
from plans.views.downloads import attachment


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
    return attachment(
        report.render_pdf(plan, request), report.PDF_CONTENT_TYPE, report.pdf_file_name(plan)
    )
