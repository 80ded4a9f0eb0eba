"""The admin of OIT readiness: what each item demands (catalog data, like the items), and
each office's readiness, scoped like the pages."""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from assessments.admin import ScopedAdminMixin
from oit.models import PublishedUrl, Readiness, Requirement
from plans.models import plan_organizations


@admin.register(Requirement)
class RequirementAdmin(admin.ModelAdmin):
    list_display = ["item", "text", "order"]
    list_filter = ["item__framework"]
    search_fields = ["item__code", "text"]
    autocomplete_fields = ["item"]
    list_select_related = ["item__framework"]
    ordering = ["item__framework", "item__order", "order"]


class PublishedUrlInline(admin.TabularInline):
    model = PublishedUrl
    extra = 0
    fields = ["order", "url", "latest"]
    readonly_fields = ["latest"]
    # An address typed without a scheme is read as https (Django 6's default, said now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Readiness)
class ReadinessAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    choice_scopes = {"organization": plan_organizations}
    inlines = [PublishedUrlInline]
    list_display = ["item", "organization", "status", "division", "updated_at"]
    list_filter = ["status", "item__framework", "organization"]
    search_fields = ["item__code", "organization__code", "organization__name_th", "note"]
    autocomplete_fields = ["organization", "item", "division"]
    list_select_related = ["item", "organization", "division"]
    ordering = ["organization", "item__framework", "item__order"]
