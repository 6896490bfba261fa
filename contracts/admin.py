from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin import BackOfficeAdmin
from contracts.ledger import may_import_contracts
from contracts.models import Contract, ContractHolding
from contracts.resources import ContractResource
from records.admin import LedgerImportExportMixin, VisibleRecordFieldsMixin
from records.selectors import visible_records


class ContractHoldingInline(admin.TabularInline):
    """Where originals and copies are held (R-CONTRACT). Nothing is deleted."""

    model = ContractHolding
    extra = 0
    can_delete = False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Contract)
class ContractAdmin(VisibleRecordFieldsMixin, LedgerImportExportMixin, BackOfficeAdmin):
    """The contract ledger (台帐, R-CONTRACT). The department's existing
    ledger imports all-or-nothing after a preview, like the catalogue."""

    resource_classes = [ContractResource]
    export_file_title = _("Contract ledger")
    inlines = [ContractHoldingInline]
    list_display = [
        "contract_number",
        "counterparty_column",
        "contract_type",
        "signed_on",
        "ends_on",
        "amount",
        "currency",
        "original_or_copy",
        "review_result",
        "archive_number",
    ]
    list_filter = ["contract_type", "review_result", "original_or_copy", "currency"]
    list_select_related = ["record"]
    search_fields = ["contract_number", "counterparty_name", "record__archive_number", "record__title"]
    date_hierarchy = "signed_on"
    autocomplete_fields = ["record", "counterparty", "review_record"]
    fieldsets = (
        (None, {"fields": ("record", "contract_number", "contract_type", "original_or_copy")}),
        (_("Parties"), {"fields": ("counterparty", "counterparty_name", "responsible_person")}),
        (_("Terms"), {"fields": ("signed_on", ("starts_on", "ends_on"), ("amount", "currency"))}),
        (_("Contract review"), {"fields": ("review_date", "review_result", "review_record")}),
    )

    masked_record_fields = {"review_record": "review_papers"}

    def get_queryset(self, request):
        return super().get_queryset(request).filter(record__in=visible_records(request.user).values("pk"))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # The record is the contract's primary key.
            readonly.append("record")
        return readonly

    def has_import_permission(self, request):
        return may_import_contracts(request.user)

    @admin.display(description=_("counterparty"), ordering="counterparty_sort_key")
    def counterparty_column(self, obj):
        """Sorted in pinyin order (issue 15)."""
        return obj.counterparty_name

    @admin.display(description=_("archive number"), ordering="record__archive_number")
    def archive_number(self, obj):
        return obj.record.archive_number

    @admin.display(description=_("review papers"))
    def review_papers(self, obj):
        return self.visible_records_text(obj, [obj.review_record])
