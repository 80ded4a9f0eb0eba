"""Admin for the framework catalog, organizations and scores."""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from assessments.forms import ThaiDateField, ThaiDateInput
from assessments.models import (
    Assessment,
    Framework,
    Indicator,
    Item,
    ItemScore,
    LevelBand,
    Organization,
    ReportedScore,
    Tool,
)
from assessments.thaidates import format_date


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
class OrganizationAdmin(admin.ModelAdmin):
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
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["fiscal_year", "name", "pass_mark"]
    list_filter = ["fiscal_year"]
    search_fields = ["name"]
    inlines = [LevelBandInline, ToolInline, IndicatorInline, ItemInline]


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
class ItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "indicator", "kind", "framework"]
    list_filter = ["framework", "indicator__tool__code", "kind"]
    search_fields = ["code", "name", "text"]
    autocomplete_fields = ["indicator"]
    list_select_related = ["indicator", "framework"]
    ordering = ["framework", "order"]


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
class AssessmentAdmin(ThaiDateAdminMixin, admin.ModelAdmin):
    list_display = [
        "organization",
        "framework",
        thai_date_column("published_on", "วันที่ประกาศผล"),
    ]
    list_filter = ["framework__fiscal_year", "framework"]
    search_fields = ["organization__name_th", "organization__code", "framework__name"]
    autocomplete_fields = ["organization", "framework"]
    list_select_related = ["organization", "framework"]
    inlines = [ItemScoreInline, ReportedScoreInline]


@admin.register(ItemScore)
class ItemScoreAdmin(SimpleHistoryAdmin):
    list_display = ["assessment", "item", "score"]
    list_filter = ["assessment__framework__fiscal_year", "item__indicator__tool__code"]
    search_fields = ["item__code", "assessment__organization__name_th"]
    autocomplete_fields = ["assessment", "item"]
    list_select_related = ["assessment__organization", "assessment__framework", "item"]


@admin.register(ReportedScore)
class ReportedScoreAdmin(admin.ModelAdmin):
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
