"""The contract ledger exported to Excel and PDF (合同台帐, R-CONTRACT):
the filtered set, with totals, never a contract the reader may not see."""
import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation import override
from openpyxl import load_workbook
from pypdf import PdfReader

from records.models import SecurityLevel
from tests.contracts.ledger_support import AGREEMENT_HOLDINGS, make_contract

LEDGER = reverse("contract_ledger")


@pytest.fixture(autouse=True)
def english(client):
    """Pages in English, so the tests can read their text."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def contracts(archivist):
    return [
        make_contract(
            archivist, "HT-A", counterparty_name="甲建材有限公司", amount=Decimal("1200.50"), ends_in=10,
            holdings=AGREEMENT_HOLDINGS,
        ),
        make_contract(archivist, "HT-B", counterparty_name="乙建材有限公司", amount=Decimal("300.00"), ends_in=200),
        make_contract(
            archivist, "HT-C", counterparty_name="丙广告公司", contract_type="outdoor_advertising",
            signed_on=datetime.date(2023, 6, 1), ends_in=-1,
        ),
        make_contract(
            archivist, "HT-SECRET", counterparty_name="机密建材公司", security_level=SecurityLevel.CONFIDENTIAL,
            amount=Decimal("999999.00"),
        ),
    ]


def sheet_rows(response):
    sheet = load_workbook(BytesIO(response.content)).active
    return [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]


def test_excel_has_the_filtered_rows_and_totals(client, department_head, contracts):
    client.force_login(department_head)
    with override("en"):
        response = client.get(LEDGER, {"counterparty": "建材", "year": 2024, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = sheet_rows(response)
    header_index = next(i for i, row in enumerate(rows) if row and row[1] == "Contract number")
    header = rows[header_index]
    data = [row for row in rows[header_index + 1:] if row[0] in (1, 2, 3, 4)]
    by_number = {row[1]: dict(zip(header, row)) for row in data}
    assert set(by_number) == {"HT-A", "HT-B", "HT-SECRET"}  # the head sees confidential ones
    row = by_number["HT-A"]
    assert row["Counterparty"] == "甲建材有限公司"
    assert Decimal(str(row["Amount"])) == Decimal("1200.50")
    assert row["Currency"] == "CNY"
    assert row["Held by"] == "General manager's office original×1; Marketing department original×1"
    assert row["Days left"] == 10
    flat = [str(cell) for row in rows for cell in row if cell is not None]
    assert "Contracts: 3" in flat
    assert "Total amount (CNY): 1,001,499.50" in flat


def test_excel_leaves_out_confidential_contracts_for_staff_r_lend_4(client, staff, contracts):
    client.force_login(staff)
    response = client.get(LEDGER, {"format": "xlsx"})
    numbers = {row[1] for row in sheet_rows(response) if row and row[0] in (1, 2, 3, 4)}
    assert numbers == {"HT-A", "HT-B", "HT-C"}
    assert "HT-SECRET" not in str(sheet_rows(response))


def test_pdf_prints_the_filtered_ledger(client, archivist, contracts):
    client.force_login(archivist)
    with override("en"):
        response = client.get(LEDGER, {"expired": "on", "format": "pdf"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "Contract ledger" in text
    assert "HT-C" in text
    assert "丙广告公司" in text
    assert "HT-A" not in text and "HT-B" not in text
    assert "Contracts: 1" in text


def test_export_with_invalid_filter_shows_the_page(client, archivist, contracts):
    client.force_login(archivist)
    response = client.get(LEDGER, {"year": "abc", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "year" in response.context["form"].errors
