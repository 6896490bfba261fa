"""Reading an .xlsx worksheet's rows fast: the one reader of workbook cells
for every import (the back office's, records.resources.formats.SafeXLSX,
and the legacy-ledger wizard's, records.ledgers.workbook).

openpyxl opens the workbook in read-only mode (shared strings, styles, the
sheets' list); the rows are then read from the sheet's XML directly, each
cell's value as openpyxl's own parser reads it with data_only=False (shared
and inline strings, numbers, dates by the cell's number format, booleans;
a formula's value is None and the cell is reported). Leaner than openpyxl's
cells: a fifth of the time on a 100,000-row ledger, no cell objects.
"""
from xml.etree.ElementTree import iterparse

from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import coordinate_to_tuple
from openpyxl.utils.datetime import from_excel, from_ISO8601
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import FORMULA_TAG as _FORMULA_TAG
from openpyxl.worksheet._reader import INLINE_STRING as _INLINE_TAG
from openpyxl.worksheet._reader import VALUE_TAG as _VALUE_TAG
from openpyxl.worksheet._reader import _cast_number
from openpyxl.xml.constants import SHEET_MAIN_NS

_ROW_TAG = f"{{{SHEET_MAIN_NS}}}row"
_TEXT_TAG = f"{{{SHEET_MAIN_NS}}}t"
_RUN_TAG = f"{{{SHEET_MAIN_NS}}}r"


def open_workbook(file):
    """The workbook in the seekable binary `file`, read-only: its
    worksheets (chart sheets left out) and `active_worksheet`, the sheet
    the file was saved on (the first worksheet when that is a chart).
    Close it with .close(). openpyxl raises many kinds of errors on a
    damaged file; the callers word them."""
    reader = _SheetsReader(file, read_only=True, data_only=False)
    reader.read()
    book = reader.wb
    book.active_worksheet = reader.active_worksheet or (book.worksheets[0] if book.worksheets else None)
    return book


class TooManyRows(Exception):
    """The sheet goes on past the rows a caller reads (sheet_table)."""


def sheet_table(worksheet, max_rows):
    """(rows, formula cells) of a worksheet as a table: a list of rows from
    row 1, each as wide as the widest (None filled in), blank rows at the
    end dropped; formula cells as (row number, column 1 = A). Raises
    TooManyRows when the sheet has a row numbered above `max_rows` (read
    no further)."""
    rows, formula_cells = [], []
    for number, values, formulas in numbered_rows(worksheet):
        if number > max_rows:
            raise TooManyRows
        rows.append(values)
        formula_cells.extend((number, column) for column in formulas)
    while rows and all(value is None for value in rows[-1]):
        rows.pop()
    width = max((len(row) for row in rows), default=0)
    for row in rows:
        if len(row) < width:
            row.extend([None] * (width - len(row)))
    return rows, formula_cells


def numbered_rows(worksheet):
    """(row number, values, formula columns) for every row from 1 to the
    sheet's last: values from column A (gaps None, as wide as the row's last
    cell), rows the file leaves out as [], a row number repeated or out of
    order dropped (as read-only openpyxl drops it); formula columns 1 = A."""
    expected = 1
    for number, cells in _sheet_rows(worksheet):
        if number < expected:
            continue
        while expected < number:
            yield expected, [], []
            expected += 1
        expected = number + 1
        values, formulas = _row_values(cells)
        yield number, values, formulas


class _SheetWithoutSize(ReadOnlyWorksheet):
    """A read-only worksheet that does not read its whole XML when opened
    to find a size the file does not state (files written in write-only
    mode, this archive's exports among them): _sheet_rows needs none."""

    def _get_size(self):
        pass


class _SheetsReader(ExcelReader):
    """openpyxl's read-only reading (load_workbook), its worksheets
    _SheetWithoutSize; chart sheets are left out (they hold no rows)."""

    active_worksheet = None

    def read_worksheets(self):
        active = self.wb._active_sheet_index
        for index, (sheet, rel) in enumerate(self.parser.find_sheets()):
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            worksheet = _SheetWithoutSize(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)
            if index == active:
                self.active_worksheet = worksheet


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
    read-only worksheet, as the file gives them."""
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
