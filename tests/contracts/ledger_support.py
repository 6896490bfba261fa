"""Contracts for the ledger tests: each a filed record of its contract
type's class with the contract facts."""
import datetime
from decimal import Decimal

from django.utils import timezone

from contracts.models import Contract, ContractHolding, Holder
from contracts.policies import CATEGORY_BY_TYPE
from records.models import SecurityLevel
from records.services import record_file
from tests.factories import RecordFactory, category


def make_contract(
    archivist,
    number,
    *,
    contract_type="agent_agreement",
    counterparty_name="某代理商",
    security_level=SecurityLevel.INTERNAL,
    ends_in=None,
    signed_on=datetime.date(2024, 3, 1),
    amount=Decimal("1000.00"),
    currency="CNY",
    holdings=(),
    **kwargs,
):
    record = RecordFactory(
        category=category(CATEGORY_BY_TYPE[contract_type]),
        security_level=security_level,
        title=f"合同 {number}",
        year=signed_on.year if signed_on else 2024,
    )
    record = record_file(record=record, by=archivist)
    ends_on = timezone.localdate() + datetime.timedelta(days=ends_in) if ends_in is not None else None
    contract = Contract.objects.create(
        record=record,
        contract_number=number,
        contract_type=contract_type,
        counterparty_name=counterparty_name,
        signed_on=signed_on,
        ends_on=ends_on,
        amount=amount,
        currency=currency,
        **kwargs,
    )
    for holder, copies in holdings:
        ContractHolding.objects.create(contract=contract, holder=holder, copies=copies)
    return contract


AGREEMENT_HOLDINGS = ((Holder.GENERAL_MANAGER_OFFICE, 1), (Holder.MARKETING, 1))
