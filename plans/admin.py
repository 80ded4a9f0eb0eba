"""Admin for divisions, members, plans and their follow-up."""

from django import forms
from django.contrib import admin, messages
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.forms import ConfirmImportForm, ImportForm
from simple_history.admin import SimpleHistoryAdmin

from assessments.admin import (
    OrganizationAdmin,
    ScopedAdminMixin,
    ScopedChoicesMixin,
    SpreadsheetImportMixin,
    ThaiDateAdminMixin,
    thai_date_column,
)
from assessments.models import Organization
from plans.division_names import DivisionListError
from plans.divisions import setup_divisions
from plans.forms import DoneEvidenceForm, EvidenceCheckMixin
from plans.models import (
    Action,
    Division,
    Finding,
    Membership,
    Plan,
    ProgressUpdate,
    ReportingRound,
    overlap_error,
    plan_organizations,
)
from plans.resources import PlanRowResource


def plan_of(obj) -> Plan:
    """The plan an object of the plans app belongs to."""
    if isinstance(obj, Plan):
        return obj
    if isinstance(obj, Finding | ReportingRound):
        return obj.plan
    if isinstance(obj, Action):
        return obj.finding.plan
    return obj.action.finding.plan


class ClosedPlanMixin:
    """A closed plan's findings, actions, rounds and reports are read-only, as in the app
    (``Plan.is_read_only``, ``PlanQuerySet.editable_by``); the plan's own status can still be
    changed, to reopen it. On an inline, ``obj`` is the parent object."""

    def _closed_for(self, request, obj) -> bool:
        return obj is not None and plan_of(obj).is_read_only

    def has_change_permission(self, request, obj=None):
        return not self._closed_for(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._closed_for(request, obj) and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Nor can a non-superuser add a row to a closed plan by choosing it as the parent.
        parents = {
            "plan": Plan.objects.open(),
            "finding": Finding.objects.exclude(plan__status=Plan.Status.CLOSED),
            "action": Action.objects.exclude(finding__plan__status=Plan.Status.CLOSED),
        }
        if db_field.name in parents:
            kwargs["queryset"] = parents[db_field.name]
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ClosedPlanInlineMixin(ClosedPlanMixin):
    def has_add_permission(self, request, obj=None):
        return not self._closed_for(request, obj) and super().has_add_permission(request, obj)


class DivisionInline(admin.TabularInline):
    model = Division
    extra = 0
    fields = ["order", "name"]


# Divisions belong to the plans app, so the organization page gains them here: the
# assessments app never imports plans.
admin.site.unregister(Organization)


@admin.register(Organization)
class OrganizationWithDivisionsAdmin(OrganizationAdmin):
    inlines = [DivisionInline]
    actions = ["add_standard_divisions"]

    @admin.action(
        description=gettext_lazy("เพิ่มฝ่ายมาตรฐานของสำนักงานเขตที่ยังไม่มี"),
        permissions=["change"],
    )
    def add_standard_divisions(self, request, queryset):
        """The selected districts gain the standard divisions they lack (as
        ``setup_divisions --organization``); only organizations the user may change."""
        allowed = queryset.filter(pk__in=Organization.objects.editable_by(request.user))
        refused = queryset.exclude(pk__in=allowed).count()
        try:
            results = setup_divisions(allowed.order_by("code"), fill_missing=True)
        except DivisionListError as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        for result in results:
            if result.skipped:
                message = _("%(organization)s: %(reason)s ไม่ได้เพิ่มฝ่าย")
                level = messages.WARNING
            else:
                message = _("%(organization)s: เพิ่ม %(count)s ฝ่าย")
                level = messages.SUCCESS
            self.message_user(
                request,
                message
                % {
                    "organization": result.organization.name_th,
                    "reason": result.skipped,
                    "count": len(result.created),
                },
                level,
            )
        if refused:
            self.message_user(
                request,
                _("ข้าม %(count)s หน่วยงานที่ท่านไม่มีสิทธิ์แก้ไข") % {"count": refused},
                messages.WARNING,
            )


@admin.register(Division)
class DivisionAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    choice_scopes = {"organization": plan_organizations}
    list_display = ["name", "organization", "order"]
    list_filter = ["organization"]
    search_fields = ["name", "organization__name_th", "organization__code"]
    autocomplete_fields = ["organization"]
    list_select_related = ["organization"]


class MembershipAdminForm(forms.ModelForm):
    """Refuses, by field, what the person at the keyboard may not give (Membership.refusals)."""

    assigner = None  # the signed-in user, set by MembershipAdmin.get_form

    def clean(self):
        cleaned = super().clean()
        refusals = Membership.refusals(
            self.assigner, cleaned.get("organization"), cleaned.get("role")
        )
        for field, message in refusals.items():
            self.add_error(field, message)
        return cleaned


@admin.register(Membership)
class MembershipAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = MembershipAdminForm
    # Every organization is offered so that choosing another one is refused with a reason.
    choice_scopes = {"organization": lambda user: Organization.objects.all()}
    list_display = ["user", "role", "organization", "division"]
    list_filter = ["role", "organization"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "organization__name_th",
    ]
    autocomplete_fields = ["user", "organization", "division"]
    list_select_related = ["user", "organization", "division"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.assigner = request.user  # a class made for this request by modelform_factory
        return form


class FindingInline(ClosedPlanInlineMixin, admin.StackedInline):
    model = Finding
    extra = 0
    fields = ["order", "item", "analysis", "issues"]
    autocomplete_fields = ["item"]
    show_change_link = True


class RoundFormSet(BaseInlineFormSet):
    """A plan's rounds, as typed together, may not overlap one another."""

    def clean(self):
        super().clean()
        rounds = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if (
                not data
                or data.get("DELETE")
                or not (data.get("starts_on") and data.get("ends_on"))
            ):
                continue
            current = ReportingRound(
                name=data.get("name", ""), starts_on=data["starts_on"], ends_on=data["ends_on"]
            )
            if message := overlap_error(current, rounds):
                form.add_error("starts_on", message)
            rounds.append(current)


class ReportingRoundInline(ClosedPlanInlineMixin, ThaiDateAdminMixin, admin.TabularInline):
    model = ReportingRound
    formset = RoundFormSet
    extra = 0


class PlanImportForm(ImportForm):
    plan = forms.ModelChoiceField(Plan.objects.none(), label=gettext_lazy("แผนที่จะนำเข้า"))


class PlanConfirmImportForm(ConfirmImportForm):
    plan = forms.ModelChoiceField(Plan.objects.none(), widget=forms.HiddenInput)


@admin.register(Plan)
class PlanAdmin(ScopedAdminMixin, SpreadsheetImportMixin, SimpleHistoryAdmin):
    choice_scopes = {"organization": plan_organizations}
    # Closed plans included: reopening one is a change of its status.
    edit_scope = "owned_by"
    list_display = ["__str__", "fiscal_year", "assessment", "status", "download"]
    list_filter = ["fiscal_year", "status"]
    search_fields = ["title", "organization__name_th", "organization__code"]
    autocomplete_fields = ["organization", "assessment"]
    readonly_fields = ["approved_by", "approved_at", "closed_by", "closed_at"]
    list_select_related = ["organization", "assessment__organization", "assessment__framework"]
    inlines = [ReportingRoundInline, FindingInline]

    resource_classes = [PlanRowResource]
    import_form_class = PlanImportForm
    confirm_form_class = PlanConfirmImportForm
    import_help = gettext_lazy(
        "ตารางแผนแบบทางการเจ็ดคอลัมน์ (ไฟล์ที่ดาวน์โหลดจากระบบ หรือไฟล์ที่มีคอลัมน์ ข้อ นำหน้า): "
        'หนึ่งแถวต่อหนึ่งข้อการประเมิน, หนึ่งบรรทัด "- " ต่อหนึ่งการปรับปรุง\n'
        "ถ้ามีแถวใดผิด จะไม่บันทึกข้อมูลใดเลย"
    )

    def save_model(self, request, obj, form, change):
        # Approving or closing here is recorded as on the plan page: who, and when.
        if "status" in form.changed_data or not change:
            obj.record_status(request.user, timezone.now())
        super().save_model(request, obj, form, change)

    @admin.display(description=gettext_lazy("ตารางแผน"))
    def download(self, plan):
        url = reverse("plan_xlsx", args=[plan.organization.code, plan.fiscal_year])
        return format_html(_('<a href="{}">ดาวน์โหลด .xlsx</a>'), url)

    # Importing a plan file: admins for any plan, a plan owner only for their own.
    def has_import_permission(self, request):
        return Plan.objects.editable_by(request.user).exists()

    def _limit_plans(self, form, request):
        form.fields["plan"].queryset = Plan.objects.editable_by(request.user).select_related(
            "organization"
        )
        return form

    def create_import_form(self, request):
        return self._limit_plans(super().create_import_form(request), request)

    def create_confirm_form(self, request, import_form=None):
        return self._limit_plans(super().create_confirm_form(request, import_form), request)

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["plan"] = import_form.cleaned_data["plan"].pk
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        plan = getattr(form, "cleaned_data", {}).get("plan") if form is not None else None
        return {**super().get_import_resource_kwargs(request, **kwargs), "plan": plan}


class ActionAdminForm(DoneEvidenceForm):
    class Meta:
        model = Action
        fields = "__all__"


def _after_action_saved(request, form, action) -> None:
    """Record the evidence typed for "done" as a report; warn of dates outside the plan year."""
    form.record_done(action, request.user, timezone.localdate())
    for warning in action.outside_plan_year():
        messages.warning(request, warning)


class ActionInline(
    ClosedPlanInlineMixin, ScopedChoicesMixin, ThaiDateAdminMixin, admin.StackedInline
):
    model = Action
    form = ActionAdminForm
    extra = 0
    fields = [
        "order",
        "text",
        ("lead_division", "all_divisions"),
        "divisions",
        ("starts_on", "due_on"),
        "follow_up_method",
        ("status", "progress", "completed_on"),
        ("done_note", "done_evidence_url"),
    ]
    autocomplete_fields = ["lead_division", "divisions"]
    show_change_link = True


@admin.register(Finding)
class FindingAdmin(ClosedPlanMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    choice_scopes = {"plan": "editable_by"}
    list_display = ["item", "plan", "order"]
    list_filter = ["plan__fiscal_year", "item__indicator__tool__code"]
    search_fields = ["item__code", "analysis", "issues", "plan__organization__name_th"]
    autocomplete_fields = ["plan", "item"]
    list_select_related = ["item", "plan__organization"]
    inlines = [ActionInline]

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Action:
            for action_form in formset.forms:
                action = action_form.instance
                if (
                    action.pk
                    and action_form.has_changed()
                    and action_form not in formset.deleted_forms
                ):
                    _after_action_saved(request, action_form, action)


class ProgressUpdateAdminForm(EvidenceCheckMixin, forms.ModelForm):
    """Evidence added through the admin passes the same file check as the report form."""


class ProgressUpdateInline(
    ClosedPlanInlineMixin, ScopedChoicesMixin, ThaiDateAdminMixin, admin.TabularInline
):
    model = ProgressUpdate
    form = ProgressUpdateAdminForm
    extra = 0
    fields = ["round", "division", "progress", "status", "note", "evidence_url", "evidence_file"]
    autocomplete_fields = ["round", "division"]


@admin.register(Action)
class ActionAdmin(ClosedPlanMixin, ScopedAdminMixin, ThaiDateAdminMixin, SimpleHistoryAdmin):
    form = ActionAdminForm
    # Staff report on their actions in the app; changing the action itself is the plan's.
    edit_scope = "of_plans_editable_by"
    choice_scopes = {"finding": "editable_by"}
    list_display = [
        "__str__",
        "item_code",
        "organization",
        "lead_division",
        "all_divisions",
        "status",
        "progress",
        thai_date_column("due_on", gettext_lazy("กำหนดเสร็จ")),
    ]
    list_filter = ["status", "all_divisions", "finding__plan__fiscal_year", "lead_division"]
    search_fields = ["text", "finding__item__code", "follow_up_method"]
    autocomplete_fields = ["finding", "lead_division", "divisions"]
    list_select_related = ["finding__item", "finding__plan__organization", "lead_division"]
    inlines = [ProgressUpdateInline]

    @admin.display(description=gettext_lazy("ข้อ"), ordering="finding__item__order")
    def item_code(self, action):
        return action.finding.item.code

    @admin.display(
        description=gettext_lazy("หน่วยงาน"), ordering="finding__plan__organization__code"
    )
    def organization(self, action):
        return action.finding.plan.organization.name_th

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        _after_action_saved(request, form, form.instance)

    def save_formset(self, request, form, formset, change):
        # A progress report typed in the admin is still somebody's report.
        for update in formset.save(commit=False):
            if update.author_id is None:
                update.author = request.user
            update.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(ReportingRound)
class ReportingRoundAdmin(
    ClosedPlanMixin, ScopedAdminMixin, ThaiDateAdminMixin, SimpleHistoryAdmin
):
    choice_scopes = {"plan": "editable_by"}
    list_display = [
        "name",
        "plan",
        thai_date_column("starts_on", gettext_lazy("วันเริ่มรอบ")),
        thai_date_column("ends_on", gettext_lazy("วันสิ้นสุดรอบ")),
    ]
    list_filter = ["plan__fiscal_year"]
    search_fields = ["name", "plan__organization__name_th"]
    autocomplete_fields = ["plan"]
    list_select_related = ["plan__organization"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(
    ClosedPlanMixin, ScopedAdminMixin, ThaiDateAdminMixin, SimpleHistoryAdmin
):
    form = ProgressUpdateAdminForm
    choice_scopes = {"action": "of_plans_editable_by"}
    list_display = ["action", "round", "division", "author", "progress", "status", "reported_at"]
    list_filter = ["status", "round"]
    search_fields = ["note", "action__text", "author__username"]
    autocomplete_fields = ["action", "round", "division"]
    list_select_related = ["action", "round", "division", "author"]
    readonly_fields = ["author", "reported_at"]

    def save_model(self, request, obj, form, change):
        if obj.author_id is None:
            obj.author = request.user
        super().save_model(request, obj, form, change)
