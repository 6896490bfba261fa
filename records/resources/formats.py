"""The file formats of every back-office import and export (records
catalogue, contract ledger, client directory, file plan, locations): .xlsx
and .csv, each writing its cells by the one rule of records.cells, so a
title such as =HYPERLINK(…) is text, never a formula (safe exports).

django-import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT stays off
(settings): the library's escaping deletes the leading "=" (so the exported
title is no longer the record's, and re-importing it is refused as a
change), writes every number and date as text and every empty cell as
"None", and leaves + - @ and tab alone. These formats ignore it.

Reading a CSV undoes exactly what writing it added (records.cells
.unescape_text), so an export imports back unchanged; an .xlsx keeps its
values as they are and needs nothing undone.
"""
from io import BytesIO

import tablib
from import_export.formats.base_formats import CSV, XLSX

from records.cells import escape_text, unescape_text, xlsx_cell


def _map_cells(dataset, function):
    """A copy of `dataset` with `function` applied to each data cell (the
    header row is ours and left as it is)."""
    mapped = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        mapped.append([function(value) for value in row])
    return mapped


class SafeXLSX(XLSX):
    """.xlsx: a bold, frozen header row, then one row per exported row;
    text cells are text (records.cells.xlsx_cell)."""

    def export_data(self, dataset, **kwargs):
        from openpyxl import Workbook
        from openpyxl.styles import Font

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=(dataset.title or "Sheet1")[:31])
        if dataset.headers:
            sheet.freeze_panes = "A2"
            bold = Font(bold=True)
            sheet.append([xlsx_cell(sheet, header, font=bold) for header in dataset.headers])
        for row in dataset:
            sheet.append([xlsx_cell(sheet, value) for value in row])
        output = BytesIO()
        workbook.save(output)
        return output.getvalue()

    def create_dataset(self, in_stream, **kwargs):
        """The sheet the workbook was saved on, its first row the headers."""
        return self.read_table(in_stream, max_rows=None)[0]

    @staticmethod
    def read_table(in_stream, *, max_rows):
        """(dataset, formula cells as (row, column 1 = A)) of the sheet the
        workbook was saved on, read by records.xlsx_rows (a formula's value
        is None). Rows are made as wide as the widest (a sheet written row by
        row, like the registers, has rows of different lengths, which tablib
        refuses in English); a ledger with title rows above its headers is
        the import wizard's work (records.ledgers), and here its title
        becomes an unknown column. Raises records.xlsx_rows.TooManyRows when
        the sheet has more than `max_rows` rows (None: no limit)."""
        from records.xlsx_rows import open_workbook, sheet_table

        book = open_workbook(BytesIO(in_stream))
        try:
            sheet = book.active_worksheet
            rows, formula_cells = sheet_table(sheet, max_rows or float("inf")) if sheet else ([], [])
        finally:
            book.close()
        dataset = tablib.Dataset()
        if rows:
            dataset.headers = rows[0]
            dataset.extend(rows[1:])
        return dataset, formula_cells


class SafeCSV(CSV):
    """.csv: formula-like text is written with a leading apostrophe, and
    that apostrophe is removed again when the file is read."""

    def export_data(self, dataset, **kwargs):
        return _map_cells(dataset, escape_text).export(self.get_title(), **kwargs)

    def create_dataset(self, in_stream, **kwargs):
        return _map_cells(super().create_dataset(in_stream, **kwargs), unescape_text)


#: The formats offered by every back-office import and export.
LEDGER_FORMATS = [SafeXLSX, SafeCSV]
