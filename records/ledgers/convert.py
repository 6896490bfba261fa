"""A legacy sheet, read by the user's plan, as the dataset its kind's
resource imports (issue 15): the rows below the header row, each column
under the resource's own column name, so the resource checks and imports
it exactly as it does a back-office file.

- fully blank rows (blank in every imported column) are skipped, never an
  error; columns mapped to nothing ("": 序号, a second remarks column …)
  are dropped and named in the notes;
- what the file leaves empty, or lacks as a column, is filled from the
  page (LedgerPlan.fills, only the fills the kind offers), and the notes
  say how many rows took which value;
- dates go through parse_ledger_date (Excel serials, real dates, 2023年5月6日 …);
  a date that cannot be read is a Problem, as is a formula cell;
- a required column (the resource's REQUIRED_COLUMNS) that no column
  feeds and the page does not fill is a Problem of the whole file, except
  the archive number: without one every row is submitted for filing;
- the closing rows of a printed register (totals, signature blanks, after
  a blank row) are not data (_closing_block).

Every Problem names the row and column as Excel shows them
(records.ledgers.layout)."""
import re

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
import tablib
from openpyxl.utils import get_column_letter

from core.text import join_items
from records.ledgers.dates import parse_ledger_date
from records.ledgers.headers import header_labels
from records.ledgers.layout import SheetLayout, laid_out
from records.ledgers.types import (
    FILL_CATEGORY,
    FILL_LOCATION,
    FILL_RETENTION,
    FILL_SECURITY_LEVEL,
    FILL_YEAR_FROM_DATE,
    Problem,
)
from records.resources.widgets import ImportCellError, ImportDateWidget, is_blank, row_message

# Fills that give a field its value; their names are the fields' names.
FIELD_FILLS = (FILL_CATEGORY, FILL_SECURITY_LEVEL, FILL_RETENTION, FILL_LOCATION)
YEAR_FIELD = "year"
# Required columns a ledger may lack: a catalogue without archive numbers
# lists records to be filed, each submitted for the archivist (R-FILE-3).
ADDED_EMPTY = ("archive_number",)
# "编制人：____", "件数：12 · 页数：40", "Checked by: ____"
_LABELLED = re.compile(r"^[^:：]{1,20}[:：]")


class _Columns:
    """The plan's columns against the resource: which sheet column feeds
    which field, what the page fills, and the dataset's headers."""

    def __init__(self, sheet, plan, kind):
        self.fields = kind.resource_class.fields
        self.labels = header_labels(sheet, plan.header_row)
        self.kept = []  # [(column index, field name)]
        self.ignored = []  # [(letter, header text)] of columns with a header
        self.problems = []
        self._map(plan.mapping, sheet.width)
        mapped = {name for _index, name in self.kept}
        offered = set(kind.fills)
        self.fills = {
            name: plan.fills[name]
            for name in FIELD_FILLS
            if name in offered and name in self.fields and not is_blank(plan.fills.get(name))
        }
        self.date_fields = [name for _index, name in self.kept if isinstance(self.fields[name].widget, ImportDateWidget)]
        self.year_from_date = bool(
            FILL_YEAR_FROM_DATE in offered and plan.fills.get(FILL_YEAR_FROM_DATE)
            and YEAR_FIELD in self.fields and self.date_fields
        )
        required = getattr(kind.resource_class, "REQUIRED_COLUMNS", ())
        self.added_empty = [name for name in ADDED_EMPTY if name in required and name not in mapped]
        self.added = self.added_empty + [name for name in self.fills if name not in mapped]
        if self.year_from_date and YEAR_FIELD not in mapped:
            self.added.append(YEAR_FIELD)
        self.names = [name for _index, name in self.kept] + self.added
        self.headers = [self.column_name(name) for name in self.names]
        self._check_required(kind, mapped)

    def column_name(self, name):
        return str(self.fields[name].column_name)

    def label(self, index):
        return self.labels[index] if index < len(self.labels) else ""

    def _map(self, mapping, width):
        seen = {}
        for index in range(max(width, len(mapping))):
            name = mapping[index] if index < len(mapping) else ""
            letter = get_column_letter(index + 1)
            if not name:
                if self.label(index):
                    self.ignored.append((letter, self.label(index)))
                continue
            if name not in self.fields:
                self.problems.append(Problem(
                    _("Column %(letter)s “%(header)s” is mapped to a field this ledger does not have.")
                    % {"letter": letter, "header": self.label(index)},
                    column=letter,
                ))
                continue
            seen.setdefault(name, []).append(letter)
            if len(seen[name]) == 1:
                self.kept.append((index, name))
        for name, letters in seen.items():
            if len(letters) > 1:
                self.problems.append(Problem(
                    _("Columns %(letters)s are all mapped to “%(column)s”; map only one of them.")
                    % {"letters": join_items(letters), "column": self.column_name(name)},
                    column=letters[1],
                ))

    def _check_required(self, kind, mapped):
        for name in getattr(kind.resource_class, "REQUIRED_COLUMNS", ()):
            if name in mapped or name in self.fills or name in self.added_empty:
                continue
            if name == YEAR_FIELD and self.year_from_date:
                continue
            self.problems.append(Problem(
                _("No column is mapped to “%(column)s” and the page fills in none: map a column to it or "
                  "choose a value.") % {"column": self.column_name(name)}
            ))

    def layout_columns(self):
        columns = {}
        for index, name in self.kept:
            columns[self.column_name(name)] = (get_column_letter(index + 1), self.label(index) or self.column_name(name))
        for name in self.added:
            columns[self.column_name(name)] = (None, self.column_name(name))
        return columns


