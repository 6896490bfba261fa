"""Printed registers: one table, rendered as an A4 PDF (WeasyPrint) or an
Excel workbook (openpyxl). Every register of the archive — the catalogue,
the lending register, handover lists, the contract ledger, disposal lists —
is a `TableRegister`; `records/registers.py` and the other apps' registers
only say which columns and rows.

Every cell of the Excel file goes through records.cells.xlsx_cell: text
that a spreadsheet could read as a formula stays text (safe exports).

The PDF repeats the table header on every page, carries a running title, the
print date and "Page x of y" (translated) in the page margins, and embeds the
shipped CJK font so Chinese prints on any machine.
"""
import datetime
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from typing import Any, Callable, Iterable
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exceptions import ActionRefused
from records.access_log import log_access_many
from records.cells import xlsx_cell
from records.models import AccessAction

PDF_CONTENT_TYPE = "application/pdf"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"pdf": (PDF_CONTENT_TYPE, "pdf"), "xlsx": (XLSX_CONTENT_TYPE, "xlsx")}

# WeasyPrint needs ~0.3 s and tens of MB per page of a register table, growing
# faster than linearly (shared/docs/pitfalls.md). Past this many rows a PDF
# would tie up a web worker for a minute; the Excel file has no such limit.
MAX_PDF_ROWS = 3000

_PAGE_PLACEHOLDERS = re.compile(r"%\((page|pages)\)s")
_FONT_FAMILY = "Archive CJK"


class RegisterTooLarge(ActionRefused):
    """The register has more rows than a PDF can be built from in a request."""


def _attribute_getter(path):
    def get(row):
        value = row
        for name in path.split("."):
            if value is None:
                return None
            value = getattr(value, name)
        return value() if callable(value) else value

    return get


@dataclass
class Column:
    """One column: a label (a translatable msgid), a width in character
    units (the Excel width; the PDF shares the page in the same proportions),
    and a getter, either a callable `row -> value` or a dotted attribute path.
    Values may be str, int, Decimal, date, datetime or None."""

    label: Any
    getter: Callable[[Any], Any] | str
    width: float = 12
    align: str = "left"  # left, center or right
    date_format: str = "%Y-%m-%d"  # PDF text of dates
    xlsx_date_format: str = "yyyy-mm-dd"

    def __post_init__(self):
        if isinstance(self.getter, str):
            self.getter = _attribute_getter(self.getter)
        if self.align not in ("left", "center", "right"):
            raise ValueError(f"align must be left, center or right, not {self.align!r}")

    def value(self, row):
        return self.getter(row)

    def text(self, value):
        """The value as printed in the PDF."""
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return value.strftime(self.date_format + " %H:%M")
        if isinstance(value, datetime.date):
            return value.strftime(self.date_format)
        if isinstance(value, Decimal):
            # Amounts, with thousands separators like the totals line.
            return f"{value:,.2f}"
        return str(value)


