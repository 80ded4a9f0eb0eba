"""The reminder log in the admin: which digests went out, which failed and why (read only)."""

from django.contrib import admin

from reminders.models import Digest, ReminderPreference


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record of what happened: nobody adds or edits one by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin):
    list_display = ["day", "user", "kind", "status", "lines", "attempts", "sent_at"]
    list_filter = ["status", "kind", "day"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
    date_hierarchy = "day"


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(ReadOnlyAdmin):
    list_display = ["user", "frequency", "language", "changed_at"]
    list_filter = ["frequency", "language"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
