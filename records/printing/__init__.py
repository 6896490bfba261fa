"""Printed registers: one table, rendered as an A4 PDF (WeasyPrint) or an
Excel workbook (openpyxl). Every register of the archive — the catalogue,
the lending register, handover lists, the contract ledger, disposal lists —
is a `TableRegister`; `records/registers.py` and the other apps' registers
only say which columns and rows.

The PDF repeats the table header on every page, carries a running title, the
print date and "Page x of y" (translated) in the page margins, and embeds the
shipped CJK font so Chinese prints on any machine. It is rendered in chunks
and merged (records.printing.pdf), so a register of thousands of pages needs
no more memory than one of fifty; the workbook is written in openpyxl's
write-only mode (records.printing.xlsx).

    columns.py   Column
    register.py  TableRegister, Summary, RegisterTooLarge
    pdf.py       chunks, page-number stamps and the merge
    render.py    one chunk through WeasyPrint (no Django needed)
    workers.py   render processes
    xlsx.py      the workbook
    fonts.py     the font, its fetcher, CSS text
    http.py      downloads

Nothing this package imports when loaded may need Django's app registry:
the render processes load it without one."""
from records.printing.columns import Column
from records.printing.fonts import _font_only_fetcher_class, css_string, font_url, page_counter_css
from records.printing.http import FORMATS, PDF_CONTENT_TYPE, XLSX_CONTENT_TYPE, content_disposition, file_response
from records.printing.register import RegisterTooLarge, Summary, TableRegister
from records.printing.xlsx import page_counter_xlsx

# Rows a PDF may have unless the register says otherwise (TableRegister.
# max_pdf_rows, read when a register is made): past this many, a PDF would tie
# up a web worker for a minute. Background jobs pass their own limit; the
# Excel file has none.
MAX_PDF_ROWS = 3000

__all__ = [
    "FORMATS",
    "MAX_PDF_ROWS",
    "PDF_CONTENT_TYPE",
    "XLSX_CONTENT_TYPE",
    "Column",
    "RegisterTooLarge",
    "Summary",
    "TableRegister",
    "_font_only_fetcher_class",
    "content_disposition",
    "css_string",
    "file_response",
    "font_url",
    "page_counter_css",
    "page_counter_xlsx",
]
