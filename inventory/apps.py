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

        register_grants(grants.ROLE_GRANTS, sensitive=grants.SENSITIVE)
        register_reasons(InventoryReason)
        # The registers print at once when short, by a background job when long.
        from inventory.registers import register_sources

        register_sources()
        # The record page shows its repair tasks, write-offs and stocktake
        # differences, the home page what waits for the archivist and the
        # head (R-INV-1..3); records never imports inventory, so inventory
        # adds its panels there.
        from inventory.panels import home_panel, record_panel
        from records.panels import register_home_panel, register_record_panel

        register_record_panel("inventory/_record_panel.html", record_panel, order=30)
        register_home_panel("inventory/_home_panel.html", home_panel, order=40)
        # What waits for the viewer on the home page's to-do list (records.todo, issue 16).
        from inventory.todo import register_todos as register_inventory_todos

        register_inventory_todos()