class _Rows:
    """Converting the data rows one by one, counting what was filled."""

    def __init__(self, columns, formula_cells):
        self.columns = columns
        self.formulas = {(cell.row, cell.column) for cell in formula_cells}
        self.filled = {name: 0 for name in columns.fills}
        self.years_from_dates = 0
        self.bad_dates = set()  # Excel rows with a date that cannot be read
        self.yearless = set()  # … whose year was to be taken from it
        self.problems = []
        self.date_indexes = {columns.names.index(name) for name in columns.date_fields}
        self.year_index = columns.names.index(YEAR_FIELD) if YEAR_FIELD in columns.names else None
        first_date = columns.date_fields[0] if columns.date_fields else None
        self.year_date_index = columns.names.index(first_date) if first_date else None
        self.fill_positions = [(columns.names.index(name), name, value) for name, value in columns.fills.items()]

    def kept_values(self, row):
        cells = row.cells
        return [cells[index] if index < len(cells) else None for index, _name in self.columns.kept]

    def is_blank(self, row):
        """Blank in every imported column (a 序号 alone does not make a row)."""
        return all(is_blank(value) for value in self.kept_values(row))

    def is_closing(self, row):
        filled = [value for value in self.kept_values(row) if not is_blank(value)]
        return len(filled) <= 1 or all(isinstance(value, str) and _LABELLED.search(value) for value in filled)

    def convert(self, row):
        """The dataset row of a (non-blank) sheet row."""
        values = self.kept_values(row)
        values.extend([None] * len(self.columns.added))
        for position, (index, name) in enumerate(self.columns.kept):
            letter = get_column_letter(index + 1)
            if (row.number, letter) in self.formulas:
                self._problem(row.number, name, letter, _("the cell holds a formula; save the file with values only"))
                values[position] = None
            elif position in self.date_indexes and not is_blank(values[position]):
                values[position] = self._date(row.number, name, letter, values[position])
        self._fill(values, row.number)
        return values

    def _date(self, number, name, letter, value):
        try:
            return parse_ledger_date(value)
        except ImportCellError as error:
            self._problem(number, name, letter, str(error))
            self.bad_dates.add(number)
            return None

    def _fill(self, values, number):
        for position, name, value in self.fill_positions:
            if is_blank(values[position]):
                values[position] = value
                self.filled[name] += 1
        if self.columns.year_from_date and is_blank(values[self.year_index]):
            date = values[self.year_date_index]
            if date is not None:
                values[self.year_index] = date.year
                self.years_from_dates += 1
            elif number in self.bad_dates:
                # Its date is already a problem; "a year is required" would say it twice.
                self.yearless.add(number)

    def _problem(self, number, name, letter, reason):
        message = str(row_message(number, self.columns.column_name(name), reason))
        self.problems.append(Problem(message, row=number, column=letter))


