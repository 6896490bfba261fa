"""How one value becomes a spreadsheet cell, in every Excel workbook and CSV
table the archive writes: the printed registers (records.printing) and the
back office's exports (records.resources.formats).

The one rule (issue 10, safe exports): text beginning with = + - @ or a
control character (tab, CR, LF …) could be read by a spreadsheet as a
formula, which is how spreadsheet injection works (=HYPERLINK(…),
=cmd|' /C calc'!A0). Such text stays text:

- in an .xlsx workbook the cell is written as text with Excel's quote prefix
  (what typing a leading apostrophe does): the value is unchanged, Excel
  shows it as typed and never evaluates it;
- in a CSV table, which has no cell types, the text gets a leading
  apostrophe (escape_text); reading a CSV back removes exactly that
  apostrophe (unescape_text), so an export imports back unchanged.

Only text is escaped: numbers, dates and empty cells are written as they
are, and a text that is a plain number ("-5", "-1234.50": what a CSV export
makes of an amount) is a number to a spreadsheet, not a formula.
"""
import datetime
import re
from decimal import Decimal

from django.utils import timezone

# Leading apostrophes are part of the pattern so that escaping stays
# reversible: "'=x" (a text that really starts with an apostrophe) is
# escaped to "''=x" and read back as "'=x".
_FORMULA_START = re.compile(r"'*[=+\-@\x00-\x1f\x7f]")
_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_ILLEGAL_XLSX_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def formula_like(value):
    """True for text a spreadsheet could read as a formula (see above)."""
    return (
        isinstance(value, str)
        and _FORMULA_START.match(value) is not None
        and _PLAIN_NUMBER.fullmatch(value) is None
    )


def escape_text(value):
    """A CSV cell: formula-like text gets a leading apostrophe; every other
    value is returned unchanged."""
    return "'" + value if formula_like(value) else value


def unescape_text(value):
    """The inverse of escape_text, for a cell read from a CSV table: removes
    the one apostrophe escape_text added, and changes nothing else."""
    if isinstance(value, str) and value.startswith("'") and formula_like(value[1:]):
        return value[1:]
    return value


def xlsx_value(value):
    """A Python value as openpyxl stores it: local wall-clock times (Excel
    has no time zones) and text without the control characters XML cannot
    hold."""
    if value is None or isinstance(value, (int, float, Decimal, bool)):
        return value
    if isinstance(value, datetime.datetime):
        return timezone.make_naive(value) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value
    return _ILLEGAL_XLSX_CHARACTERS.sub("", str(value))


def xlsx_cell(sheet, value, **style):
    """A write-only cell holding `value`. Text is always a text cell (never
    a formula); formula-like text also carries the quote prefix, so it stays
    text when someone edits the cell."""
    from openpyxl.cell import WriteOnlyCell

    stored = xlsx_value(value)
    cell = WriteOnlyCell(sheet, value=stored)
    if isinstance(stored, str):
        cell.data_type = "s"
        if formula_like(stored):
            cell.quotePrefix = True
    for name, style_value in style.items():
        setattr(cell, name, style_value)
    return cell
