"""The legacy-ledger import wizard's rows in the back office (issue 15):
saved templates and uploads, read-only. They change only through the
wizard's services (records.ledgers.run); the kept files are not linked
here."""
from django.contrib import admin

from accounts.admin import NoDeleteAdminMixin
from core.admin import ReadOnlyAdminMixin, SaneDateFiltersMixin
from records.models import LedgerTemplate, LedgerUpload


class ReadOnlyLedgerAdmin(SaneDateFiltersMixin, ReadOnlyAdminMixin, NoDeleteAdminMixin, admin.ModelAdmin):
    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)


@admin.register(LedgerTemplate)
class LedgerTemplateAdmin(ReadOnlyLedgerAdmin):
    """Named mappings of legacy ledgers, offered again next year."""

    list_display = ["name", "kind", "owner", "updated_at"]
    list_filter = ["kind"]
    list_select_related = ["owner"]
    search_fields = ["name"]
    fields = ["kind", "name", "owner", "mapping", "fills", "created_at", "updated_at"]


@admin.register(LedgerUpload)
class LedgerUploadAdmin(ReadOnlyLedgerAdmin):
    """Files taken through the wizard and how their import ended."""

    list_display = ["original_name", "kind", "owner", "created_at", "state"]
    list_filter = ["kind", "state"]
    list_select_related = ["owner"]
    search_fields = ["original_name"]
    date_hierarchy = "created_at"
    fields = [
        "kind", "original_name", "owner", "created_at", "state", "sheet_name", "header_row", "mapping", "fills",
        "job", "summary",
    ]
