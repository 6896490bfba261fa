"""Safe exports (issue 10, point 4): every spreadsheet and CSV the archive
writes keeps text beginning with = + - @ or a control character as text,
never a formula (records.cells), and an export imports back unchanged.

Payloads are planted straight in the database (as legacy or imported data
would be), so the test does not depend on what the forms accept."""
import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from import_export.admin import ImportExportMixin

from clients.models import Client
from contracts.models import Contract
from lending import services as lending_services
from records.cells import escape_text, formula_like, unescape_text, xlsx_cell
from records.models import Record
from records.resources.formats import LEDGER_FORMATS
from tests.admin_support import admin_url
from tests.contracts.ledger_support import make_contract
from tests.factories import category
from tests.lending.support import approved_request

PAYLOADS = [
    '=HYPERLINK("http://evil.example/","点击")',
    "+1+1 加号",
    "-2+3 减号",
    "@SUM(A1:A2)",
    "\t=1+1 制表符",
    "\r=1+1 回车",
    "\n=1+1 换行",
    "=cmd|' /C calc'!A0",
]


# -- the rule ---------------------------------------------------------------------------


@pytest.mark.parametrize("text", [*PAYLOADS, "'=already quoted", "''@twice", "'-5% 折扣"])
def test_formula_like_text_is_escaped_and_read_back_exactly(text):
    assert formula_like(text)
    escaped = escape_text(text)
    assert escaped == "'" + text
    assert unescape_text(escaped) == text


@pytest.mark.parametrize(
    "value", ["普通题名", "'引号开头", "-5", "-1234.50", "12", -5, -1.5, None, datetime.date(2024, 3, 1), ""]
)
def test_plain_text_numbers_and_other_values_are_left_alone(value):
    assert escape_text(value) == value
    assert unescape_text(value) == value


def test_every_back_office_import_and_export_uses_the_safe_formats():
    admins = [model_admin for model_admin in admin.site._registry.values() if isinstance(model_admin, ImportExportMixin)]
    assert len(admins) >= 5  # records, contracts, clients, categories, locations
    for model_admin in admins:
        assert [type(f()) for f in model_admin.get_export_formats()] == LEDGER_FORMATS, model_admin
        assert [type(f()) for f in model_admin.get_import_formats()] == LEDGER_FORMATS, model_admin


def read_as_formula(text):
    """What a spreadsheet opening a CSV would take for a formula: = + - @ or
    a control character first, unless the text is a plain number."""
    return re.match(r"[=+\-@\x00-\x1f]", text) is not None and re.fullmatch(r"-?\d+(\.\d+)?", text) is None


# -- every export path ------------------------------------------------------------------


@pytest.fixture
def planted(archivist, filed_record, staff):
    """One record, contract and client per payload, and a loan of each record."""
    records = []
    for number, payload in enumerate(PAYLOADS):
        record = filed_record(title=f"placeholder {number}")
        Record.objects.filter(pk=record.pk).update(title=payload)
        record.refresh_from_db()
        records.append(record)
        contract = make_contract(archivist, f"HT-SAFE-{number}")
        Contract.objects.filter(pk=contract.pk).update(counterparty_name=payload)
        client_row = Client.objects.create(name=f"placeholder {number}", client_type="agent")
        Client.objects.filter(pk=client_row.pk).update(name=payload)
        lending_services.loan_check_out(request=approved_request(staff, record), by=archivist)
    return records


def admin_export(client, model, label):
    """The back office's export of every column of `model` as `label`
    ("xlsx" or "csv"); returns the file's bytes."""
    url = admin_url(model, "export")
    form = client.get(url).context["form"]
    data = {"format": next(value for value, text in form.fields["format"].choices if text == label), "resource": "0"}
    data.update({name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)})
    response = client.post(url, data)
    assert response.status_code == 200, response.content[:300]
    return response.content


def catalogue_xlsx(client):
    response = client.get(reverse("catalogue"), {"category": category("HTDL").pk, "year": 2024, "format": "xlsx"})
    assert response.status_code == 200
    return response.content


def lending_register_xlsx(client):
    today = timezone.localdate().isoformat()
    response = client.get(reverse("lending_register"), {"date_from": today, "date_to": today, "format": "xlsx"})
    assert response.status_code == 200
    return response.content


def ledger_xlsx(client):
    response = client.get(reverse("contract_ledger"), {"format": "xlsx"})
    assert response.status_code == 200
    return response.content


