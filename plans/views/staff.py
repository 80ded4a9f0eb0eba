"""Pages of the plans app."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Max
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assessments.models import Assessment, Organization, sees_all_organizations
from plans import dashboards, history, homepage, navigation, progress, starting
from plans.access import plan_or_404, refuse_if_closed, require_editable, visible_or_404
from plans.documents import plan_html, plan_table, planrows, xlsx
from plans.filters import ActionFilter, PlanActionFilter
from plans.forms import ActionForm, FindingForm, ProgressForm
from plans.models import (
    PLAN_EDITOR_ROLES,
    Action,
    Division,
    Finding,
    Membership,
    Plan,
    ProgressUpdate,
    is_late,
    membership_of,
    plan_organizations,
)
from plans.versions import StaleVersion, save_if_current
from plans.views.downloads import attachment
from reminders import digests

PAGE_SIZE = 25

log = logging.getLogger(__name__)


@login_required
def home(request):
    """What the user's role needs first (plans.homepage), then the plans and assessments they
    may see."""
    user, today = request.user, _today()
    member = membership_of(user)
    assessments = Assessment.objects.visible_to(user).select_related("organization", "framework")
    plans = Plan.objects.visible_to(user).select_related("organization", "assessment__framework")
    context = {
        "member": member,
        "due": digests.due_list(user, member, today),
        "due_shown": f":{digests.DUE_LIST_SHOWN}",
        "organizations": Organization.objects.visible_to(user).order_by("code"),
        "assessments": Paginator(assessments, PAGE_SIZE).get_page(request.GET.get("ap")),
        "plans": Paginator(plans, PAGE_SIZE).get_page(request.GET.get("pp")),
        "plans_due": starting.plans_due(plan_organizations(user)),
    }
    if navigation.in_district(member):
        context.update(_district_home(member, today))
    if sees_all_organizations(user):
        year = navigation.latest_assessment_year(user)
        if year is not None:
            context["bma"] = homepage.bma_summary(user, year, today)
    return render(request, "plans/home.html", context)


def _district_home(member, today) -> dict:
    organization = member.organization
    years = navigation.district_years(organization)
    plan = homepage.current_plan(organization, years, today)
    context = {
        "district": organization,
        "plan": plan,
        "open_round": homepage.open_round(plan, today),
    }
    if member.role in PLAN_EDITOR_ROLES and plan is not None:
        context["overdue_by_division"] = homepage.overdue_by_division(plan, today)
    if member.role in (Membership.Role.DISTRICT_MANAGER, Membership.Role.ADMIN):
        context["headline"] = homepage.headline(organization, years, today)
    return context


@login_required
@require_GET
def plan_xlsx(request, organization: str, year: int):
    """Download the official plan table; another district's plan is not found."""
    plan = plan_or_404(request.user, organization, year)
    return attachment(xlsx.plan_xlsx(plan), xlsx.XLSX_CONTENT_TYPE, xlsx.file_name(plan))


def _today():
    return timezone.localdate()


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# The roles whose งานของฝ่าย lists their whole district's actions when they have no division.
DISTRICT_LISTING_ROLES = (
    Membership.Role.PLAN_OWNER,
    Membership.Role.DISTRICT_MANAGER,
    Membership.Role.ADMIN,
)


@login_required
def my_actions(request):
    """The division's actions (all of the district's for plan owners and managers), overdue
    and due-soon first."""
    user, today = request.user, _today()
    member = membership_of(user)
    actions = Action.objects.visible_to(user)
    if member is not None and member.role == Membership.Role.STAFF:
        actions = actions.of_division(member.division)
    elif member is not None:
        actions = actions.filter(finding__plan__organization=member.organization)
    actions = actions.select_related(
        "finding__item", "finding__plan__organization", "lead_division"
    ).by_urgency(today)
    divisions = Division.objects.visible_to(user)
    if member is not None:
        divisions = divisions.filter(organization=member.organization)
    filters = ActionFilter(request.GET, queryset=actions, divisions=divisions, today=today)
    context = {
        "member": member,
        # Without a division the page cannot be "the division's work": say so, and whom to ask.
        "no_division": member is None or member.division_id is None,
        "lists_district": member is not None and member.role in DISTRICT_LISTING_ROLES,
        "filter": filters,
        "page": _page(request, filters.qs),
        "today": today,
    }
    return render(request, "plans/my_actions.html", context)


