from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV, XLSX

from accounts.admin import BackOfficeAdmin
from clients.models import Client
from clients.resources import ClientResource
from records.admin import ColumnNameExportForm, VisibleRecordFieldsMixin
from records.models import Record


@admin.register(Client)
class ClientAdmin(VisibleRecordFieldsMixin, ExportMixin, BackOfficeAdmin):
    """Client profiles (R-SCOPE 2, R-CLIENT). Reviews are recorded by the
    client-files workflow, so their fields are shown, not edited."""

    resource_classes = [ClientResource]
    formats = [XLSX, CSV]
    export_form_class = ColumnNameExportForm
    list_display = ["name", "client_type", "responsible", "last_reviewed_at", "is_active"]
    list_filter = ["client_type", "is_active", ("responsible", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["responsible"]
    search_fields = ["name", "preferences", "notes"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["records"]
    fieldsets = (
        (None, {"fields": ("name", "client_type", "responsible", "is_active")}),
        (_("Profile"), {"fields": ("gender", "age", "preferences", "notes")}),
        (_("Records"), {"fields": ("records",)}),
        (_("Review"), {"fields": ("last_reviewed_at", "last_reviewed_by", "created_at")}),
    )
    readonly_fields = ["last_reviewed_at", "last_reviewed_by", "created_at"]

    masked_record_fields = {"records": "linked_records"}

    @admin.display(description=_("records"))
    def linked_records(self, obj):
        return self.visible_records_text(obj, list(obj.records.all()))

    def save_related(self, request, form, formsets, change):
        # The records field offers only records the user may see (R-LEND-4);
        # links to hidden ones were never shown, so saving must keep them.
        if change and "records" in form.cleaned_data:
            chosen = list(form.cleaned_data["records"].values_list("pk", flat=True))
            hidden = self.hidden_record_ids(request.user, form.instance.records.all())
            form.cleaned_data["records"] = Record.objects.filter(pk__in=[*chosen, *hidden])
        super().save_related(request, form, formsets, change)
