"""The records of a contract, as a scope a hold can be placed on (issue 12:
a dispute over a contract freezes it and its review papers); and the
contracts of a client, added to the client's scope. Registered in
ContractsConfig.ready() with records.hold_scopes."""
from django.db.models import Q

from contracts.models import Contract
from contracts.policies import may_view_ledger
from contracts.selectors import visible_contracts
from records.models import Record


def contract_choices(user):
    """The contracts `user` may see in the ledger (R-LEND-4), newest
    signature first: (record pk as text, "contract number counterparty")."""
    if not may_view_ledger(user):
        return []
    rows = visible_contracts(user).order_by("-signed_on", "contract_number")
    return [
        (str(pk), f"{number} {counterparty}")
        for pk, number, counterparty in rows.values_list("pk", "contract_number", "counterparty_name")
    ]


def _records_of(contracts):
    return Record.objects.filter(
        Q(pk__in=contracts.values("record_id"))
        | Q(pk__in=contracts.filter(review_record__isnull=False).values("review_record_id"))
    )


def contract_records(value):
    """The contract's record and its review papers (合同评审)."""
    return _records_of(Contract.objects.filter(pk=value))


def client_contract_records(value):
    """The contracts whose counterparty is the client, with their review
    papers: part of the records of a client (records.hold_scopes)."""
    return _records_of(Contract.objects.filter(counterparty_id=value))
