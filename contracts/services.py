"""Writes of the contract ledger (台帐, R-CONTRACT). History names who
entered a contract and why (core.history.save_with_history,
contracts.reasons.ContractReason); a refusal raises ContractRefused with a
message for the user, and changes nothing."""
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from contracts.exceptions import ContractRefused
from contracts.models import Contract, ContractHolding
from contracts.policies import CATEGORY_BY_TYPE, may_register_contract
from contracts.reasons import ContractReason
from core.history import save_with_history
from records.exceptions import RecordActionRefused
from records.models import Category
from records.services import record_create, record_file


@transaction.atomic
def contract_register(*, by, record_data, contract_data, holdings, location=None):
    """The archivist enters a contract after its review (R-CONTRACT): the
    record is created as handed in by the archivist and filed at once (it
    gets its archive number in the class of its contract type, R-SCOPE 1),
    then the contract facts and where each original or copy is held.
    All or nothing: any refusal (a duplicate contract number, a bad term)
    rolls back the record and its archive number too.

    `holdings` is [(holder, copies)]; they are originals or copies as the
    contract is."""
    if not may_register_contract(by):
        raise ContractRefused(_("Only the archivist can enter contracts into the ledger."))
    if not any(copies for _holder, copies in holdings):
        # The ledger says who keeps each original (R-CONTRACT).
        raise ContractRefused(_("Say where at least one original or copy is held."))
    category = _contract_category(contract_data["contract_type"])
    try:
        submission = record_create(by=by, data={**record_data, "category": category}, submit=True)
        record = record_file(record=submission.record, by=by, location=location)
    except RecordActionRefused as refusal:
        raise ContractRefused(refusal.message, field=refusal.field) from None
    contract = Contract(record=record, **contract_data)
    try:
        contract.full_clean()
    except ValidationError as exc:
        raise ContractRefused(" ".join(exc.messages)) from None
    save_with_history(contract, by=by, reason=ContractReason.REGISTERED)
    for holder, copies in holdings:
        holding = ContractHolding(
            contract=contract, holder=holder, original_or_copy=contract.original_or_copy, copies=copies
        )
        save_with_history(holding, by=by, reason=ContractReason.REGISTERED)
    return contract


def _contract_category(contract_type):
    """The file plan's class for contracts of this type (R-SCOPE 1)."""
    try:
        return Category.objects.get(code=CATEGORY_BY_TYPE[contract_type])
    except (KeyError, Category.DoesNotExist):
        raise ContractRefused(_("There is no class for contracts of this type in the file plan.")) from None
