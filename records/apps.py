from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("Records")

    def ready(self):
        from accounts.roles import register_grants
        from core.history import register_reasons
        from records import grants
        from records.history import ChangeReason
        from records.search.indexing import connect_signals

        register_grants(grants.ROLE_GRANTS, sensitive=grants.SENSITIVE)
        register_reasons(ChangeReason)
        connect_signals()
