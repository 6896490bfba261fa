"""Import and export in the back office (django-import-export), the same for
every list that has them: the records catalogue, the contract ledger, the
client directory, the file plan and the locations.

- Files are .xlsx or .csv written by records.resources.formats: text that a
  spreadsheet could read as a formula stays text (issue 10, safe exports).
"""
from django.core.exceptions import PermissionDenied
from django.utils.text import capfirst
from import_export.admin import ImportExportMixin
from import_export.forms import SelectableFieldsExportForm

from records.imports import ValidatedImportForm
from records.resources.formats import LEDGER_FORMATS


class ColumnNameExportForm(SelectableFieldsExportForm):
    """The export form lists each column by its header (档号, 题名 …)
    rather than by the resource's English attribute name."""

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        if field is not None and field.column_name:
            return capfirst(str(field.column_name))
        return super()._get_field_label(resource, field_name)


class SafeImportExportMixin(ImportExportMixin):
    """Safe files (see the module's docstring)."""

    formats = LEDGER_FORMATS
    export_form_class = ColumnNameExportForm

    # -- export -----------------------------------------------------------
    def get_export_data(self, file_format, request, queryset, **kwargs):
        """As django-import-export's, but numbers and dates stay numbers and
        dates in our .xlsx too (the library recognises only its own format
        classes as binary, by their exact type)."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(request, queryset, force_native_type=file_format.is_binary(), **kwargs)
        export_data = file_format.export_data(data)
        encoding = kwargs.get("encoding")
        if not file_format.is_binary() and encoding:
            export_data = export_data.encode(encoding)
        return export_data

    def get_valid_export_item_pks(self, request):
        # The rows an "export selected" action may name: those the list shows
        # (the library's default, every row of the table, warns as deprecated).
        return self.get_queryset(request).values_list("pk", flat=True)


class LedgerImportExportMixin(SafeImportExportMixin):
    """Import and export of a ledger (records catalogue, contract ledger,
    client directory) in the back office: columns named by their headers,
    the file checked by records.imports before the preview, and the request
    user handed to the resource, which decides what may be exported, logs
    the confidential records an export includes and who imported (R-LEND-4,
    R-ACCESS, R-CLIENT)."""

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
