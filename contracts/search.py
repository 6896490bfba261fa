"""Contract numbers and parties are found with the contract's record
(R-FILE-4, R-CONTRACT)."""
from django.db.models.signals import post_save

from contracts.models import Contract
from records.search import index_records, register_text_provider


def contract_texts(record_ids):
    texts = {}
    rows = Contract.objects.filter(record_id__in=record_ids).values_list(
        "record_id", "contract_number", "counterparty_name", "counterparty__name"
    )
    for record_id, number, party, client_name in rows:
        texts.setdefault(record_id, []).extend([number, party, client_name or ""])
    return texts


def _contract_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index_records([instance.record_id])


def connect():
    register_text_provider(contract_texts)
    post_save.connect(_contract_saved, sender=Contract, dispatch_uid="contracts.search.contract")
