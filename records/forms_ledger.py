"""Forms of the legacy-ledger import wizard (issue 15): the upload, the
sheet choice, and the mapping step (header row, one field per column, the
values filled from the page, templates). They check input and hand plain
values (a LedgerPlan's parts) to records.ledgers; they never save."""
from django import forms
from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from core.text_input import CleanTextFormField
from records.forms_filing import filing_categories
from records.ledgers.types import (
    FILL_CATEGORY,
    FILL_LOCATION,
    FILL_RETENTION,
    FILL_SECURITY_LEVEL,
    FILL_YEAR_FROM_DATE,
)
from records.models import Location, LocationKind, SecurityLevel

#: How many of the sheet's first non-blank rows the header-row choice shows.
HEADER_CHOICE_ROWS = 12
#: How many values of each column the mapping step shows as examples.
SAMPLE_VALUES = 3
#: Cells of each row the header-row choice shows.
ROW_TABLE_COLUMNS = 8
IGNORED = ""


class LedgerUploadForm(forms.Form):
    """Step 1: which ledger, and the file (.xlsx or .csv)."""

    kind = forms.ChoiceField(label=_("Ledger"))
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("An Excel workbook (.xlsx) or a CSV table, as the department keeps it."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.kinds = {kind.code: kind for kind in kinds}
        self.fields["kind"].choices = [(kind.code, kind.label) for kind in kinds]

    def clean_kind(self):
        return self.kinds[self.cleaned_data["kind"]]


class SheetForm(forms.Form):
    """Step 2, only for a workbook with several sheets holding data."""

    sheet = forms.ChoiceField(label=_("Sheet"), widget=forms.RadioSelect)

    def __init__(self, *args, sheets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = [(sheet.name, sheet.name) for sheet in sheets]


class HeaderRowForm(forms.Form):
    """Step 3a: which row holds the headers (the wizard proposes one)."""

    header_row = forms.TypedChoiceField(label=_("Header row"), coerce=int, widget=forms.RadioSelect)

    def __init__(self, *args, row_numbers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["header_row"].choices = [(number, number) for number in row_numbers]


def first_rows(sheet, proposed=None):
    """The sheet's first non-blank rows the header-row choice offers (and
    the proposed header row, should it lie further down)."""
    rows = [row for row in sheet.rows if row.has_data][:HEADER_CHOICE_ROWS]
    if proposed is not None and all(row.number != proposed for row in rows):
        rows += [row for row in sheet.rows if row.number == proposed]
    return rows


def _blank(value):
    return value is None or (isinstance(value, str) and not value.strip())


def column_samples(sheet, header_row, width):
    """Up to SAMPLE_VALUES non-blank values below the header row, per column."""
    samples = [[] for _ in range(width)]
    for row in sheet.rows:
        if row.number <= header_row:
            continue
        for index, value in enumerate(row.cells[:width]):
            if len(samples[index]) < SAMPLE_VALUES and not _blank(value):
                samples[index].append(value)
        if all(len(values) >= SAMPLE_VALUES for values in samples):
            break
    return samples


def field_choices(kind):
    """The resource's importable columns, by their name in the active
    language, after "not imported"."""
    fields = kind.resource_class.fields
    # The order of the resource's own spreadsheet (Meta.fields), then the rest.
    order = [name for name in (kind.resource_class._meta.fields or ()) if name in fields]
    order += [name for name in fields if name not in order]
    choices = [(IGNORED, _("— not imported —"))]
    for name in order:
        if not fields[name].readonly:
            choices.append((name, str(fields[name].column_name)))
    return choices


def retention_fill_choices():
    # Values the catalogue's retention column reads (RetentionWidget).
    return [("", _("As the class says")), ("Y", _("Permanent")), ("30", _("30 years")), ("10", _("10 years"))]


def category_fill_choices():
    return [("", _("— only as the file says —"))] + [
        (category.code, f"{category.code} {category.name}") for category in filing_categories().order_by("code")
    ]


def location_fill_choices():
    boxes = Location.objects.filter(kind=LocationKind.BOX, is_active=True).order_by("full_code")
    return [("", _("— only as the file says —"))] + [
        (box.full_code, f"{box.full_code} {box.name}".strip()) for box in boxes
    ]


def security_fill_choices():
    return [("", _("— only as the file says —")), *SecurityLevel.choices]


def _fill_field(fill):
    """The form field of one FILL_* name (records.ledgers.types)."""
    if fill == FILL_YEAR_FROM_DATE:
        return forms.BooleanField(
            label=_("Year from the date"), required=False,
            help_text=_("Rows without a year take the year of their date."),
        )
    label, choices = {
        FILL_CATEGORY: (_("Class for rows without one"), category_fill_choices),
        FILL_SECURITY_LEVEL: (_("Security level for rows without one"), security_fill_choices),
        FILL_RETENTION: (_("Retention for rows without one"), retention_fill_choices),
        FILL_LOCATION: (_("Box for rows without one"), location_fill_choices),
    }[fill]
    return forms.ChoiceField(label=label, choices=choices, required=False)


class MappingForm(forms.Form):
    """Step 3b: one field per column (or "not imported"), the values the
    file lacks, and a name to keep all of it as a template for next year."""

    template_name = CleanTextFormField(
        label=_("Save as template"), max_length=100, required=False,
        help_text=_("Give the mapping a name to apply it again to next year's file."),
    )

    def __init__(self, *args, kind, headers, samples, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.width = len(headers)
        choices = field_choices(kind)
        for index, header in enumerate(headers):
            self.fields[self.column_key(index)] = forms.ChoiceField(
                label=column_label(index, header), choices=choices, required=False,
            )
        self.samples = samples
        for fill in kind.fills:
            self.fields[self.fill_key(fill)] = _fill_field(fill)

    @staticmethod
    def column_key(index):
        return f"column_{index}"

    @staticmethod
    def fill_key(fill):
        return f"fill_{fill}"

    def columns(self):
        """(bound field, sample values) per column, for the template."""
        return [(self[self.column_key(index)], self.samples[index]) for index in range(self.width)]

    def fill_fields(self):
        return [self[self.fill_key(fill)] for fill in self.kind.fills]

    def clean(self):
        cleaned = super().clean()
        seen = {}
        for index in range(self.width):
            key = self.column_key(index)
            name = cleaned.get(key)
            if not name:
                continue
            if name in seen:
                self.add_error(key, _("This field is already read from column %(column)s.") % {"column": seen[name]})
            else:
                seen[name] = get_column_letter(index + 1)
        return cleaned

    def mapping(self):
        return [self.cleaned_data.get(self.column_key(index)) or IGNORED for index in range(self.width)]

    def fills(self):
        """Only the fills chosen: an empty choice fills nothing."""
        chosen = {}
        for fill in self.kind.fills:
            value = self.cleaned_data.get(self.fill_key(fill))
            if value:
                chosen[fill] = value
        return chosen

    @classmethod
    def initial_for(cls, mapping, fills):
        initial = {cls.column_key(index): name for index, name in enumerate(mapping)}
        initial.update({cls.fill_key(fill): value for fill, value in (fills or {}).items()})
        return initial


def column_label(index, header):
    letter = get_column_letter(index + 1)
    if header:
        return _("Column %(letter)s “%(header)s”") % {"letter": letter, "header": header}
    return _("Column %(letter)s") % {"letter": letter}


class TemplateChoiceForm(forms.Form):
    """Apply a saved template's mapping and fills to this file."""

    template = forms.ModelChoiceField(label=_("Template"), queryset=None, empty_label=None)

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates


def row_table(rows, width):
    """The first rows as the header-row choice shows them: (row, its first
    ROW_TABLE_COLUMNS cells, padded so the columns line up)."""
    width = min(width, ROW_TABLE_COLUMNS)
    return [(row, (list(row.cells) + [None] * width)[:width]) for row in rows]
