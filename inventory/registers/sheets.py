"""A register of two sheets, for the stocktake report (盘点报告): the
first holds the heading and the summaries (the totals per box), the
second the rows (every difference and its resolution), each with the
title and the subtitle above. The PDF is records.printing's, unchanged:
summaries on the first page, then the rows.

Written in openpyxl's write-only mode, every cell through
records.cells.xlsx_cell (text that looks like a formula stays text)."""
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from records.cells import xlsx_cell
from records.printing import Summary, TableRegister, page_counter_xlsx

PROGRESS_EVERY_ROWS = 500


@dataclass
class TwoSheetRegister(TableRegister):
    """A TableRegister whose workbook puts the summaries, footer lines and
    signature blanks on a first sheet and the rows on a second."""

    summary_sheet: Any = ""
    rows_sheet: Any = ""

    def write_xlsx(self, output, *, progress=None):
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        first = workbook.create_sheet(title=_sheet_title(self.summary_sheet or self.title))
        _page_setup(first, self, [34, *([12] * 8)])
        _heading(first, self)
        for summary in self.summaries:
            _summary(first, summary)
        for line in self.footer_lines:
            first.append([xlsx_cell(first, str(line))])
        if self.signatures:
            first.append([])
            first.append([xlsx_cell(first, _signature_text(label)) for label in self.signatures])
        second = workbook.create_sheet(title=_sheet_title(self.rows_sheet or self.title))
        _page_setup(second, self, [column.width for column in self.columns])
        rows = _rows(second, self, progress)
        workbook.save(output)
        if progress is not None:
            progress(rows, rows)
        return rows


def _page_setup(sheet, register, widths):
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.worksheet import Worksheet

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if register.landscape else "portrait"
    sheet.oddHeader.center.text = str(register.title).replace("&", "&&")
    sheet.oddFooter.right.text = page_counter_xlsx(_("Page %(page)s of %(pages)s"))


def _heading(sheet, register):
    from openpyxl.styles import Font

    sheet.append([xlsx_cell(sheet, str(register.title), font=Font(bold=True, size=14))])
    sheet.append([xlsx_cell(sheet, str(register.subtitle))])
    sheet.append([])


def _summary(sheet, summary: Summary):
    from openpyxl.styles import Font

    sheet.append([xlsx_cell(sheet, str(summary.heading), font=Font(bold=True))])
    if summary.labels:
        sheet.append([xlsx_cell(sheet, str(label), font=Font(bold=True)) for label in summary.labels])
    for row in summary.rows:
        sheet.append([xlsx_cell(sheet, value if isinstance(value, int) else str(value)) for value in row])
    sheet.append([])


def _rows(sheet, register, progress):
    """The title and subtitle, the header row (row 3, frozen) and the rows."""
    from openpyxl.styles import Alignment, Font

    sheet.freeze_panes = "A4"
    sheet.append([xlsx_cell(sheet, str(register.title), font=Font(bold=True, size=14))])
    sheet.append([xlsx_cell(sheet, str(register.subtitle))])
    sheet.append([xlsx_cell(sheet, str(column.label), font=Font(bold=True)) for column in register.columns])
    wrap = Alignment(vertical="top", wrap_text=True)
    done = 0
    for done, values in enumerate(register.value_rows(), start=1):
        sheet.append([xlsx_cell(sheet, value, alignment=wrap) for value in values])
        if progress is not None and done % PROGRESS_EVERY_ROWS == 0:
            progress(done, register.row_count)
    return done


def _signature_text(label):
    return _("%(label)s: ________________") % {"label": label}


def _sheet_title(title):
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", str(title)).strip()
    return cleaned[:31] or "Sheet"
