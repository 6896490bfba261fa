"""TableRegister: one table with a title, printed as a PDF or an Excel
workbook. What it prints is said here; how is in records.printing.pdf and
records.printing.xlsx."""
import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from typing import Any, Callable, Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exceptions import ActionRefused
from records.printing.columns import Column
from records.printing.http import FORMATS, file_response

# Rows per chunk of a PDF: ~17 pages of the catalogue. Smaller chunks waste
# more (each drops and redoes its last page, and subsets the font again);
# larger ones take more memory and lay out slower per page
# (benchmarks/registers.py).
CHUNK_ROWS = 300
# Render processes for a register of more than two chunks (records.printing.workers).
PDF_WORKERS = 2
# `max_rows` not given: the register's own max_pdf_rows.
_DEFAULT = object()


class RegisterTooLarge(ActionRefused):
    """The register has more rows than a PDF may be built from here."""


@dataclass
class Summary:
    """A small table printed before a register's rows: on the PDF's first
    page, under the subtitle; in the workbook after the rows, before the
    totals (the data table keeps its header on row 3). Counts by class and
    retention, a destruction's particulars. `labels` may be empty: a table
    of label and value rows. Values are text or numbers (numbers are
    right-aligned)."""

    heading: Any
    rows: list[list[Any]]
    labels: list[Any] = field(default_factory=list)

    def text_rows(self):
        """Each row as (text, alignment) pairs, as the PDF prints it."""
        for row in self.rows:
            yield [
                ("" if value is None else str(value), "right" if isinstance(value, (int, Decimal)) else "left")
                for value in row
            ]


def _default_max_pdf_rows():
    # Read from the package when a register is made, so that a deployment
    # (or a test) that sets records.printing.MAX_PDF_ROWS sets every register's.
    import records.printing

    return records.printing.MAX_PDF_ROWS


@dataclass
class TableRegister:
    """A register: title, a subtitle saying what was selected, columns and
    rows, and footer lines (totals) and signature blanks after the table.

    `rows` is consumed once per output; pass a queryset (or a callable
    returning a fresh iterable) to build both outputs from one register.
    `row_count`, when known in advance, lets the PDF refuse a register too
    long before any work is done, lets progress estimate the pages, and
    decides whether render processes are worth starting."""

    title: Any
    columns: list[Column]
    rows: Iterable[Any] | Callable[[], Iterable[Any]]
    subtitle: Any = ""
    footer_lines: list[Any] = field(default_factory=list)
    signatures: list[Any] = field(default_factory=list)
    summaries: list[Summary] = field(default_factory=list)  # before the rows
    filename: str = "register"
    landscape: bool = True
    numbered: bool = True  # a leading "No." column, 1, 2, 3...
    row_count: int | None = None
    printed_on: datetime.date | None = None
    # Who prints it and the records it lists (a Record queryset): each
    # confidential one leaves an access-log row when the file is made (R-ACCESS).
    reader: Any = None
    listed_records: Any = None
    # The most rows a PDF may have (None: no limit); a background job passes its own.
    max_pdf_rows: int | None = field(default_factory=_default_max_pdf_rows)
    chunk_rows: int | None = CHUNK_ROWS  # None: the whole register as one document
    pdf_workers: int = PDF_WORKERS  # 0 or 1: render in this process

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

    # -- limits -------------------------------------------------------------
    def check_printable(self, fmt, *, max_rows=_DEFAULT):
        """Raise RegisterTooLarge if a PDF of this register has more rows
        than `max_rows` (default: max_pdf_rows; None: no limit). Excel has
        no limit."""
        limit = self.max_pdf_rows if max_rows is _DEFAULT else max_rows
        if fmt == "pdf" and limit is not None and self.row_count is not None and self.row_count > limit:
            raise RegisterTooLarge(
                _("%(count)d rows are too many for one PDF (at most %(max)d); narrow the selection or use Excel.")
                % {"count": self.row_count, "max": limit}
            )

    # -- files --------------------------------------------------------------
    def write_pdf(self, output, *, progress=None, max_rows=_DEFAULT):
        """Write the PDF to the binary file `output`, chunk by chunk
        (records.printing.pdf); the number of pages. `progress(pages_done,
        pages_total_estimate)` after each chunk and once with the exact total."""
        from records.printing.pdf import write_register_pdf

        self.check_printable("pdf", max_rows=max_rows)
        return write_register_pdf(self, output, progress=progress)

    def write_xlsx(self, output, *, progress=None):
        """Write the workbook to the binary file `output`; the number of
        rows. `progress(rows_done, rows_total)` every few hundred rows."""
        from records.printing.xlsx import write_register_xlsx

        return write_register_xlsx(self, output, progress=progress)

    def to_pdf(self) -> bytes:
        output = BytesIO()
        self.write_pdf(output)
        return output.getvalue()

    def to_xlsx(self) -> bytes:
        output = BytesIO()
        self.write_xlsx(output)
        return output.getvalue()

    # -- HTTP ---------------------------------------------------------------
    def response(self, fmt):
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
        # Imported here: render processes import this package without
        # Django's app registry (records.printing.workers).
        from records.access_log import log_access_many
        from records.models import AccessAction

        if self.reader is None or self.listed_records is None:
            return
        where = " · ".join(part for part in (str(self.title), str(self.subtitle), fmt.upper()) if part)
        log_access_many(user=self.reader, records=self.listed_records, action=AccessAction.PRINTED, where=where)
