from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClientsConfig(AppConfig):
    name = "clients"
    verbose_name = _("Client files")

    def ready(self):
        from clients.ledger import LEDGER_KIND
        from records.ledgers.kinds import register_ledger_kind
        from django.core import checks

        from accounts.roles import register_grants
        from clients import grants
        from clients.checks import check_field_key
        from clients.hold_scope import client_choices, client_records
        from clients.reasons import ClientReason
        from clients.search import connect
        from core.history import register_reasons
        from records.hold_scopes import register_hold_scope

        register_grants(grants.ROLE_GRANTS, sensitive=grants.SENSITIVE)
        register_reasons(ClientReason)
        connect()
        checks.register(check_field_key, checks.Tags.security)
        # A hold on the records of a client (records.hold_scopes, issue 12).
        register_hold_scope("client", label=_("Client"), choices=client_choices, records_of=client_records, order=10)
        register_ledger_kind(LEDGER_KIND)  # the legacy-ledger import wizard (issue 15)
        # What waits for the viewer on the home page's to-do list (records.todo, issue 16).
        from clients.todo import register_todos as register_clients_todos

        register_clients_todos()
