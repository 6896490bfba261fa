from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("Contracts")

    def ready(self):
        from contracts.ledger import LEDGER_KIND
        from records.ledgers.kinds import register_ledger_kind
        from accounts.roles import register_grants
        from contracts import grants
        from contracts.hold_scope import client_contract_records, contract_choices, contract_records
        from contracts.reasons import ContractReason
        from contracts.search import connect
        from contracts.views import home_panel, record_panel
        from core.history import register_reasons
        from contracts.forms import LedgerFilterForm
        from contracts.registers import ledger_from_form
        from records.hold_scopes import add_hold_scope_records, register_hold_scope
        from records.panels import register_home_panel, register_record_panel
        from records.register_jobs import register_source

        register_grants(grants.ROLE_GRANTS)
        register_reasons(ContractReason)
        connect()
        # The contract facts on the record page, and the expiry reminders on
        # the home page (records.panels: records never imports contracts).
        register_record_panel("contracts/_record_panel.html", record_panel, order=40)
        register_home_panel("contracts/_home_panel.html", home_panel, order=50)
        register_source("contracts", form_class=LedgerFilterForm, build=ledger_from_form)
        # A hold on the records of a contract, and a client's contracts among
        # the records of the client (records.hold_scopes, issue 12).
        register_hold_scope(
            "contract", label=_("Contract"), choices=contract_choices, records_of=contract_records, order=20
        )
        add_hold_scope_records("client", client_contract_records)
        register_ledger_kind(LEDGER_KIND)  # the legacy-ledger import wizard (issue 15)
        # What waits for the viewer on the home page's to-do list (records.todo, issue 16).
        from contracts.todo import register_todos as register_contracts_todos

        register_contracts_todos()