XLSX_EXPORTS = {
    "records back office": lambda client: admin_export(client, Record, "xlsx"),
    "contracts back office": lambda client: admin_export(client, Contract, "xlsx"),
    "clients back office": lambda client: admin_export(client, Client, "xlsx"),
    "catalogue register": catalogue_xlsx,
    "lending register": lending_register_xlsx,
    "contract ledger": ledger_xlsx,
}
CSV_EXPORTS = {
    "records back office": Record,
    "contracts back office": Contract,
    "clients back office": Client,
}


@pytest.mark.parametrize("path", XLSX_EXPORTS)
def test_xlsx_exports_write_every_payload_as_text_never_a_formula(client, archivist, planted, path):
    client.force_login(archivist)
    workbook = openpyxl.load_workbook(io.BytesIO(XLSX_EXPORTS[path](client)), data_only=False)
    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    by_value = {cell.value: cell for cell in cells if isinstance(cell.value, str)}
    for payload in PAYLOADS:
        # The value is the planted text, as a text cell with Excel's quote
        # prefix (it stays text when someone edits it). XML reads a bare CR
        # as a line feed.
        cell = by_value.get(payload.replace("\r", "\n"))
        assert cell is not None, (path, payload)
        assert cell.data_type == "s" and cell.quotePrefix, (path, payload)


@pytest.mark.parametrize("path", CSV_EXPORTS)
def test_csv_exports_put_an_apostrophe_before_every_payload(client, archivist, planted, path):
    client.force_login(archivist)
    text = admin_export(client, CSV_EXPORTS[path], "csv").decode("utf-8-sig")
    cells = [value for row in csv.reader(io.StringIO(text, newline="")) for value in row]
    assert [value for value in cells if read_as_formula(value)] == []
    for payload in PAYLOADS:
        assert "'" + payload in cells, (path, payload)


def test_a_negative_number_stays_a_number():
    # A number is written as a number whatever its sign: "-" starts a
    # formula only in text (records.cells).
    sheet = openpyxl.Workbook(write_only=True).create_sheet()
    cell = xlsx_cell(sheet, -3)
    assert cell.value == -3 and cell.data_type == "n" and not cell.quotePrefix


def test_an_expired_contract_is_exported_in_words_never_as_negative_days(client, archivist):
    contract = make_contract(archivist, "HT-EXPIRED", ends_in=-3)
    client.force_login(archivist)
    sheet = openpyxl.load_workbook(io.BytesIO(ledger_xlsx(client)), data_only=False).active
    days_left = [row[-1] for row in sheet.iter_rows() if row[1].value == "HT-EXPIRED"]
    assert len(days_left) == 1
    assert days_left[0].value == f"已到期（{contract.ends_on.isoformat()}）"
    assert days_left[0].data_type == "s" and not days_left[0].quotePrefix


# -- export, then import: nothing changes -----------------------------------------------

ROUND_TRIP_TITLES = ['=HYPERLINK("http://evil.example/","点击")', "-5% 折扣", "@市场部"]


def admin_import(client, model, content, name, label):
    """Upload `content` to the back office's import, then confirm the preview."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = admin_url(model, "import")
    form = client.get(url).context["form"]
    index = next(value for value, text in form.fields["format"].choices if text == label)
    preview = client.post(url, {"import_file": SimpleUploadedFile(name, content), "format": index, "resource": "0"})
    confirm_form = preview.context.get("confirm_form")
    assert confirm_form is not None, [str(m) for m in preview.context["messages"]] or preview.content[-2000:]
    data = {field: confirm_form[field].value() for field in confirm_form.fields}
    return preview, client.post(admin_url(model, "process_import"), {k: v for k, v in data.items() if v is not None})


@pytest.mark.parametrize("label", ["xlsx", "csv"])
def test_exporting_and_importing_back_changes_nothing(client, archivist, filed_record, label):
    for number, title in enumerate(ROUND_TRIP_TITLES):
        record = filed_record(title=f"placeholder {number}")
        Record.objects.filter(pk=record.pk).update(title=title)
    client.force_login(archivist)
    before = sorted(Record.objects.values_list("pk", "archive_number", "title", "status"))
    history = Record.history.count()

    content = admin_export(client, Record, label)
    preview, done = admin_import(client, Record, content, f"catalogue.{label}", label)

    assert preview.context["result"].totals["skip"] == len(ROUND_TRIP_TITLES)
    assert preview.context["result"].totals["new"] == 0
    assert done.status_code == 302
    assert sorted(Record.objects.values_list("pk", "archive_number", "title", "status")) == before
    assert Record.history.count() == history
