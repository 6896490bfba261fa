"""A register as an Excel workbook, in openpyxl's write-only mode: rows are
streamed to the file as they are read, so memory stays flat however long
the register is.

Every cell goes through records.cells.xlsx_cell: text that a spreadsheet
could read as a formula stays text (safe exports)."""
import datetime
import re
from decimal import Decimal

from django.utils.translation import gettext as _

from records.cells import xlsx_cell
from records.printing.fonts import PAGE_PLACEHOLDERS

HEADER_ROW = 3  # after the title and the subtitle
PROGRESS_EVERY_ROWS = 500


def write_register_xlsx(register, output, *, progress=None):
    """Write `register` to the binary file `output`; `progress(rows_done,
    rows_total)` every few hundred rows and once at the end (rows_total is
    None when the register does not know its row count)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(register.title))
    _page_setup(sheet, register)
    rows = _table(sheet, register, progress)
    _closing(sheet, register)
    workbook.save(output)
    if progress is not None:
        progress(rows, rows)
    return rows


def _page_setup(sheet, register):
    """Column widths, the frozen and repeated header row, A4 one page
    wide, and the title, print date and page numbers in the margins."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties
    from openpyxl.worksheet.worksheet import Worksheet

    for index, column in enumerate(register.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if register.landscape else "portrait"
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages as needed, one page wide
    sheet.oddHeader.center.text = _header_text(str(register.title))
    sheet.oddFooter.left.text = _header_text(_("Printed on %(date)s") % {"date": register.printed_on.isoformat()})
    sheet.oddFooter.right.text = page_counter_xlsx(_("Page %(page)s of %(pages)s"))


def _table(sheet, register, progress):
    """Title, subtitle, the header row and one bordered row per row; the
    number of rows written."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    sheet.append([xlsx_cell(sheet, str(register.title), font=Font(bold=True, size=14))])
    sheet.append([xlsx_cell(sheet, str(register.subtitle))])
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header_fill = PatternFill("solid", fgColor="DDDDDD")
    header_alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.append([
        xlsx_cell(sheet, str(column.label), font=Font(bold=True), border=border, fill=header_fill,
                  alignment=header_alignment)
        for column in register.columns
    ])
    wrap = Alignment(vertical="top", wrap_text=True)
    done = 0
    for done, values in enumerate(register.value_rows(), start=1):
        sheet.append([
            xlsx_cell(sheet, value, border=border, alignment=wrap, **_number_format(column, value))
            for column, value in zip(register.columns, values)
        ])
        if progress is not None and done % PROGRESS_EVERY_ROWS == 0:
            progress(done, register.row_count)
    return done


def _closing(sheet, register):
    """Summaries, footer lines (totals) and signature blanks after a blank row."""
    if register.summaries or register.footer_lines or register.signatures:
        sheet.append([])
    for summary in register.summaries:
        _summary(sheet, summary)
    for line in register.footer_lines:
        sheet.append([xlsx_cell(sheet, str(line))])
    if register.signatures:
        sheet.append([xlsx_cell(sheet, signature_text(label)) for label in register.signatures])


def _summary(sheet, summary):
    """Its heading, its labels (if any) and its rows, then a blank row."""
    from openpyxl.styles import Font

    sheet.append([xlsx_cell(sheet, str(summary.heading), font=Font(bold=True))])
    if summary.labels:
        sheet.append([xlsx_cell(sheet, str(label), font=Font(bold=True)) for label in summary.labels])
    for row in summary.rows:
        sheet.append([xlsx_cell(sheet, value) for value in row])
    sheet.append([])


def page_counter_xlsx(pattern):
    """'Page %(page)s of %(pages)s' as an Excel header/footer code: &P and &N."""
    codes = {"page": "&P", "pages": "&N"}
    return "".join(
        codes[piece] if index % 2 else _header_text(piece)
        for index, piece in enumerate(PAGE_PLACEHOLDERS.split(pattern))
    )


def signature_text(label):
    return _("%(label)s: ________________") % {"label": label}


def _header_text(text):
    return text.replace("&", "&&")


def _sheet_title(title):
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", str(title)).strip()
    return cleaned[:31] or "Register"


def _number_format(column, value):
    """Dates in the column's format (with the time for a datetime), amounts
    with thousands separators."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        fmt = column.xlsx_date_format
        return {"number_format": fmt + " hh:mm" if isinstance(value, datetime.datetime) else fmt}
    if isinstance(value, Decimal):
        return {"number_format": "#,##0.00"}
    return {}
