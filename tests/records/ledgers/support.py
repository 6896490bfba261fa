"""Workbook builders for the ledger wizard's tests (issue 15): real .xlsx
files written by openpyxl and CSV bytes, as a department's legacy ledger
would arrive.

make_xlsx(rows) gives a one-sheet workbook; `rows` is a list of rows, each a
list of cell values (str, int, float, date, datetime, None). A str starting
with "=" is written as a formula (openpyxl's rule), so formula cells are easy
to make. `merged` lists ranges ("A1:F1") merged on the first sheet; `title`
names the first sheet (default "Sheet1"); `sheets` is an optional mapping
{sheet name: rows} of further sheets, written after the first in order (pass
rows=[] with title=None and sheets={...} to get only those).
"""
import csv
import io

from openpyxl import Workbook


def make_xlsx(rows, *, merged=(), sheets=None, title=None):
    workbook = Workbook()
    first = workbook.active
    first.title = title or "Sheet1"
    _fill(first, rows)
    for cell_range in merged:
        first.merge_cells(cell_range)
    for name, sheet_rows in (sheets or {}).items():
        _fill(workbook.create_sheet(title=name), sheet_rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _fill(sheet, rows):
    for row in rows:
        sheet.append(list(row))


def make_csv(rows, encoding="utf-8"):
    """CSV bytes in `encoding` ("utf-8", "utf-8-sig" for a BOM, "gbk",
    "gb18030" …); None cells are written empty."""
    text = io.StringIO(newline="")
    writer = csv.writer(text)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    return text.getvalue().encode(encoding)


def as_upload(data, name):
    """A seekable binary file object as read_workbook takes it."""
    upload = io.BytesIO(data)
    upload.name = name
    return upload
