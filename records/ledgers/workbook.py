"""Reading an uploaded legacy ledger into plain rows (issue 15):
read_workbook(file, name) -> records.ledgers.types.Workbook.

The whole file is checked first as the back office checks it
(records.imports.check_import_file: size, content type, zip bomb, an .xls or
password-protected workbook). Then:

- .xlsx: every visible worksheet (hidden ones only when no visible one
  has data), through openpyxl in read-only mode (rows are
  streamed, never the whole sheet's objects at once). A formula cell is read
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
from xml.etree.ElementTree import iterparse

from django.utils.translation import gettext_lazy as _

from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import coordinate_to_tuple, get_column_letter
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import FORMULA_TAG as _FORMULA_TAG
from openpyxl.worksheet._reader import INLINE_STRING as _INLINE_TAG
from openpyxl.worksheet._reader import VALUE_TAG as _VALUE_TAG
from openpyxl.worksheet._reader import _cast_number
from openpyxl.xml.constants import SHEET_MAIN_NS

from records import imports
from records.cells import unescape_text
from records.imports import ImportFileRefused, check_import_file
from records.ledgers.types import FormulaCell, Row, SheetTable, Workbook
from records.resources.widgets import is_blank

# Rows above the header row (titles) a sheet may have beyond MAX_ROWS data
# rows; records.ledgers.headers looks for the header row among as many.
TITLE_ROWS_ALLOWED = 20
_SHARED_TEXT_LENGTH = 32
_ROW_TAG = f"{{{SHEET_MAIN_NS}}}row"
_TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"
_RUN_TAG = f"{{{SHEET_MAIN_NS}}}r"


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
        book = _load_workbook(file)
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


class _SheetWithoutSize(ReadOnlyWorksheet):
    """A read-only worksheet that does not read its whole XML when opened
    to find a size the file does not state (files written in write-only
    mode, this archive's exports among them): _sheet_rows needs none."""

    def _get_size(self):
        pass


class _LedgerReader(ExcelReader):
    """openpyxl's read-only reading (load_workbook), its worksheets
    _SheetWithoutSize; chart sheets are left out (they hold no rows)."""

    def read_worksheets(self):
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            worksheet = _SheetWithoutSize(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


def _load_workbook(file):
    reader = _LedgerReader(file, read_only=True, data_only=False)
    reader.read()
    return reader.wb


def _read_worksheet(worksheet):
    table = _TableBuilder(worksheet.title)
    expected = 1
    for number, cells in _sheet_rows(worksheet):
        if number < expected:
            continue  # a row number repeated or out of order: read-only openpyxl drops it
        while expected < number:  # rows the file leaves out are blank
            table.add(expected, [])
            expected += 1
        expected = number + 1
        values, formulas = _row_values(cells)
        for index in formulas:
            table.formula(number, index)
        table.add(number, values)
    return table.finish()


def _row_values(cells):
    """A row's [(column, value, is formula)] as its values from column A
    (gaps None) and the columns (1 = A) that hold formulas, as read-only
    openpyxl places them: as wide as its last cell."""
    if not cells:
        return [], []
    width = cells[-1][0]
    values, formula = [None] * width, [False] * width
    for column, value, is_formula in cells:
        if 1 <= column <= width:
            values[column - 1], formula[column - 1] = value, is_formula
    return values, [index for index, flag in enumerate(formula, 1) if flag]


def _sheet_rows(worksheet):
    """(row number, [(column, value, is formula)]) of each <row> of a
    read-only worksheet, its values as openpyxl reads them (shared and
    inline strings, numbers, dates by the cell's number format, booleans);
    a formula's value is None. Leaner than openpyxl's cells (a fifth of
    the time on a 100,000-row ledger): the sheet XML's rows only, no cell
    objects."""
    book = worksheet.parent
    reader = _CellReader(worksheet._shared_strings, book.epoch, book._date_formats, book._timedelta_formats)
    number = 0
    with worksheet._get_source() as source:
        for _event, element in iterparse(source):
            if element.tag != _ROW_TAG:
                continue
            given = element.get("r")
            number = _row_number(given) if given else number + 1
            cells, column = [], 0
            for cell in element:
                coordinate = cell.get("r")
                column = reader.column(coordinate) if coordinate else column + 1
                cells.append((column, *reader.value(cell)))
            element.clear()
            yield number, cells


def _row_number(text):
    try:
        return int(text)
    except ValueError:
        value = float(text)
        if not value.is_integer():
            raise
        return int(value)


def _inline_text(element):
    """An inline string's text, as openpyxl's Text(...).content reads it:
    its plain <t> and the <t> of each formatted run <r>, joined (phonetic
    runs left out)."""
    plain, runs = None, []
    for node in element:
        if node.tag == _TEXT_TAG:
            plain = node.text or ""
        elif node.tag == _RUN_TAG:
            text = None
            for part in node:
                if part.tag == _TEXT_TAG:
                    text = part.text or ""
            if text is not None:
                runs.append(text)
    return "".join([plain, *runs] if plain is not None else runs)


class _CellReader:
    """One <c> element's value, as openpyxl's WorkSheetParser.parse_cell
    reads it with data_only=False."""

    def __init__(self, shared_strings, epoch, date_formats, timedelta_formats):
        self.shared_strings, self.epoch = shared_strings, epoch
        self.date_formats, self.timedelta_formats = date_formats, timedelta_formats
        self.columns = {}

    def column(self, coordinate):
        letters = coordinate.rstrip("0123456789")
        index = self.columns.get(letters)
        if index is None:
            index = self.columns[letters] = coordinate_to_tuple(coordinate)[1]
        return index

    def value(self, cell):
        """(value, is formula)"""
        data_type = cell.get("t", "n")
        if cell.find(_FORMULA_TAG) is not None:
            return None, True
        if data_type == "inlineStr":
            child = cell.find(_INLINE_TAG)
            return (None if child is None else _inline_text(child)), False
        value = cell.findtext(_VALUE_TAG, None) or None
        if value is None:
            return None, False
        if data_type == "n":
            return self.number(value, cell.get("s")), False
        if data_type == "s":
            return self.shared_strings[int(value)], False
        if data_type == "b":
            return bool(int(value)), False
        if data_type == "d":
            return from_ISO8601(value), False
        return value, False

    def number(self, text, style):
        value = _cast_number(text)
        style_id = int(style) if style else 0
        if style_id not in self.date_formats:
            return value
        try:
            return from_excel(value, self.epoch, timedelta=style_id in self.timedelta_formats)
        except (OverflowError, ValueError):
            return "#VALUE!"  # openpyxl reads such a date cell as an error


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