@login_required
def plan_detail(request, organization: str, year: int):
    """The seven-column table of a plan, grouped by tool and indicator, with filters."""
    user, today = request.user, _today()
    plan = plan_or_404(user, organization, year)
    actions = Action.objects.filter(finding__plan=plan).annotate(
        carried_from_year=F("carried_from__finding__plan__fiscal_year")
    )
    # The district's divisions and the plan's rounds in one query: the filter's choices and
    # the table's division names.
    setting = dashboards.PlanSetting(plan)
    filters = PlanActionFilter(
        request.GET,
        queryset=actions,
        divisions=setting.divisions,
        rounds=setting.rounds,
        today=today,
    )
    filtered = any(value for value in request.GET.values())
    if filtered:
        shown = plan_table.action_records(
            filters.qs.order_by("finding__order", "order"), carried_from_year=True
        )
    else:  # no filter chosen: every action, by the report's prepared read
        shown = plan_table.plan_action_records(plan, carried_from_year=True)
    plan_table.attach_divisions(plan, shown, setting.divisions)
    findings = plan_table.findings(plan, shown, include_empty=not filtered, scores=True)
    sections = plan_table.sections(plan, findings, plan_table.table_scores(plan, findings))
    # The rules of the plans' and actions' ``editable_by``, asked of the rows in hand.
    can_edit = plan.may_write(user)
    may_report_on = plan.reporter(user)
    reportable = {action.pk for action in shown if may_report_on(action)}
    context = {
        "plan": plan,
        "filter": filters,
        "sections": sections,
        "table": plan_html.plan_page_table(
            sections, can_edit=can_edit, reportable=reportable, today=today
        ),
        "headers": planrows.column_headings(plan.fiscal_year),
        "can_edit": can_edit,
        "reportable": reportable,
        "today": today,
        "shown": len(shown),
        "may_approve": plan.may_approve(user) and plan.approve_refusal() is None,
        # The refusal first: it reads no database, and most days refuses.
        "may_close": plan.close_refusal(today) is None and plan.may_close(user),
    }
    return render(request, "plans/plan_detail.html", context)


@login_required
def action_detail(request, pk: int):
    """Everything about one action: its reports and who changed what, when."""
    user = request.user
    action = visible_or_404(
        Action.objects.select_related(
            "finding__item__indicator__tool",
            "finding__plan__organization",
            "lead_division",
            "carried_from__finding__plan",
        ),
        user,
        pk=pk,
    )
    plan = action.finding.plan
    rounds_end = plan.rounds_end()
    updates = [
        (update, update.round_label(rounds_end))
        for update in action.updates.select_related("round", "division", "author")
    ]
    context = {
        "action": action,
        "plan": plan,
        "updates": updates,
        "history": history.field_changes(action),
        "carried_to": Action.objects.visible_to(user)
        .filter(carried_from=action)
        .select_related("finding__plan"),
        "can_report": Action.objects.editable_by(user).filter(pk=pk).exists(),
        "can_edit": Plan.objects.editable_by(user).filter(pk=action.finding.plan_id).exists(),
        "today": _today(),
    }
    return render(request, "plans/action_detail.html", context)