def to_dataset(sheet, plan, kind):
    """(dataset, layout, problems, notes) of `sheet` read by `plan` for
    `kind` (a records.ledgers.kinds.LedgerKind)."""
    columns = _Columns(sheet, plan, kind)
    layout = SheetLayout(columns=columns.layout_columns())
    rows = _Rows(columns, sheet.formula_cells)
    candidates = [row for row in sheet.rows if row.number > plan.header_row and not rows.is_blank(row)]
    closing = _closing_block(candidates, rows)
    body = candidates[: len(candidates) - len(closing)]
    values = []
    with laid_out(layout):
        for row in body:
            values.append(rows.convert(row))
            layout.row_numbers.append(row.number)
    dataset = tablib.Dataset(*values, headers=columns.headers)
    # Blank rows count only between the header and the last data row.
    blank_rows = (body[-1].number - plan.header_row - len(body)) if body else 0
    notes = _notes(columns, rows, blank_rows)
    if closing:
        notes.append(_("Rows %(first)d to %(last)d below the table (totals, signatures) were not imported.")
                     % {"first": closing[0].number, "last": closing[-1].number})
    layout.already_said = {(number, columns.column_name(YEAR_FIELD)) for number in rows.yearless}
    return dataset, layout, columns.problems + rows.problems, notes


def _closing_block(candidates, rows):
    """The rows a printed register ends with (records.printing.xlsx: after a
    blank row, footer lines such as 件数：12 · 页数：40 and the signature
    blanks 编制人：____): the trailing rows after a gap in which each row
    fills at most one imported column or only holds "label：value" texts.
    [] when there is no such block or nothing would be left above it."""
    block = []
    for row in reversed(candidates):
        if not rows.is_closing(row):
            break
        block.append(row)
    block.reverse()
    if not block or len(block) == len(candidates):
        return []
    above = candidates[len(candidates) - len(block) - 1]
    return block if block[0].number > above.number + 1 else []


def _notes(columns, rows, blank_rows):
    notes = []
    for name, count in rows.filled.items():
        if count:
            notes.append(ngettext(
                "%(count)d row had no %(column)s; filled in as %(value)s from the page.",
                "%(count)d rows had no %(column)s; filled in as %(value)s from the page.",
                count,
            ) % {"count": count, "column": columns.column_name(name), "value": _shown_value(columns, name)})
    if rows.years_from_dates:
        notes.append(ngettext(
            "%(count)d row had no year; it was taken from its %(date)s.",
            "%(count)d rows had no year; it was taken from their %(date)s.",
            rows.years_from_dates,
        ) % {"count": rows.years_from_dates, "date": columns.column_name(columns.date_fields[0])})
    for name in columns.added_empty:
        notes.append(_("No column holds the %(column)s: every row is submitted for filing without one.")
                     % {"column": columns.column_name(name)})
    if columns.ignored:
        notes.append(_("Columns not imported: %(columns)s.") % {"columns": join_items(
            _("%(letter)s “%(header)s”") % {"letter": letter, "header": header} for letter, header in columns.ignored
        )})
    if blank_rows > 0:
        notes.append(ngettext(
            "%(count)d blank row was skipped.", "%(count)d blank rows were skipped.", blank_rows
        ) % {"count": blank_rows})
    return notes


def _shown_value(columns, name):
    """A filled value as the user chose it (a choice by its label)."""
    value = columns.fills[name]
    widget = columns.fields[name].widget
    if hasattr(widget, "choices"):
        try:
            return widget.render(widget.clean(value))
        except (ImportCellError, ValueError):
            return str(value)
    return str(value)