@dataclass
class TableRegister:
    """A register: title, a subtitle saying what was selected, columns and
    rows, and footer lines (totals) and signature blanks after the table.

    `rows` is consumed once per output; pass a queryset (or a callable
    returning a fresh iterable) to build both outputs from one register.
    `row_count`, when known in advance, lets `to_pdf` refuse a register too
    long to print in a request before any work is done."""

    title: Any
    columns: list[Column]
    rows: Iterable[Any] | Callable[[], Iterable[Any]]
    subtitle: Any = ""
    footer_lines: list[Any] = field(default_factory=list)
    signatures: list[Any] = field(default_factory=list)
    filename: str = "register"
    landscape: bool = True
    numbered: bool = True  # a leading "No." column, 1, 2, 3...
    row_count: int | None = None
    printed_on: datetime.date | None = None
    # Who prints it and the records it lists (a Record queryset): each
    # confidential one leaves an access-log row when the file is made (R-ACCESS).
    reader: Any = None
    listed_records: Any = None

    def __post_init__(self):
        if self.numbered:
            self.columns = [
                Column(gettext_lazy("No."), getter=lambda row: None, width=7, align="center"),
                *self.columns,
            ]
        if self.printed_on is None:
            self.printed_on = timezone.localdate()

    # -- data ---------------------------------------------------------------
    def _iter_rows(self):
        rows = self.rows() if callable(self.rows) else self.rows
        if hasattr(rows, "iterator") and not getattr(rows, "_result_cache", None):
            # A queryset: stream it instead of caching thousands of models.
            rows = rows.iterator(chunk_size=500)
        return rows

    def value_rows(self):
        """Each row as a list of Python values, one per column."""
        first = 1 if self.numbered else 0
        for number, row in enumerate(self._iter_rows(), start=1):
            values = [column.value(row) for column in self.columns[first:]]
            yield [number, *values] if self.numbered else values

    def text_rows(self):
        """Each row as (text, alignment) pairs, as the PDF prints it."""
        for values in self.value_rows():
            yield [(column.text(value), column.align) for column, value in zip(self.columns, values)]

    # -- PDF ----------------------------------------------------------------
    def to_pdf(self) -> bytes:
        if self.row_count is not None and self.row_count > MAX_PDF_ROWS:
            raise RegisterTooLarge(
                _("%(count)d rows are too many for one PDF (at most %(max)d); narrow the selection or use Excel.")
                % {"count": self.row_count, "max": MAX_PDF_ROWS}
            )
        from weasyprint import HTML

        html = render_to_string("records/pdf/table_register.html", self._pdf_context())
        return HTML(string=html, url_fetcher=_font_only_fetcher_class()()).write_pdf()

    def _pdf_context(self):
        total = sum(column.width for column in self.columns)
        return {
            "language_code": get_language() or settings.LANGUAGE_CODE,
            "title": self.title,
            "subtitle": self.subtitle,
            "columns": [
                {"label": column.label, "percent": f"{100 * column.width / total:.3f}", "align": column.align}
                for column in self.columns
            ],
            "rows": self.text_rows(),
            "footer_lines": self.footer_lines,
            "signatures": self.signatures,
            "font_family": _FONT_FAMILY,
            "font_url": font_url(),
            "page_size": "A4 landscape" if self.landscape else "A4 portrait",
            "printed_on_css": css_string(_("Printed on %(date)s") % {"date": self.printed_on.isoformat()}),
            "page_of_css": page_counter_css(_("Page %(page)s of %(pages)s")),
        }

    # -- Excel --------------------------------------------------------------
    def to_xlsx(self) -> bytes:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=_sheet_title(self.title))
        self._xlsx_page_setup(sheet)
        self._xlsx_table(sheet)
        self._xlsx_closing(sheet)
        output = BytesIO()
        workbook.save(output)
        return output.getvalue()

    _XLSX_HEADER_ROW = 3  # after the title and the subtitle

    def _xlsx_page_setup(self, sheet):
        """Column widths, the frozen and repeated header row, A4 one page
        wide, and the title, print date and page numbers in the margins."""
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.properties import PageSetupProperties
        from openpyxl.worksheet.worksheet import Worksheet

        for index, column in enumerate(self.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        header_row = self._XLSX_HEADER_ROW
        sheet.freeze_panes = f"A{header_row + 1}"
        sheet.print_title_rows = f"{header_row}:{header_row}"
        sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        sheet.page_setup.orientation = "landscape" if self.landscape else "portrait"
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0  # as many pages as needed, one page wide
        sheet.oddHeader.center.text = _xlsx_header_text(str(self.title))
        sheet.oddFooter.left.text = _xlsx_header_text(
            _("Printed on %(date)s") % {"date": self.printed_on.isoformat()}
        )
        sheet.oddFooter.right.text = page_counter_xlsx(_("Page %(page)s of %(pages)s"))

    def _xlsx_table(self, sheet):
        """Title, subtitle, the header row and one bordered row per row."""
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        sheet.append([xlsx_cell(sheet, str(self.title), font=Font(bold=True, size=14))])
        sheet.append([xlsx_cell(sheet, str(self.subtitle))])
        thin = Side(style="thin")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        header_fill = PatternFill("solid", fgColor="DDDDDD")
        header_alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.append(
            [
                xlsx_cell(sheet, str(column.label), font=Font(bold=True), border=border, fill=header_fill,
                          alignment=header_alignment)
                for column in self.columns
            ]
        )
        wrap = Alignment(vertical="top", wrap_text=True)
        for values in self.value_rows():
            sheet.append(
                [
                    xlsx_cell(sheet, value, border=border, alignment=wrap, **_xlsx_number_format(column, value))
                    for column, value in zip(self.columns, values)
                ]
            )

    def _xlsx_closing(self, sheet):
        """Footer lines (totals) and signature blanks after a blank row."""
        if self.footer_lines or self.signatures:
            sheet.append([])
        for line in self.footer_lines:
            sheet.append([xlsx_cell(sheet, str(line))])
        if self.signatures:
            sheet.append([xlsx_cell(sheet, _signature_text(label)) for label in self.signatures])

    # -- HTTP ---------------------------------------------------------------
    def response(self, fmt) -> HttpResponse:
        """The register as a download; `fmt` is "pdf" or "xlsx"."""
        if fmt not in FORMATS:
            raise ValueError(f"Unknown register format {fmt!r}")
        content_type, extension = FORMATS[fmt]
        body = self.to_pdf() if fmt == "pdf" else self.to_xlsx()
        self.log_printed(fmt)
        return file_response(body, content_type=content_type, filename=f"{self.filename}.{extension}")

    def log_printed(self, fmt):
        """One access-log row per confidential record listed, naming the
        register, its selection and the format."""
        if self.reader is None or self.listed_records is None:
            return
        where = " · ".join(part for part in (str(self.title), str(self.subtitle), fmt.upper()) if part)
        log_access_many(user=self.reader, records=self.listed_records, action=AccessAction.PRINTED, where=where)


def file_response(body, *, content_type, filename, as_attachment=True):
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, as_attachment=as_attachment)
    return response


