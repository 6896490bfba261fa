"""Checks on a spreadsheet before django-import-export reads it, and the one
code path that imports a catalogue file (used by the back office and by
benchmarks/import_ledger.py).

A file is refused as a whole, before any row is read, when:

- it is larger than MAX_FILE_BYTES;
- its content is not an .xlsx workbook or a CSV text, whatever its name says
  (records.files.identify reads the bytes);
- it is a zip bomb: its members unpack to more than MAX_UNCOMPRESSED_BYTES
  in all, or one member unpacks to more than MAX_COMPRESSION_RATIO times its
  packed size;
- it is an old Excel 97-2003 workbook (.xls) or a password-protected one
  (both are OLE2 compound files): the message says to save it as .xlsx;
- it has more than MAX_ROWS data rows;
- a cell holds a formula (an .xlsx formula, or a CSV cell starting with
  "="): the archive keeps values, and a formula is also how spreadsheet
  injection works. The message names every such cell (the first
  MAX_FORMULAS_NAMED of them, and how many there are), not only the first.

check_import_file makes the checks of the whole file (size, type, zip bomb)
without reading cells; the legacy-ledger wizard (records.ledgers.workbook)
reads the cells itself and collects formulas as problems.

Row numbers in every message are the spreadsheet's own: the header is row
1, the first data row is row 2.

A CSV is read through records.resources.formats.SafeCSV, which undoes the
apostrophe an export puts before formula-like text (records.cells), so an
export imports back unchanged. The back office's confirmation of a previewed
import is SignedConfirmImportForm (records.import_files).
"""
import csv
import io
import re
import struct
import zipfile
from xml.etree import ElementTree

from django import forms
from django.utils.translation import gettext_lazy as _
from import_export.forms import ConfirmImportForm, ImportForm
from openpyxl.utils import get_column_letter

from core.exceptions import ActionRefused
from core.text import join_items
from records.files import ContentNotAllowed, NameMismatch, identify
from records.files import types as file_types
from records.files.containers import OLE2_SIGNATURE, ole2_entry_names
from records.import_files import ConfirmationExpired, ConfirmationForged, check_confirmation
from records.ledgers.layout import shown_row
from records.resources.formats import SafeCSV, SafeXLSX
from records.xlsx_rows import TooManyRows

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_ROWS = 200_000
MAX_FORMULAS_NAMED = 10
HEADER_ROWS = 1


class ImportFileRefused(ActionRefused):
    """The file cannot be imported; the message says why, for the user."""


def validate_import_file(file, name):
    """Check an uploaded file (a seekable binary file object) named `name`.

    Returns ("xlsx", None) or ("csv", charset); raises ImportFileRefused."""
    kind, charset = check_import_file(file, name)
    if kind == "xlsx":
        _check_xlsx_cells(file)
    else:
        _check_csv_cells(file, charset)
    file.seek(0)
    return kind, charset