def _versioned_edit(request, form, obj, template, context, success_url, apply=None):
    """Save a versioned form, or show it again (with the typing kept) and what changed.

    ``apply`` changes the locked row (by default: copies the form's fields onto it)."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_if_current(
                type(obj), obj.pk, form.cleaned_data["version"], apply or form.save_fields
            )
        except StaleVersion as stale:
            form.conflict(stale)
            context["stale"] = stale
        else:
            messages.success(request, _("บันทึกแล้ว"))
            _warn_outside_plan_year(request, saved)
            return redirect(success_url)
    return render(
        request, template, {**context, "form": form}, status=409 if context.get("stale") else 200
    )


def _warn_outside_plan_year(request, obj) -> None:
    if isinstance(obj, Action):
        for warning in obj.outside_plan_year():
            messages.warning(request, warning)


@login_required
def finding_edit(request, pk: int):
    finding = visible_or_404(
        Finding.objects.select_related("plan__organization", "item"), request.user, pk=pk
    )
    if refused := refuse_if_closed(request, finding.plan, finding.plan.get_absolute_url()):
        return refused
    require_editable(Finding.objects, request.user, finding)
    form = FindingForm(request.POST or None, instance=finding)
    return _versioned_edit(
        request,
        form,
        finding,
        "plans/finding_form.html",
        {"finding": finding, "plan": finding.plan},
        finding.plan.get_absolute_url() + f"#finding-{finding.pk}",
    )


@login_required
def action_edit(request, pk: int):
    action = visible_or_404(
        Action.objects.select_related("finding__plan__organization", "finding__item"),
        request.user,
        pk=pk,
    )
    plan = action.finding.plan
    if refused := refuse_if_closed(request, plan, action.get_absolute_url()):
        return refused
    require_editable(Plan.objects, request.user, plan)
    form = ActionForm(
        request.POST or None,
        instance=action,
        organization=plan.organization,
        edition=plan.assessment.framework,
    )
    context = {"action": action, "finding": action.finding, "plan": plan}

    def apply(current: Action) -> None:
        form.save_fields(current)
        form.record_done(current, request.user, _today())

    return _versioned_edit(
        request, form, action, "plans/action_form.html", context, action.get_absolute_url(), apply
    )


@login_required
def action_create(request, finding_pk: int):
    finding = visible_or_404(
        Finding.objects.select_related("plan__organization", "item"), request.user, pk=finding_pk
    )
    plan = finding.plan
    if refused := refuse_if_closed(request, plan, plan.get_absolute_url()):
        return refused
    require_editable(Finding.objects, request.user, finding)
    form = ActionForm(
        request.POST or None, organization=plan.organization, edition=plan.assessment.framework
    )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            action = form.save(commit=False)
            action.finding = finding
            action.order = (finding.actions.aggregate(m=Max("order"))["m"] or 0) + 1
            action.save()
            form.save_m2m()
            form.record_done(action, request.user, _today())
        messages.success(request, _("เพิ่มการปรับปรุงแล้ว"))
        _warn_outside_plan_year(request, action)
        return redirect(action.get_absolute_url())
    return render(
        request, "plans/action_form.html", {"form": form, "finding": finding, "plan": plan}
    )


@login_required
def progress_create(request, pk: int):
    """Report progress on an action, tied to the plan's current reporting round."""
    user, today = request.user, _today()
    action = visible_or_404(
        Action.objects.select_related("finding__plan__organization", "finding__item"), user, pk=pk
    )
    plan = action.finding.plan
    if refused := refuse_if_closed(request, plan, action.get_absolute_url()):
        return refused
    require_editable(Action.objects, user, action)
    form = ProgressForm(request.POST or None, request.FILES or None, action=action, user=user)
    context = {
        "action": action,
        "plan": plan,
        "round": plan.current_round(today),
        "after_plan": is_late(today, None, plan.rounds_end()),
        "max_mb": settings.ITA_EVIDENCE_MAX_BYTES // (1024 * 1024),
    }
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            progress.report(action, form, user, today)
        except StaleVersion as stale:
            form.conflict(stale)
            context["stale"], status = stale, 409
        except progress.EvidenceNotStored as failure:
            # Nothing was saved. 503: the server's storage failed, not the user's input; the
            # form comes back with what was typed, and the failure counts as a server error.
            form.add_error(None, failure.message)
            status = 503
        else:
            messages.success(request, _("บันทึกรายงานความก้าวหน้าแล้ว"))
            return redirect(action.get_absolute_url())
    form.keep_evidence()
    return render(request, "plans/progress_form.html", {**context, "form": form}, status=status)


@login_required
@require_GET
def evidence(request, pk: int):
    """An evidence file, only for those who may see its action; never a public media URL."""
    update = visible_or_404(ProgressUpdate.objects, request.user, pk=pk)
    if not update.evidence_file:
        raise Http404(_("ไม่มีไฟล์หลักฐาน"))
    name = update.evidence_file.name.rsplit("/", 1)[-1]
    try:
        opened = update.evidence_file.open("rb")
    except FileNotFoundError:
        # The report names a file the storage does not have (restored without the media
        # folder, removed by hand): not found for the reader, worth a look for the admin.
        log.warning("Evidence file missing from storage: %s", update.evidence_file.name)
        message = _("ไม่พบไฟล์หลักฐานของรายงานนี้ในที่เก็บไฟล์ โปรดแจ้งผู้ดูแลระบบ")
        return render(request, "404.html", {"message": message}, status=404)
    response = FileResponse(opened, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
