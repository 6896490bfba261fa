from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = _("Client files")

    def ready(self):
        from django.core import checks

        from accounts.roles import register_grants
        from clients import grants
        from clients.checks import check_field_key
        from clients.reasons import ClientReason
        from clients.search import connect
        from core.history import register_reasons

        register_grants(grants.ROLE_GRANTS, sensitive=grants.SENSITIVE)
        register_reasons(ClientReason)
        connect()
        checks.register(check_field_key, checks.Tags.security)
