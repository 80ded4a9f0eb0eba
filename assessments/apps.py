from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = _("ผลการประเมิน ITA")

    def ready(self):
        # summaries, headlines: their signals
        from assessments import admin_dates, headlines, summaries  # noqa: F401

        admin_dates.install()
