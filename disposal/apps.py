from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisposalConfig(AppConfig):
    name = "disposal"
    verbose_name = _("Disposal")

    def ready(self):
        from accounts.roles import register_grants
        from core.history import register_reasons
        from disposal import grants
        from disposal.reasons import DisposalReason

        register_grants(grants.ROLE_GRANTS)
        register_reasons(DisposalReason)
        # The registers print at once when short, by a background job when long.
        from disposal.registers import register_sources

        register_sources()
