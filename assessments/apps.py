from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = _("ผลการประเมิน ITA")

    def ready(self):
        from assessments import admin_dates, summaries  # noqa: F401 (summaries: its signals)

        admin_dates.install()
