"""Admin for the framework catalog, organizations and scores."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin, ImportMixin
from simple_history.admin import SimpleHistoryAdmin

from assessments import links
from assessments.editions import EditionError
from assessments.forms import ThaiDateField, ThaiDateInput
from assessments.framework_book import book_file_name, export_book
from assessments.framework_copy import copy_framework
from assessments.models import (
    Assessment,
    Framework,
    ImportRecord,
    Indicator,
    Item,
    ItemLink,
    ItemScore,
    LevelBand,
    Organization,
    ReportedScore,
    Tool,
    edits_every_organization,
)
from assessments.resources import (
    EscapedCSV,
    EscapedXLSX,
    FrameworkBookResource,
    ItemResource,
    ItemScoreResource,
    ReportedScoreResource,
    SpreadsheetFormat,
    WorkbookFormat,
)
from assessments.tables import TableError
from assessments.thaidates import format_date
from plans import dataversions

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ScopedChoicesMixin:
    """Offer in every choice only what the user may see (the chosen model's ``visible_to``).

    ``choice_scopes`` narrows a field further: a queryset method name of the chosen model
    (usually ``"editable_by"``: a finding goes only into a plan the user may edit) or a
    function of the user returning the queryset. A choice outside it is refused by the form,
    on the add and change pages and on a history revert alike.
    """

    choice_scopes: dict = {}

    def _scoped_choices(self, db_field, request, kwargs):
        if "queryset" in kwargs:
            return kwargs
        related = db_field.remote_field.model._default_manager.all()
        scope = self.choice_scopes.get(db_field.name, "visible_to")
        if callable(scope):
            kwargs["queryset"] = scope(request.user)
        elif hasattr(related, scope):
            kwargs["queryset"] = getattr(related, scope)(request.user)
        return kwargs

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs = self._scoped_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs = self._scoped_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedAdminMixin(ScopedChoicesMixin):
    """Every page finds its object among what the user may see (the model's ``visible_to``):
    another district's object is not found (404), as on the app's own pages, whatever the
    user's model permissions. Changing and deleting an object also needs it to be among what
    the user may change (``edit_scope``, a queryset method of the model).

    django-simple-history's pages look the object up by themselves, so they are checked here
    too, and restoring an old version is a change like any other.
    """

    edit_scope = "editable_by"

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def _may_change(self, request, obj) -> bool:
        if obj is None:
            return True
        changeable = getattr(self.model._default_manager.all(), self.edit_scope)(request.user)
        return changeable.filter(pk=obj.pk).exists()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_change(request, obj)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django sends a missing object back to the admin's index with a message naming the
        # id; another district's object must look exactly like one that never existed.
        raise Http404

    def _visible_or_404(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        # A superuser may still read (and restore) the history of a deleted object.
        if obj is None and not request.user.is_superuser:
            raise Http404
        return obj

    def history_view(self, request, object_id, extra_context=None):
        self._visible_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """An old version, for those who may see the object; restoring it (POST) needs the
        right to change it. The library itself saves a POST with view permission only."""
        obj = self._visible_or_404(request, object_id)
        restoring = request.method == "POST" and obj is not None
        if restoring and (
            self.revert_disabled(request, obj) or not self.has_change_permission(request, obj)
        ):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class SpreadsheetImportMixin(ImportMixin):
    """The library's upload → preview → confirm flow, on the app's all-or-nothing importers.

    Who may import is the library's permission check (``IMPORT_EXPORT_IMPORT_PERMISSION_CODE``:
    the model's "change" permission) unless an admin class narrows it further.
    """

    import_formats = [SpreadsheetFormat]
    import_template_name = "admin/ita_import.html"
    skip_admin_log = True  # every import is an ImportRecord instead
    import_help = ""

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, TableError):
            for line in e.lines():
                form.add_error("import_file", line)
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def get_import_context_data(self, **kwargs):
        return {**super().get_import_context_data(**kwargs), "import_help": self.import_help}


class SpreadsheetImportExportMixin(SpreadsheetImportMixin, ImportExportMixin):
    export_formats = [EscapedXLSX, EscapedCSV]


class EveryOrganizationImportMixin(SpreadsheetImportExportMixin):
    """A file of scores names its organizations row by row, so only those who may change
    every organization's scores import one; the rest may still export what they see."""

    def has_import_permission(self, request):
        return super().has_import_permission(request) and edits_every_organization(request.user)


class ThaiDateAdminMixin:
    """Take dates in the Buddhist Era (never a Gregorian year typed by mistake); links as https."""

    formfield_overrides = {
        # Not the admin's calendar widget: its "today" link fills in a Gregorian year.
        models.DateField: {"form_class": ThaiDateField, "widget": ThaiDateInput},
        # A link typed without a scheme is taken as https, as Django 6 will do.
        models.URLField: {"assume_scheme": "https"},
    }


def thai_date_column(field: str, description: str):
    """Return a list_display column showing a date field in the Buddhist Era."""

    @admin.display(description=description, ordering=field)
    def column(obj):
        return format_date(getattr(obj, field)) or "—"

    return column


@admin.register(Organization)
class OrganizationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    # Any organization may be the parent: an office's admin keeps its place under BMA.
    choice_scopes = {"parent": lambda user: Organization.objects.all()}
    list_display = ["code", "name_th", "name_en", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name_th", "name_en"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


class LevelBandInline(admin.TabularInline):
    model = LevelBand
    extra = 0


class ToolInline(admin.TabularInline):
    model = Tool
    extra = 0


class FrameworkChildInline(admin.TabularInline):
    """An inline whose choices stay within the framework being edited."""

    extra = 0
    parent_field = ""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.parent_field:
            framework_id = request.resolver_match.kwargs.get("object_id")
            related = db_field.related_model.objects
            kwargs["queryset"] = (
                related.filter(framework_id=framework_id) if framework_id else related.none()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class IndicatorInline(FrameworkChildInline):
    model = Indicator
    fields = ["number", "name", "tool", "weight"]
    parent_field = "tool"


class ItemInline(FrameworkChildInline):
    model = Item
    fields = ["order", "code", "name", "text", "indicator", "kind"]
    parent_field = "indicator"
    formfield_overrides = {
        models.TextField: {"widget": admin.widgets.AdminTextareaWidget(attrs={"rows": 2})}
    }


@admin.register(Framework)
class FrameworkAdmin(SpreadsheetImportMixin, admin.ModelAdmin):
    """An edition in the admin: edited here, or imported whole from a workbook (upload →
    preview → confirm), exported as that workbook, copied into the next year."""

    resource_classes = [FrameworkBookResource]
    import_formats = [WorkbookFormat]
    import_help = _(
        "หนึ่งไฟล์ .xlsx ต่อหนึ่งชุดการประเมิน มีชีต framework (fiscal_year, edition, issuer, "
        "pass_mark, description), tools (code, name, weight), indicators (number, name, tool, "
        "weight), items (code, indicator, order, text, kind, name), levels (label, min_score, "
        "min_each_tool) และ links (from_year, from_edition, from_code, to_code) — "
        "ส่งออกชุดที่มีอยู่ด้วยคำสั่ง “ส่งออกเป็นไฟล์ Excel ทั้งชุด” เพื่อใช้เป็นแบบ\n"
        "ถ้ามีจุดใดผิด จะไม่บันทึกข้อมูลใดเลย ถ้าชุดนี้มีผลการประเมินแล้ว แก้ได้เฉพาะข้อความ"
    )
    list_display = ["fiscal_year", "name", "issuer", "pass_mark"]
    list_filter = ["fiscal_year", "issuer"]
    search_fields = ["name", "issuer"]
    inlines = [LevelBandInline, ToolInline, IndicatorInline, ItemInline]
    actions = ["export_workbook", "copy_to_next_year"]

    def has_import_permission(self, request):
        # A workbook replaces a whole edition, which every organization's scores rest on.
        return super().has_import_permission(request) and edits_every_organization(request.user)

    @admin.action(description=_("ส่งออกเป็นไฟล์ Excel ทั้งชุด"))
    def export_workbook(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("เลือกชุดการประเมินหนึ่งชุดเพื่อส่งออก"), messages.ERROR)
            return None
        framework = queryset.get()
        response = HttpResponse(export_book(framework), content_type=XLSX_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{book_file_name(framework)}"'
        return response

    @admin.action(description=_("คัดลอกเป็นปีถัดไป"), permissions=["add"])
    def copy_to_next_year(self, request, queryset):
        for framework in queryset:
            try:
                result = copy_framework(framework, framework.fiscal_year + 1)
            except EditionError as error:
                self.message_user(request, str(error), messages.ERROR)
                continue
            self.message_user(
                request,
                _("คัดลอกเป็น %(target)s แล้ว: ข้อ %(items)s ข้อ เชื่อมโยงกับข้อเดิมทุกข้อ")
                % {"target": result.framework, "items": result.items},
                messages.SUCCESS,
            )


@admin.register(LevelBand)
class LevelBandAdmin(admin.ModelAdmin):
    list_display = ["framework", "label", "min_score"]
    list_filter = ["framework"]
    search_fields = ["label", "framework__name"]
    autocomplete_fields = ["framework"]
    list_select_related = ["framework"]


@admin.register(Tool)
class ToolAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "weight", "framework"]
    list_filter = ["framework", "code"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["framework"]
    list_select_related = ["framework"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "tool", "weight", "framework"]
    list_filter = ["framework", "tool__code"]
    search_fields = ["name", "tool__code"]
    autocomplete_fields = ["tool"]
    list_select_related = ["tool", "framework"]


@admin.register(Item)
class ItemAdmin(SpreadsheetImportExportMixin, admin.ModelAdmin):
    resource_classes = [ItemResource]
    import_help = _(
        "หนึ่งแถวต่อหนึ่งข้อ: fiscal_year (ปีงบประมาณ พ.ศ.), indicator (เลขตัวชี้วัด), "
        "item (รหัสข้อ เช่น I1, O43), name, text — ชุดการประเมินและตัวชี้วัดของปีนั้นต้องมีอยู่แล้ว "
        "ลำดับของข้อเป็นไปตามลำดับแถวในไฟล์"
    )
    list_display = ["code", "name", "indicator", "kind", "framework"]
    list_filter = ["framework", "indicator__tool__code", "kind"]
    search_fields = ["code", "name", "text"]
    autocomplete_fields = ["indicator"]
    list_select_related = ["indicator", "framework"]
    ordering = ["framework", "order"]


@admin.register(ItemLink)
class ItemLinkAdmin(admin.ModelAdmin):
    """The links between the items of two editions: the suggested ones are confirmed here, or
    given another counterpart. Part of the catalog: whoever may edit a framework may edit
    its links, and nobody else sees them."""

    list_display = [
        "from_code",
        "from_framework",
        "to_code",
        "to_framework",
        "similarity",
        "status",
        "to_text",
    ]
    list_filter = ["status", "from_framework", "to_framework"]
    search_fields = ["from_item__code", "to_item__code", "from_item__text", "to_item__text"]
    list_select_related = ["from_item", "to_item", "from_framework", "to_framework"]
    readonly_fields = ["similarity"]
    actions = ["confirm"]

    def _may(self, request, action: str) -> bool:
        return request.user.has_perm(f"assessments.{action}_framework")

    def has_view_permission(self, request, obj=None):
        return self._may(request, "view") or self._may(request, "change")

    def has_add_permission(self, request):
        return self._may(request, "add")

    def has_change_permission(self, request, obj=None):
        return self._may(request, "change")

    def has_delete_permission(self, request, obj=None):
        return self._may(request, "delete")

    @admin.display(description=_("ข้อในชุดเดิม"), ordering="from_item__code")
    def from_code(self, link):
        return link.from_item.code

    @admin.display(description=_("ข้อในชุดใหม่"), ordering="to_item__code")
    def to_code(self, link):
        return link.to_item.code

    @admin.display(description=_("ข้อความในชุดใหม่"))
    def to_text(self, link):
        text = link.to_item.name or link.to_item.text
        return text if len(text) <= 80 else f"{text[:79]}…"

    def get_autocomplete_fields(self, request):
        # A new link picks both items by search; on a link, the counterpart is chosen among
        # the items of the edition it points to (see formfield_for_foreignkey).
        return [] if self._object_id(request) else ["from_item", "to_item"]

    def get_readonly_fields(self, request, obj=None):
        return ["from_item", "similarity"] if obj else ["similarity"]

    def _object_id(self, request):
        match = request.resolver_match
        return match.kwargs.get("object_id") if match else None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        object_id = self._object_id(request)
        if db_field.name == "to_item" and object_id:
            link = ItemLink.objects.filter(pk=unquote(object_id)).first()
            if link is not None:
                kwargs["queryset"] = Item.objects.filter(
                    framework_id=link.to_framework_id
                ).order_by("order")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.similarity = links.similarity(
            obj.from_item.text or obj.from_item.name, obj.to_item.text or obj.to_item.name
        )
        super().save_model(request, obj, form, change)

    @admin.action(description=_("ยืนยันการเชื่อมโยง"), permissions=["change"])
    def confirm(self, request, queryset):
        count = queryset.exclude(status=ItemLink.Status.CONFIRMED).update(
            status=ItemLink.Status.CONFIRMED
        )
        dataversions.touch_years(queryset.values_list("to_framework__fiscal_year", flat=True))
        self.message_user(request, gettext("ยืนยันการเชื่อมโยงแล้ว %(count)s รายการ") % {"count": count})


class ItemScoreInline(admin.TabularInline):
    model = ItemScore
    extra = 0
    autocomplete_fields = ["item"]


class ReportedScoreInline(admin.TabularInline):
    model = ReportedScore
    extra = 0
    fields = ["scope", "item", "indicator", "tool", "value", "basis", "source"]
    autocomplete_fields = ["item", "indicator", "tool"]


@admin.register(Assessment)
class AssessmentAdmin(ScopedAdminMixin, ThaiDateAdminMixin, admin.ModelAdmin):
    choice_scopes = {"organization": "editable_by"}
    list_display = [
        "organization",
        "framework",
        thai_date_column("published_on", _("วันที่ประกาศผล")),
    ]
    list_filter = ["framework__fiscal_year", "framework"]
    search_fields = ["organization__name_th", "organization__code", "framework__name"]
    autocomplete_fields = ["organization", "framework"]
    list_select_related = ["organization", "framework"]
    inlines = [ItemScoreInline, ReportedScoreInline]


@admin.register(ItemScore)
class ItemScoreAdmin(ScopedAdminMixin, EveryOrganizationImportMixin, SimpleHistoryAdmin):
    choice_scopes = {"assessment": "editable_by"}
    resource_classes = [ItemScoreResource]
    import_help = _(
        "แบบยาว: หนึ่งแถวต่อหนึ่งคะแนน — organization (รหัสหน่วยงาน), fiscal_year, item, score "
        "(หรือหัวคอลัมน์ หน่วยงาน, ปีงบประมาณ, ข้อ, คะแนน)\n"
        "แบบกว้าง: หนึ่งแถวต่อหนึ่งหน่วยงาน — organization, fiscal_year แล้วหนึ่งคอลัมน์ต่อหนึ่งข้อ "
        "(I1 … O43)\n"
        "ถ้ามีแถวใดผิด จะไม่บันทึกข้อมูลใดเลย และแสดงทุกจุดที่ผิดตามแถวและคอลัมน์"
    )
    list_display = ["assessment", "item", "score"]
    list_filter = ["assessment__framework__fiscal_year", "item__indicator__tool__code"]
    search_fields = ["item__code", "assessment__organization__name_th"]
    autocomplete_fields = ["assessment", "item"]
    list_select_related = ["assessment__organization", "assessment__framework", "item"]


@admin.register(ReportedScore)
class ReportedScoreAdmin(ScopedAdminMixin, EveryOrganizationImportMixin, admin.ModelAdmin):
    choice_scopes = {"assessment": "editable_by"}
    resource_classes = [ReportedScoreResource]
    import_help = _(
        "หนึ่งแถวต่อหนึ่งตัวเลขที่ประกาศ: organization, fiscal_year, scope (item / indicator / "
        "tool / total), target (รหัสข้อ เลขตัวชี้วัด หรือรหัสเครื่องมือ), value, basis "
        "(score / points), source, note"
    )
    list_display = ["assessment", "scope", "target_label", "value", "basis", "source"]
    list_filter = ["scope", "basis", "assessment__framework__fiscal_year"]
    search_fields = ["assessment__organization__name_th", "source", "item__code"]
    autocomplete_fields = ["assessment", "item", "indicator", "tool"]
    list_select_related = [
        "assessment__organization",
        "assessment__framework",
        "item",
        "indicator",
        "tool",
    ]


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    """Read-only: every file taken in, by whom, when, and what it changed."""

    list_display = ["imported_at", "kind", "file_name", "user", "created", "updated", "unchanged"]
    list_filter = ["kind", "imported_at"]
    search_fields = ["file_name", "checksum", "user__username"]
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class UserAdmin(auth_admin.UserAdmin):
    # The system records these; as inputs, Django's date/time widget shows a Gregorian year.
    readonly_fields = ["last_login", "date_joined"]
