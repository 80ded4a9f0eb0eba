"""The six-month and annual reports of a plan, downloaded as PDF or Word."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from plans.access import plan_or_404
from plans.documents import progress_files, progress_report
from plans.views.downloads import attachment


@login_required
@require_GET
def progress_report_file(request, organization: str, year: int, kind: str, format_: str):
    """Anyone who may see the plan may download its reports; another district's is not found.
    ``?round=<id>`` reports as of the end of one of the plan's rounds."""
    plan = plan_or_404(request.user, organization, year)
    if kind not in progress_report.KINDS or format_ not in progress_files.FORMATS:
        raise Http404(gettext("ไม่พบรายงานนี้"))
    chosen = None
    if wanted := request.GET.get("round"):
        chosen = plan.rounds.filter(pk=wanted).first() if wanted.isdigit() else None
        if chosen is None:
            raise Http404(gettext("ไม่พบรอบการติดตามนี้ในแผน"))
    file = progress_files.export(plan, kind, format_, round=chosen, request=request)
    return attachment(file.data, file.content_type, file.name)
