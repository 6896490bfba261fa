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
        # The home page shows what waits for the viewer, the record page what
        # was done to the record and under which list (R-DISP-1..3); records
        # never imports disposal, so disposal adds its panels there.
        from disposal.views.panels import home_panel, record_panel
        from records.panels import register_home_panel, register_record_panel

        register_record_panel("disposal/_record_panel.html", record_panel, order=20)
        register_home_panel("disposal/_home_panel.html", home_panel, order=30)
        # What waits for the viewer on the home page's to-do list (records.todo, issue 16).
        from disposal.todo import register_todos as register_disposal_todos

        register_disposal_todos()
