from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LendingConfig(AppConfig):
    name = "lending"
    verbose_name = _("Lending")

    def ready(self):
        from accounts.roles import register_grants
        from core.history import register_reasons
        from lending import grants
        from lending.reasons import LendingReason
        from lending.views.panel import record_panel
        from records.panels import register_record_panel

        register_grants(grants.ROLE_GRANTS, sensitive=grants.SENSITIVE)
        register_reasons(LendingReason)
        # The record page shows who has the record and until when (R-LEND-1);
        # records never imports lending, so lending adds its panel there.
        register_record_panel("lending/_record_panel.html", record_panel, order=50)
