"""The public pages: published plans, readable without sign-in (rules in plans.publishing).

Every "not here" answer is the same page, whether the office, the year or the publishing is
missing, so the pages never tell whether an unpublished plan exists. The pages carry cache
validators from the plan's latest change, so a browser or proxy asks again cheaply and gets
304 until a report is made or the plan changes.
"""

import hashlib
import logging

from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import condition, require_GET

from assessments.models import Organization
from assessments.rollup import score_report
from plans import dashboards, publishing
from plans.dashboard_charts import ROUND_SEGMENTS, STATUS_SEGMENTS
from plans.documents import plan_table, planrows, progress_files, progress_report
from plans.documents.report import office_name
from plans.models import Action
from plans.views.downloads import attachment

log = logging.getLogger(__name__)

# Short: a new report shows within minutes even through a cache that does not revalidate.
PUBLIC_MAX_AGE = 300


def not_found(request):
    """The one public 404 page: it does not say what was missing."""
    return render(request, "public/404.html", status=404)


def _cacheable(view):
    """Mark a public page cacheable for a short while, per language (the language comes with
    the cookie the switcher sets)."""

    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200 or response.status_code == 304:
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        patch_vary_headers(response, ["Cookie"])
        return response

    wrapped.__doc__, wrapped.__name__ = view.__doc__, view.__name__
    return wrapped


def _etag(*parts) -> str:
    """A validator for the page's data and the language it is shown in."""
    text = "|".join(str(part) for part in (*parts, translation.get_language()))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


# --- /public/ ------------------------------------------------------------------------------


def _offices():
    return Organization.objects.filter(
        pk__in=publishing.public_plans().values("organization_id")
    ).order_by("code")


def _home_etag(request):
    return _etag("home", publishing.listing_version(publishing.public_plans()))


@_cacheable
@require_GET
@condition(etag_func=_home_etag)
def home(request):
    """The offices that publish, each with its published plans."""
    plans = publishing.public_plans().select_related("organization").order_by("-fiscal_year")
    by_office: dict[int, list] = {}
    for plan in plans:
        by_office.setdefault(plan.organization_id, []).append(plan)
    offices = [(office, office_name(office), by_office.get(office.pk, [])) for office in _offices()]
    return render(request, "public/home.html", {"offices": offices})


# --- /public/<code>/ -----------------------------------------------------------------------


def _office_plans(organization: str):
    return publishing.public_plans().filter(organization__code=organization)


def _office_etag(request, organization: str):
    return _etag("office", organization, publishing.listing_version(_office_plans(organization)))


@_cacheable
@require_GET
@condition(etag_func=_office_etag)
def office(request, organization: str):
    """An office's published plans; an office with none is not found."""
    plans = list(
        _office_plans(organization)
        .select_related("organization", "assessment__framework")
        .order_by("-fiscal_year")
    )
    if not plans:
        return not_found(request)
    office_ = plans[0].organization
    context = {"organization": office_, "office": office_name(office_), "plans": plans}
    return render(request, "public/office.html", context)


# --- /public/<code>/<year>/ ----------------------------------------------------------------


def _public_plan(request, organization: str, year: int):
    """The published plan, looked up once per request (the validators and the view ask)."""
    key = ("_public_plan", organization, year)
    if not hasattr(request, "_public_plans"):
        request._public_plans = {}
    if key not in request._public_plans:
        request._public_plans[key] = (
            publishing.public_plans()
            .select_related("organization", "assessment__framework")
            .filter(organization__code=organization, fiscal_year=year)
            .first()
        )
    return request._public_plans[key]


def _plan_changed(request, organization: str, year: int, **_):
    """When the published plan last changed, asked once per request (both validators and
    the reports' ETag want it; the query reads every history table the page shows)."""
    plan = _public_plan(request, organization, year)
    if plan is None:
        return None
    if not hasattr(plan, "_last_changed"):
        plan._last_changed = publishing.last_changed(plan)
    return plan._last_changed


def _plan_etag(request, organization: str, year: int):
    plan = _public_plan(request, organization, year)
    if plan is None:
        return None
    changed = _plan_changed(request, organization, year)
    return _etag("plan", plan.pk, changed.isoformat() if changed else "")


@_cacheable
@require_GET
@condition(etag_func=_plan_etag, last_modified_func=_plan_changed)
def plan(request, organization: str, year: int):
    """The office, the assessment's total and level, the seven-column table with each action's
    status, and the progress by round; notes and evidence only of public reports."""
    found = _public_plan(request, organization, year)
    if found is None:
        return not_found(request)
    report = score_report(found.assessment)
    shown = list(Action.objects.filter(finding__plan=found).order_by("finding__order", "order"))
    plan_table.attach_divisions(found, shown)
    publishing.attach_public_reports(shown)
    rows = plan_table.findings(found, shown)
    progress = dashboards.progress_page(found, None, today())
    context = {
        "plan": found,
        "office": office_name(found.organization),
        "framework": found.assessment.framework,
        "summary": report.summary,
        "headers": planrows.column_headings(found.fiscal_year),
        "sections": plan_table.sections(found, rows, report.summary),
        "round_headers": [segment.label for segment in ROUND_SEGMENTS],
        "rounds": [
            (row.round.name, [row.counts[segment.key] for segment in ROUND_SEGMENTS])
            for row in progress.rounds
        ],
        "totals": [
            (segment.label, progress.totals[segment.key], segment.key)
            for segment in STATUS_SEGMENTS
        ],
        "action_count": len(shown),
    }
    return render(request, "public/plan.html", context)


def today():
    return timezone.localdate()


def _report_etag(request, organization: str, year: int, kind: str, format_: str):
    """A report also carries the day it is printed on, so the validator changes daily too."""
    plan = _public_plan(request, organization, year)
    if plan is None:
        return None
    changed = _plan_changed(request, organization, year)
    stamp = changed.isoformat() if changed else ""
    return _etag("report", plan.pk, kind, format_, stamp, today().isoformat())


@_cacheable
@require_GET
@condition(etag_func=_report_etag)
def report_file(request, organization: str, year: int, kind: str, format_: str):
    """The six-month or annual report of a published plan, in its public variant: notes and
    evidence only of the reports marked public."""
    found = _public_plan(request, organization, year)
    if found is None or kind not in progress_report.KINDS or format_ not in progress_files.FORMATS:
        return not_found(request)
    file = progress_files.export(found, kind, format_, public=True, request=request)
    return attachment(file.data, file.content_type, file.name)


# --- /public/evidence/<pk>/<token>/ --------------------------------------------------------


@require_GET
def evidence(request, pk: int, token: str):
    """The evidence file of a report marked public in a published plan; any other is the
    public 404."""
    update = publishing.public_evidence(pk, token)
    if update is None:
        return not_found(request)
    try:
        opened = update.evidence_file.open("rb")
    except FileNotFoundError:
        log.warning("Evidence file missing from storage: %s", update.evidence_file.name)
        return not_found(request)
    response = FileResponse(opened, filename=update.evidence_file.name.rsplit("/", 1)[-1])
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response
