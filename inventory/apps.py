from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "inventory"
    verbose_name = _("Inventory")

    def ready(self):
        from accounts.roles import register_grants
        from core.history import register_reasons
        from inventory import grants
        from inventory.reasons import InventoryReason

        register_grants(grants.ROLE_GRANTS)
        register_reasons(InventoryReason)
        # The registers print at once when short, by a background job when long.
        from inventory.registers import register_sources

        register_sources()