def content_disposition(filename, *, as_attachment=True):
    """RFC 6266 / RFC 5987: a plain ASCII `filename` for old clients and the
    full UTF-8 name in `filename*`, so 归档文件目录.pdf survives every browser."""
    disposition = "attachment" if as_attachment else "inline"
    # Path separators, quotes and control characters have no place in a name.
    clean = re.sub(r'[\x00-\x1f\x7f/\\"]+', "_", filename).strip() or "register"
    fallback = _ascii_fallback(clean)
    header = f'{disposition}; filename="{fallback}"'
    if fallback != clean:
        header += f"; filename*=UTF-8''{quote(clean, safe='')}"
    return header


def _ascii_fallback(filename):
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    ascii_stem = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_stem).strip("-._") or "register"
    return f"{ascii_stem}.{extension}" if extension else ascii_stem


def font_url():
    return settings.PDF_FONT_PATH.resolve().as_uri()


def css_string(text):
    """A CSS string literal holding `text` verbatim (for `content:`)."""
    escaped = []
    for char in str(text):
        if char in '"\\<>' or ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\{ord(char):x} ")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def page_counter_css(pattern):
    """'Page %(page)s of %(pages)s' (or its translation, 第 %(page)s 页 共
    %(pages)s 页) as a CSS `content` value with counter(page)/counter(pages)."""
    parts = []
    for index, piece in enumerate(_PAGE_PLACEHOLDERS.split(pattern)):
        if index % 2:
            parts.append(f"counter({piece})")
        elif piece:
            parts.append(css_string(piece))
    return " ".join(parts) or '""'


def page_counter_xlsx(pattern):
    """The same pattern as an Excel header/footer code: &P and &N."""
    codes = {"page": "&P", "pages": "&N"}
    return "".join(
        codes[piece] if index % 2 else _xlsx_header_text(piece)
        for index, piece in enumerate(_PAGE_PLACEHOLDERS.split(pattern))
    )


def _xlsx_header_text(text):
    return text.replace("&", "&&")


def _signature_text(label):
    return _("%(label)s: ________________") % {"label": label}


def _sheet_title(title):
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", str(title)).strip()
    return cleaned[:31] or "Register"


def _xlsx_number_format(column, value):
    """Dates in the column's format (with the time for a datetime), amounts
    with thousands separators."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        fmt = column.xlsx_date_format
        return {"number_format": fmt + " hh:mm" if isinstance(value, datetime.datetime) else fmt}
    if isinstance(value, Decimal):
        return {"number_format": "#,##0.00"}
    return {}


@functools.cache
def _font_only_fetcher_class():
    # WeasyPrint is imported on first use: it is slow to import and only
    # needed when a PDF is printed.
    from weasyprint.urls import URLFetcher

    class FontOnlyFetcher(URLFetcher):
        """The register HTML needs exactly one resource, the shipped font.
        Data is escaped anyway; refusing every other URL keeps a stray `url()`
        from ever reading the disk or the network."""

        def fetch(self, url, headers=None):
            if url.split("?")[0] != font_url():
                raise ValueError(f"Registers load no resource but the font, not {url}")
            return super().fetch(url, headers)

    return FontOnlyFetcher
