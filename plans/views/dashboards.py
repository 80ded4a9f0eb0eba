"""Dashboards for managers: a district's scores, a plan's progress, the BMA-wide overview.

Each page is cached until its data changes (``plans.dataversions``: a version per
organization and year): the views hand the template lazy objects and a cache key
(``_cache``), so on a hit nothing is read or computed beyond the access checks and one query
for the data version; a browser that still has the page (If-None-Match with its ETag) gets a
304 without it being rendered. Who may see the page is always checked first.
"""

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assessments.models import Assessment, Organization, sees_all_organizations
from plans import (
    dashboard_charts,
    dashboards,
    dataversions,
    navigation,
    overview_html,
    overview_reads,
    page_rows,
    progress_html,
    starting,
)
from plans.charts import heat_legend
from plans.filters import ProgressFilter
from plans.models import Action, Plan, changes_plans_of, membership_of


def _menu_parts(user) -> list[dataversions.Part]:
    """The versions of what the menu around a page shows a member: their organization's
    changes (the membership itself is read with the user)."""
    member = membership_of(user)
    return [] if member is None else [dataversions.member_part(member.organization_id)]


def _cache(
    request,
    *parts,
    versions: tuple,
    private=(),
    member_scoped: bool = False,
) -> dict:
    """The template's cache timeout and key, and the page's ETag, after the access checks.

    ``parts`` name the page (``"scores", assessment.pk``); ``versions`` are its data version
    and the ``_menu_parts`` of the reader, read in the page's first query (with its plan or
    assessment: ``dataversions.SCORES_OF_ROW``, ``PROGRESS_OF_ROW``; the overview's with
    whether its year has scores). ``private`` holds what the page shows this user outside
    the cached part (the scores page's "start the next plan" button). ``member_scoped``: the
    body itself depends on the reader's membership (the overview's default scope is their
    organization's children).

    The cached body is shared by everyone who reads the page: its key is the page, its query
    string, its data version, the day (overdue counts change at midnight) and the language
    (a page cached in Thai is not served to someone who chose English). The ETag adds what
    the page around the body shows this user (menu, name, role, the CSRF secret of the
    forms): the membership and the newest year, read with the user, and the versions."""
    user = request.user
    data, *changes = dataversions.as_text(versions)
    member = membership_of(user)
    menu_version = [
        "" if member is None else f"{member.role}/{member.organization_id}/{member.division_id}",
        *changes,
        navigation.latest_assessment_year(user) if sees_all_organizations(user) else None,
    ]
    query = sorted(request.GET.lists())
    today = timezone.localdate().isoformat()
    language = translation.get_language()
    key = [*parts, query, data, today, language]
    if member_scoped:
        key.append(menu_version[0])  # the membership: role / organization / division
    seen_by = [
        user.pk,
        user.get_username(),
        user.get_full_name(),
        user.is_staff,
        user.is_superuser,
        menu_version,
        list(private),
        _csrf_secret(request),
    ]
    digest = hashlib.sha256(repr((key, seen_by)).encode()).hexdigest()[:32]
    return {
        "cache_seconds": settings.ITA_DASHBOARD_CACHE_SECONDS,
        "cache_key": key,
        "etag": quote_etag(digest),
    }


def _csrf_secret(request) -> str:
    """The secret of the CSRF tokens in the page's forms, if the browser keeps one.

    A client that keeps no CSRF cookie gets a new secret with every page: left out, so that
    it can still be answered 304 (it could not send the page's forms anyway). A browser's
    first visit thus costs one more full page: its next request brings the cookie."""
    return request.META.get("CSRF_COOKIE", "")


def _respond(request, template: str, context: dict):
    """Answer 304 when the browser's copy (its If-None-Match) is still the page, else render
    the page with its ETag. Either way the browser must ask again next time (no-cache): the
    ETag changes with the data, the user and the day.

    Not while messages wait to be shown: the page would have to show them."""
    etag = context["etag"]
    response = None
    if not len(messages.get_messages(request)):
        response = get_conditional_response(request, etag=etag)
    if response is None:
        response = render(request, template, context)
    response["ETag"] = etag
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
@require_GET
def scores(request, organization: str, year: int):
    """A district's scores of one year: figures, weak items, where the points are."""
    assessment, versions = page_rows.scores_assessment(
        request.user, organization, year, request.GET.get("edition"), _menu_parts(request.user)
    )
    page = SimpleLazyObject(lambda: dashboards.scores_page(assessment))
    context = {
        "assessment": assessment,
        "page": page,
        "charts": SimpleLazyObject(lambda: dashboard_charts.scores_charts(page)),
        "lift_shown": SimpleLazyObject(
            lambda: page.with_items(page.lift_to_pass[: dashboards.WEAKEST_SHOWN])
        ),
        "to_next_level": SimpleLazyObject(lambda: page.steps_to_next_level(page.lift_to_pass)),
        "to_next_level_full": SimpleLazyObject(lambda: page.steps_to_next_level(page.lift_to_full)),
        # Per user, so outside the cached part of the page.
        "start_due": _start_due(request.user, assessment),
    }
    context |= _cache(
        request,
        "scores",
        assessment.pk,
        versions=versions,
        private=[context["start_due"]],
    )
    return _respond(request, "plans/scores.html", context)


def _start_due(user, assessment) -> bool:
    """Whether to offer starting the plan that answers this assessment."""
    organization = assessment.organization
    return changes_plans_of(user, organization.pk) and starting.plan_due(organization) == assessment


