"""Import and export (django-import-export) of the file plan, locations and
the records catalogue.

Column headers are the fields' verbose names in the active language (档号,
题名 …), so a file exported in Chinese is imported in Chinese. The records
catalogue import is all-or-nothing (RecordResource, records.imports). Every export of records starts from `visible_records`, like
every other read (R-LEND-4, R-ACCESS).

- columns: base resources with verbose-name headers, the visibility filter
  of every export, and the mapping of a file's headers to columns;
- widgets: how one cell is read and written, and the column helpers;
- file_plan: categories and locations;
- catalogue: the records catalogue;
- catalogue_filing: the archive numbers, items and sequences of the records
  an import creates.

Every name below stays importable from `records.resources`; contracts and
clients also use the cell helpers is_blank, cell_text and row_message.
"""
from records.resources.catalogue import RecordResource
from records.resources.catalogue_filing import archive_number_regex
from records.resources.columns import (
    AllOrNothingResource,
    ImportRefused,
    VerboseNameResource,
    VisibleRecordsResource,
    prepare_headers,
)
from records.resources.file_plan import CategoryResource, LocationResource
from records.resources.widgets import (
    PERMANENT,
    ChoiceLabelWidget,
    ImportCellError,
    ImportDateWidget,
    LocalDateTimeWidget,
    LookupWidget,
    RetentionWidget,
    TextWidget,
    WholeNumberWidget,
    YesNoWidget,
    is_blank,
    row_message,
    cell_text,
    choice_label,
    exported_moment,
    person_field,
)

__all__ = [
    "AllOrNothingResource",
    "PERMANENT",
    "CategoryResource",
    "ChoiceLabelWidget",
    "ImportCellError",
    "ImportDateWidget",
    "ImportRefused",
    "LocalDateTimeWidget",
    "LocationResource",
    "LookupWidget",
    "RecordResource",
    "RetentionWidget",
    "TextWidget",
    "VerboseNameResource",
    "VisibleRecordsResource",
    "WholeNumberWidget",
    "YesNoWidget",
    "is_blank",
    "row_message",
    "cell_text",
    "archive_number_regex",
    "choice_label",
    "exported_moment",
    "person_field",
    "prepare_headers",
]
