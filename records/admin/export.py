from django.utils.text import capfirst
from import_export.forms import SelectableFieldsExportForm


class ColumnNameExportForm(SelectableFieldsExportForm):
    """The export form lists each column by its header (档号, 题名 …)
    rather than by the resource's English attribute name."""

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        if field is not None and field.column_name:
            return capfirst(str(field.column_name))
        return super()._get_field_label(resource, field_name)
