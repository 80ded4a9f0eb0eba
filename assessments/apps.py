from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "assessments"
    verbose_name = "ผลการประเมิน ITA"

    def ready(self):
        from assessments import admin_dates

        admin_dates.install()
