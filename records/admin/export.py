from django.utils.text import capfirst
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import SelectableFieldsExportForm

from records.imports import ValidatedImportForm


class ColumnNameExportForm(SelectableFieldsExportForm):
    """The export form lists each column by its header (档号, 题名 …)
    rather than by the resource's English attribute name."""

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        if field is not None and field.column_name:
            return capfirst(str(field.column_name))
        return super()._get_field_label(resource, field_name)


class LedgerImportExportMixin(ImportExportMixin):
    """Import and export of a ledger (records catalogue, contract ledger,
    client directory) in the back office: .xlsx or .csv, columns named by
    their headers, the file checked by records.imports before the preview,
    and the request user handed to the resource, which decides what may be
    exported and who imported (R-LEND-4, R-CLIENT)."""

    formats = [XLSX, CSV]
    export_form_class = ColumnNameExportForm
    import_form_class = ValidatedImportForm
    from_encoding = "utf-8-sig"

    def get_export_resource_kwargs(self, request, **kwargs):
        resource_kwargs = super().get_export_resource_kwargs(request, **kwargs)
        resource_kwargs["user"] = request.user
        return resource_kwargs

    def get_import_resource_kwargs(self, request, **kwargs):
        resource_kwargs = super().get_import_resource_kwargs(request, **kwargs)
        resource_kwargs["user"] = request.user
        return resource_kwargs
