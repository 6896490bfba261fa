from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from accounts.roles import register_grants
        from core.history import register_reasons
        from documents import grants
        from documents.reasons import DocumentsReason

        register_grants(grants.ROLE_GRANTS, sensitive=grants.SENSITIVE)
        register_reasons(DocumentsReason)
        # The registers print at once when short, by a background job when long.
        from documents.registers import register_sources

        register_sources()
