"""Export of the contract ledger (台帐, R-CONTRACT), limited to contracts
whose record the user may see (R-LEND-4). Export only: a contract is created
with its record."""
from django.utils.translation import gettext_lazy as _
from import_export import fields

from contracts.models import Contract
from records.resources import VisibleRecordsResource, choice_label


class ContractResource(VisibleRecordsResource):
    record_path = "record"

    archive_number = fields.Field(attribute="record__archive_number", column_name=_("archive number"))
    title = fields.Field(attribute="record__title", column_name=_("title"))
    contract_type = choice_label("contract_type", _("contract type"))
    original_or_copy = choice_label("original_or_copy", _("original or copy"))
    review_result = choice_label("review_result", _("review result"))
    responsible_person = fields.Field(
        attribute="responsible_person__display_name", column_name=_("responsible person")
    )

    class Meta:
        model = Contract
        fields = [
            "contract_number",
            "archive_number",
            "title",
            "contract_type",
            "counterparty_name",
            "signed_on",
            "starts_on",
            "ends_on",
            "amount",
            "currency",
            "responsible_person",
            "original_or_copy",
            "review_date",
            "review_result",
        ]
        export_order = fields

    def get_queryset(self):
        return self.filter_export(Contract.objects.select_related("record", "responsible_person"))
