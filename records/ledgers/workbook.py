"""Reading an uploaded legacy ledger into plain rows (issue 15):
read_workbook(file, name) -> records.ledgers.types.Workbook.

The whole file is checked first as the back office checks it
(records.imports.check_import_file: size, content type, zip bomb, an .xls or
password-protected workbook). Then:

- .xlsx: every visible worksheet (hidden ones only when no visible one
  has data), read by records.xlsx_rows (rows are streamed, never the
  whole sheet's objects at once). A formula cell is read
  as None and recorded in the sheet's formula_cells (the wizard lists them
  all as problems); a merged range gives its value in its top-left cell;
  dimensions written wrongly by other programs are ignored;
- .csv: UTF-8 (with or without BOM) or GB18030 (which covers GBK and
  GB2312), as records.files detected it over the whole file, so a GBK file
  is never read as mojibake; comma-separated, or tab/semicolon when the
  first line has no comma; a cell starting with "=" is a formula; the
  apostrophe a CSV export puts before formula-like text is removed
  (records.cells.unescape_text).

Rows are lists of values (str, int, float, datetime, None) with trailing
blank cells dropped, so a blank row is an empty list; blank rows at the end
of a sheet are dropped. Sheets without data are left out. A sheet with more
than MAX_ROWS data rows (records.imports) refuses the file: rows are
counted while streaming, so nothing more is read. Short texts repeated down
a column (classes, security levels, departments) are stored once.
"""
import csv
import io
import os

from django.utils.translation import gettext_lazy as _
from openpyxl.utils import get_column_letter

from records import imports
from records.cells import unescape_text
from records.imports import ImportFileRefused, check_import_file
from records.ledgers.types import FormulaCell, Row, SheetTable, Workbook
from records.resources.widgets import is_blank
from records.xlsx_rows import numbered_rows, open_workbook

# Rows above the header row (titles) a sheet may have beyond MAX_ROWS data
# rows; records.ledgers.headers looks for the header row among as many.
TITLE_ROWS_ALLOWED = 20
_SHARED_TEXT_LENGTH = 32


def read_workbook(file, name):
    """Read a seekable binary file `name` (.xlsx or .csv) into a Workbook of
    the sheets that have data; raises records.imports.ImportFileRefused."""
    kind, charset = check_import_file(file, name)
    if kind == "xlsx":
        sheets = _read_xlsx(file)
    else:
        sheets = [_read_csv(file, charset, name)]
    sheets = [sheet for sheet in sheets if sheet.rows]
    if not sheets:
        raise ImportFileRefused(_("The file has no sheet with data."))
    return Workbook(original_name=name, sheets=sheets)


def _damaged():
    return ImportFileRefused(_("The workbook is damaged and cannot be read."))


def _too_many_rows():
    return ImportFileRefused(
        _("The file has more than %(limit)d rows; split it into smaller files.") % {"limit": imports.MAX_ROWS}
    )


def _read_xlsx(file):
    file.seek(0)
    try:
        book = open_workbook(file)
    except Exception:  # openpyxl raises many kinds of errors on damaged files
        raise _damaged() from None
    try:
        tables = [(_read_worksheet(sheet), sheet.sheet_state == "visible") for sheet in book.worksheets]
    except ImportFileRefused:
        raise
    except Exception:
        raise _damaged() from None
    finally:
        book.close()
    # Hidden sheets (lists behind drop-downs, old years) only when no visible one has data.
    visible = [table for table, shown in tables if shown and table.rows]
    return visible or [table for table, _shown in tables]


def _read_worksheet(worksheet):
    table = _TableBuilder(worksheet.title)
    for number, values, formulas in numbered_rows(worksheet):
        for index in formulas:
            table.formula(number, index)
        table.add(number, values)
    return table.finish()


def _read_csv(file, charset, name):
    file.seek(0)
    try:
        text = file.read().decode(charset)
    except UnicodeDecodeError:  # records.files decoded it all; only a changed file gets here
        raise _damaged() from None
    text = text.removeprefix("\ufeff")
    table = _TableBuilder(os.path.splitext(os.path.basename(name))[0] or name)
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)), 1):
            table.add(number, [_csv_value(table, number, index, raw) for index, raw in enumerate(cells, 1)])
    except csv.Error:
        raise _damaged() from None
    return table.finish()


def _delimiter(text):
    first_line = text.split("\n", 1)[0]
    if "," in first_line:
        return ","
    for delimiter in ("\t", ";"):
        if delimiter in first_line:
            return delimiter
    return ","


def _csv_value(table, number, index, raw):
    if raw.lstrip().startswith("="):
        table.formula(number, index)
        return None
    return unescape_text(raw) if raw else None


class _TableBuilder:
    """Collects one sheet's rows: trailing blank cells and rows dropped,
    blank rows between data kept (as empty lists), data rows counted
    against the limit, short repeated texts shared."""

    def __init__(self, name):
        self.table = SheetTable(name=name, rows=[])
        self.pending_blank = []
        self.data_rows = 0
        self.texts = {}
        self.formula_row = self.formula_width = 0

    def formula(self, number, index):
        """Cell `index` (1 = A) of row `number`, about to be added, holds a
        formula: its row is not blank, whatever the other cells hold."""
        self.table.formula_cells.append(FormulaCell(row=number, column=get_column_letter(index)))
        self.formula_row, self.formula_width = number, index

    def add(self, number, values):
        keep = self.formula_width if self.formula_row == number else 0
        while len(values) > keep and is_blank(values[-1]):
            values.pop()
        if not values:
            self.pending_blank.append(number)
            return
        self.data_rows += 1
        if self.data_rows > imports.MAX_ROWS + TITLE_ROWS_ALLOWED:
            raise _too_many_rows()
        texts = self.texts
        for position, value in enumerate(values):
            if type(value) is str and len(value) <= _SHARED_TEXT_LENGTH:
                values[position] = texts.setdefault(value, value)
        rows = self.table.rows
        for blank in self.pending_blank:
            rows.append(Row(number=blank, cells=[]))
        self.pending_blank.clear()
        rows.append(Row(number=number, cells=values))

    def finish(self):
        return self.table
