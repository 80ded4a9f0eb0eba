from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "plans"
    verbose_name = _("แผนปรับปรุงและการติดตาม")

    def ready(self):
        from plans import dataversions, tallies

        dataversions.connect()
        tallies.connect()