@login_required
@require_GET
def progress(request, organization: str, year: int):
    """A plan's follow-up: divisions × status, rounds, overdue and due soon, completion."""
    today = timezone.localdate()
    plan, versions = page_rows.progress_plan(
        request.user, organization, year, _menu_parts(request.user)
    )
    # The district's divisions and the plan's rounds, read in one query when the page is
    # computed (not on a cache hit): the filter's choices and the page's rows.
    # The filter set too is built only then: a browser's copy is answered without it.
    setting = dashboards.PlanSetting(plan)
    # No filter chosen: every action of the plan, by a prepared read instead of the filter
    # set, which then only writes the form (its query is not even built).
    filtered = any(value for value in request.GET.values())
    filters = SimpleLazyObject(
        lambda: ProgressFilter(
            request.GET,
            queryset=Action.objects.filter(finding__plan=plan)
            if filtered
            else Action.objects.none(),
            divisions=SimpleLazyObject(lambda: setting.divisions),
            today=today,
        )
    )
    page = SimpleLazyObject(
        lambda: dashboards.progress_page(
            plan, filters.qs if filtered else None, today, setting=setting
        )
    )
    context = {
        "plan": plan,
        "page": page,
        "filter": filters,
        "charts": SimpleLazyObject(lambda: dashboard_charts.progress_charts(page)),
        "lists": SimpleLazyObject(lambda: progress_html.action_lists(page, dashboards.LIST_SHOWN)),
        **_cache(request, "progress", plan.pk, versions=versions),
    }
    return _respond(request, "plans/progress.html", context)


def _require_overview(user):
    if not sees_all_organizations(user):
        raise PermissionDenied(_("ภาพรวมทุกเขตสำหรับผู้บริหารส่วนกลางเท่านั้น"))


@login_required
@require_GET
def overview_latest(request):
    """The overview of the latest assessment year."""
    _require_overview(request.user)
    year = navigation.latest_assessment_year(request.user)
    if year is None:
        raise Http404(_("ยังไม่มีผลการประเมิน"))
    return redirect("overview", year=year)


@login_required
@require_GET
def overview(request, year: int):
    """Every agency's total, level and plan progress, and an agency × indicator heat map: a
    page of 50, filtered by parent (``?parent=<code>``, its direct children; ``?parent=`` for
    every agency), kind (``?kind=``) and name or code (``?q=``), sorted by ``?sort=``."""
    _require_overview(request.user)
    # Whether the year has scores, read with the page's versions: a browser's copy is
    # answered in that one query; the years' list is read only to draw the page.
    *versions, assessed = dataversions.read(
        dataversions.for_year(year),
        *_menu_parts(request.user),
        navigation.assessed_year_part(year),
    )
    if not assessed:
        # A plan year: its plans answer an earlier assessment, whose overview shows them.
        answered = dashboards.overview_year(year)
        if answered is None:
            raise Http404(_("ไม่มีผลการประเมินหรือแผนปี %(year)s") % {"year": year})
        return redirect("overview", year=answered)
    sort = request.GET.get("sort", "-total")
    user = request.user
    visible = Organization.objects.visible_to(user)
    scope = SimpleLazyObject(lambda: dashboards.overview_scope(user, visible, request.GET))
    data = SimpleLazyObject(
        lambda: overview_reads.overview(
            user, year, timezone.localdate(), sort, scope=scope, page=request.GET.get("page")
        )
    )
    heat = SimpleLazyObject(lambda: dashboard_charts.heat_map(data))
    filters = urlencode(
        [(name, request.GET[name]) for name in ("parent", "kind", "q") if name in request.GET]
    )
    context = {
        "year": year,
        "overview": data,
        "scope": scope,
        "kinds": Organization.Kind.choices,
        "filters": filters,
        "sort": sort,
        "sorts": dashboard_charts.sort_links(sort, dashboards.OVERVIEW_SORTS, filters),
        "heat": heat,
        # The two big table bodies, built in Python (plans.overview_html).
        "table_rows": SimpleLazyObject(lambda: overview_html.table_rows(data.rows, year)),
        "heat_rows": SimpleLazyObject(lambda: overview_html.heat_rows(heat)),
        "heat_legend": SimpleLazyObject(lambda: heat_legend(pass_mark=data.pass_mark)),
        "years": SimpleLazyObject(navigation.assessment_years),
        # Only users who see every organization get here, so one cached page serves them all.
        # The default scope is the user's organization's children: part of the key.
        **_cache(
            request,
            "overview",
            year,
            versions=tuple(versions),
            member_scoped="parent" not in request.GET,
        ),
    }
    return _respond(request, "plans/overview.html", context)


DISTRICTS_PAGE_SIZE = 25


@login_required
@require_GET
def districts(request):
    """The districts the user may read, searchable by name or code, each with links to its
    latest scores, plan and progress."""
    query = request.GET.get("q", "").strip()
    found = Organization.objects.visible_to(request.user).filter(kind=Organization.Kind.DISTRICT)
    if query:
        found = found.filter(
            Q(name_th__icontains=query) | Q(name_en__icontains=query) | Q(code__icontains=query)
        )
    newest_score = Assessment.objects.filter(organization=OuterRef("pk")).order_by(
        "-framework__fiscal_year"
    )
    newest_plan = Plan.objects.filter(organization=OuterRef("pk")).order_by("-fiscal_year")
    found = found.annotate(
        score_year=Subquery(newest_score.values("framework__fiscal_year")[:1]),
        plan_year=Subquery(newest_plan.values("fiscal_year")[:1]),
    ).order_by("code")
    page = Paginator(found, DISTRICTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "plans/districts.html", {"page": page, "query": query})