def check_import_file(file, name):
    """The checks of the whole file, no cell read: size, content type, an
    old or encrypted Excel file, a zip bomb. Returns ("xlsx", None) or
    ("csv", charset); raises ImportFileRefused."""
    file.seek(0, io.SEEK_END)
    size = file.tell()
    file.seek(0)
    if size > MAX_FILE_BYTES:
        raise ImportFileRefused(
            _("The file is %(size)d MB; files up to %(limit)d MB can be imported.")
            % {"size": -(-size // (1024 * 1024)), "limit": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if size == 0:
        raise ImportFileRefused(_("The file is empty."))
    _check_old_excel(file)
    file_type, charset = _identified(file, name)
    if file_type is file_types.XLSX:
        _check_zip(file)
        file.seek(0)
        return "xlsx", None
    if file_type is file_types.CSV:
        file.seek(0)
        return "csv", charset
    raise ImportFileRefused(
        _("The file is a %(type)s; only Excel workbooks (.xlsx) and CSV tables can be imported.")
        % {"type": file_type.label}
    )


def _identified(file, name):
    try:
        identified = identify(file, name)
    except ContentNotAllowed as refusal:
        raise ImportFileRefused(
            _("The file is not an Excel workbook (.xlsx) or CSV table: it looks like %(description)s.")
            % {"description": refusal.description}
        ) from None
    except NameMismatch as mismatch:
        raise ImportFileRefused(
            _("The file is named %(extension)s but its content is a %(type)s; only .xlsx and .csv can be imported.")
            % {"extension": mismatch.extension or _("(no extension)"), "type": mismatch.file_type.label}
        ) from None
    return identified.file_type, identified.content_type.partition("charset=")[2] or "utf-8"


def _check_old_excel(file):
    """A password-protected workbook is an OLE2 file holding an
    EncryptedPackage stream, whatever its name; an .xls workbook is OLE2
    too. Both are refused with what to do instead."""
    file.seek(0)
    if file.read(len(OLE2_SIGNATURE)) != OLE2_SIGNATURE:
        file.seek(0)
        return
    try:
        names = ole2_entry_names(file)
    except (ValueError, struct.error):
        names = set()
    file.seek(0)
    if "EncryptedPackage" in names:
        raise ImportFileRefused(
            _("The workbook is protected by a password; remove the password in Excel and save it again as .xlsx.")
        )
    if names & {"Workbook", "Book"}:
        raise ImportFileRefused(
            _("The file is an old Excel 97-2003 workbook (.xls); open it in Excel and save it as .xlsx.")
        )


def _check_zip(file):
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise ImportFileRefused(_("The workbook is damaged and cannot be read.")) from None
    total = 0
    for member in members:
        total += member.file_size
        packed = max(member.compress_size, 1)
        if member.file_size > MAX_COMPRESSION_RATIO * packed and member.file_size > 1024 * 1024:
            raise ImportFileRefused(
                _("The workbook unpacks to far more than its size (a “zip bomb”); it is refused.")
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ImportFileRefused(
            _("The workbook unpacks to more than %(limit)d MB; it is refused.")
            % {"limit": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)}
        )


def _too_many_rows():
    return ImportFileRefused(
        _("The file has more than %(limit)d rows; split it into smaller files.") % {"limit": MAX_ROWS}
    )


def _formula_refused(row, column):
    return ImportFileRefused(
        _("Row %(row)d, column %(column)s: the cell holds a formula; save the file with values only.")
        % {"row": row, "column": column}
    )


def _formulas_refused(cells, count):
    """One refusal naming the formula cells found (`cells`: up to
    MAX_FORMULAS_NAMED (row, column) pairs; `count`: all of them)."""
    if count == 1:
        return _formula_refused(*cells[0])
    return ImportFileRefused(
        _("%(count)d cells hold formulas (%(cells)s); save the file with values only.")
        % {"count": count, "cells": join_items(f"{column}{row}" for row, column in cells)}
    )


class _Formulas:
    """The formula cells met while checking a file."""

    def __init__(self):
        self.cells = []
        self.count = 0

    def add(self, row, column):
        self.count += 1
        if len(self.cells) < MAX_FORMULAS_NAMED:
            self.cells.append((row, column))

    def refuse(self):
        if self.count:
            raise _formulas_refused(self.cells, self.count)


_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _check_xlsx_cells(file):
    """Formulas and row counts, read from the worksheets' XML with a
    streaming parser (faster than loading the cells through openpyxl, and
    it sees every sheet)."""
    file.seek(0)
    formulas = _Formulas()
    try:
        with zipfile.ZipFile(file) as archive:
            sheets = sorted(
                name for name in archive.namelist() if name.startswith("xl/worksheets/") and name.endswith(".xml")
            )
            for sheet in sheets:
                with archive.open(sheet) as stream:
                    _check_sheet_xml(stream, formulas)
    except (zipfile.BadZipFile, ElementTree.ParseError):
        raise ImportFileRefused(_("The workbook is damaged and cannot be read.")) from None
    formulas.refuse()


def _check_sheet_xml(stream, formulas):
    rows = 0
    cell_ref = ""
    for event, element in ElementTree.iterparse(stream, events=("start", "end")):
        tag = element.tag
        if event == "start":
            if tag == _SHEET_NS + "c":
                cell_ref = element.get("r", "")
            elif tag == _SHEET_NS + "f":
                _formula_at(cell_ref, formulas)
            continue
        if tag == _SHEET_NS + "row":
            rows += 1
            if rows > MAX_ROWS + HEADER_ROWS:
                raise _too_many_rows()
            element.clear()


def _formula_at(cell_ref, formulas):
    match = re.fullmatch(r"([A-Z]+)(\d+)", cell_ref)
    if match is None:
        raise ImportFileRefused(_("A cell holds a formula; save the file with values only."))
    formulas.add(int(match.group(2)), match.group(1))


def _check_csv_cells(file, charset):
    file.seek(0)
    formulas = _Formulas()
    text = io.TextIOWrapper(file, encoding=charset, newline="")
    try:
        for row_number, row in enumerate(csv.reader(text), 1):
            if row_number > MAX_ROWS + HEADER_ROWS:
                raise _too_many_rows()
            for index, value in enumerate(row, 1):
                if value.lstrip().startswith("="):
                    formulas.add(row_number, get_column_letter(index))
    finally:
        text.detach()
    formulas.refuse()


def read_dataset(file, name):
    """Validate the file and read it into a tablib Dataset. A workbook's
    sheet is checked (formulas, rows) while it is read, in one pass."""
    kind, charset = check_import_file(file, name)
    if kind == "csv":
        _check_csv_cells(file, charset)
    file.seek(0)
    data = file.read()
    try:
        if kind == "xlsx":
            return _read_xlsx_dataset(data)
        charset = "utf-8-sig" if charset == "utf-8" else charset
        return SafeCSV(encoding=charset).create_dataset(data.decode(charset))
    except ImportFileRefused:
        raise
    except Exception:  # openpyxl and the csv reader raise many kinds of errors on damaged files
        raise ImportFileRefused(_("The file is damaged and cannot be read.")) from None


def _read_xlsx_dataset(data):
    try:
        dataset, formula_cells = SafeXLSX.read_table(data, max_rows=MAX_ROWS + HEADER_ROWS)
    except TooManyRows:
        raise _too_many_rows() from None
    formulas = _Formulas()
    for row, column in formula_cells:
        formulas.add(row, get_column_letter(column))
    formulas.refuse()
    return dataset


def import_file(resource, file, name, *, user, dry_run):
    """The import as the back office runs it: validate, read, import in one
    transaction. Returns (result, messages); nothing is written unless
    messages is empty and dry_run is False."""
    try:
        dataset = read_dataset(file, name)
    except ImportFileRefused as refusal:
        return None, [str(refusal.message)]
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
        file_name=name,
        user=user,
    )
    return result, error_messages(result)


def error_messages(result):
    """Every problem of an import result as one text each, row and column
    named (the resource words its row messages that way); rows numbered as
    the user's sheet has them (records.ledgers.layout.shown_row)."""
    messages = []
    for error in result.base_errors:
        messages.extend(getattr(error.error, "messages", None) or [str(error.error)])
    for number, errors in result.row_errors():
        for error in errors:
            messages.append(
                str(_("Row %(row)d: %(reason)s") % {"row": shown_row(number), "reason": error.error})
            )
    for invalid in result.invalid_rows:
        for field_messages in invalid.error_dict.values():
            messages.extend(str(message) for message in field_messages)
    return messages


class ValidatedImportForm(ImportForm):
    """The back office's import form: the uploaded file passes
    validate_import_file before django-import-export reads it."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            validate_import_file(upload, upload.name)
        except ImportFileRefused as refusal:
            raise forms.ValidationError(str(refusal.message)) from None
        upload.seek(0)
        return upload


CONFIRMATION_FORGED = _(
    "This import confirmation is not valid; nothing was imported. Upload the file again."
)
CONFIRMATION_STALE = _(
    "This import was already confirmed, cancelled or has expired; nothing was imported. Upload the file again."
)


class SignedConfirmImportForm(ConfirmImportForm):
    """The confirmation of a previewed import: django-import-export's hidden
    fields (file, original name, format, resource) and their signature for
    the uploader (records.import_files). A confirmation whose fields were
    changed, or made for someone else, is invalid; one older than a day has
    expired."""

    signature = forms.CharField(widget=forms.HiddenInput())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        if self.errors or self.user is None:
            raise forms.ValidationError(CONFIRMATION_FORGED, code="forged")
        try:
            check_confirmation(
                cleaned["signature"],
                user=self.user,
                import_file_name=cleaned["import_file_name"],
                original_file_name=cleaned["original_file_name"],
                file_format=cleaned["format"],
                resource=cleaned.get("resource"),
            )
        except ConfirmationExpired:
            raise forms.ValidationError(CONFIRMATION_STALE, code="expired") from None
        except ConfirmationForged:
            raise forms.ValidationError(CONFIRMATION_FORGED, code="forged") from None
        return cleaned
