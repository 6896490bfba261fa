"""Holdings (who keeps which original, R-CONTRACT) in the contract ledger's
"Held by" column: one text form (contracts.holdings) shown on the screens,
in the register and in the export, read back by the all-or-nothing import
with real .xlsx files built in the test."""
import datetime
import io
import re
from io import BytesIO

import openpyxl
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from import_export.formats.base_formats import XLSX
from pypdf import PdfReader

from contracts.holdings import holdings_text, parse_holdings
from contracts.models import Contract, ContractHolding, Holder, OriginalOrCopy
from contracts.resources import ContractResource
from records.history import ChangeReason
from records.imports import import_file
from records.models import Record
from records.resources import ImportCellError
from tests.contracts.ledger_support import AGREEMENT_HOLDINGS, make_contract
from tests.spreadsheets import xlsx_bytes

GM = Holder.GENERAL_MANAGER_OFFICE
MARKETING = Holder.MARKETING
OTHER = Holder.OTHER
ORIGINAL = OriginalOrCopy.ORIGINAL
COPY = OriginalOrCopy.COPY

HEADERS = ["contract number", "contract type", "counterparty", "signed on", "held by"]



def run(content, *, user, language="en"):
    with translation.override(language):
        return import_file(ContractResource(user=user), io.BytesIO(content), "ledger.xlsx", user=user, dry_run=False)


def counts():
    return (
        Record.objects.count(),
        Contract.objects.count(),
        ContractHolding.objects.count(),
        Record.history.count(),
        Contract.history.count(),
        ContractHolding.history.count(),
    )


def holdings_of(number):
    return {
        (holding.holder, holding.original_or_copy, holding.copies)
        for holding in ContractHolding.objects.filter(contract__contract_number=number)
    }


def assert_refused(content, expected, *, user):
    before = counts()
    _result, messages = run(content, user=user)
    assert any(expected in message for message in messages), messages
    assert counts() == before


# --- the text form ----------------------------------------------------------------


@pytest.fixture
def held_contract(archivist):
    """An agreement with an original at each office and two copies with
    marketing; holdings created out of their display order."""
    contract = make_contract(archivist, "HT-HELD")
    ContractHolding.objects.create(contract=contract, holder=MARKETING, original_or_copy=COPY, copies=2)
    ContractHolding.objects.create(contract=contract, holder=MARKETING, original_or_copy=ORIGINAL, copies=1)
    ContractHolding.objects.create(contract=contract, holder=GM, original_or_copy=ORIGINAL, copies=1)
    return contract


def test_r_contract_holdings_text_in_english_sorted_by_holder_then_original(held_contract):
    with translation.override("en"):
        text = holdings_text(held_contract)
    assert text == (
        "General manager's office original×1; Marketing department original×1; Marketing department copy×2"
    )


def test_r_contract_holdings_text_in_chinese_uses_the_chinese_separator(held_contract):
    with translation.override("zh-hans"):
        text = holdings_text(held_contract)
    assert text == "总经办 原件×1；市场部 原件×1；市场部 复印件×2", (
        "the zh-hans catalogue must translate msgctxt 'clause separator' msgid '; ' as '；'"
    )
    assert ";" not in text


def test_holdings_text_of_a_contract_without_holdings_is_empty(archivist):
    assert holdings_text(make_contract(archivist, "HT-NONE")) == ""


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("总经办 原件×1；市场部 原件×1", [(GM, ORIGINAL, 1), (MARKETING, ORIGINAL, 1)]),
        (
            "General manager's office original×1; Marketing department copy×2",
            [(GM, ORIGINAL, 1), (MARKETING, COPY, 2)],
        ),
        ("总经办", [(GM, ORIGINAL, 1)]),
        ("gm_office", [(GM, ORIGINAL, 1)]),
        ("MARKETING copy x3", [(MARKETING, COPY, 3)]),
        ("marketing department COPY X 3", [(MARKETING, COPY, 3)]),
        ("其他*4", [(OTHER, ORIGINAL, 4)]),
        ("市场部复印件2份", [(MARKETING, COPY, 2)]),
        ("市场部 原件 一份", [(MARKETING, ORIGINAL, 1)]),
        ("总经办 ×2", [(GM, ORIGINAL, 2)]),
        ("总经办，市场部", [(GM, ORIGINAL, 1), (MARKETING, ORIGINAL, 1)]),
        ("总经办, 市场部 复印件", [(GM, ORIGINAL, 1), (MARKETING, COPY, 1)]),
        ("总经办;市场部", [(GM, ORIGINAL, 1), (MARKETING, ORIGINAL, 1)]),
        ("总经办、市场部", [(GM, ORIGINAL, 1), (MARKETING, ORIGINAL, 1)]),
        ("总经办 原件×1\n市场部 原件×1", [(GM, ORIGINAL, 1), (MARKETING, ORIGINAL, 1)]),
        ("  Marketing   department   Copy  ×  2 ；", [(MARKETING, COPY, 2)]),
        ("General manager’s office original", [(GM, ORIGINAL, 1)]),
        ("Other copy", [(OTHER, COPY, 1)]),
        ("总经办 原件×1；总经办 复印件×1", [(GM, ORIGINAL, 1), (GM, COPY, 1)]),
        ("", []),
        (None, []),
    ],
)
def test_r_contract_parse_holdings_accepts(cell, expected):
    assert parse_holdings(cell) == expected


@pytest.mark.parametrize(
    "cell, message",
    [
        ("财务部 原件×1", "unknown holder “财务部”"),
        ("财务部", "unknown holder “财务部”"),
        ("总经办 正本×1", "“正本” in “总经办 正本×1” is neither original nor copy"),
        ("总经办×0", "“总经办×0”: the number of copies must be a whole number of at least 1"),
        ("总经办×-1", "“总经办×-1”: the number of copies must be a whole number of at least 1"),
        ("总经办 x -2", "“总经办 x -2”: the number of copies must be a whole number of at least 1"),
        ("总经办 ×abc", "“总经办 ×abc”: the number of copies must be a whole number of at least 1"),
        ("总经办×1.5", "“总经办×1.5”: the number of copies must be a whole number of at least 1"),
        ("总经办×40000", "“总经办×40000”: the number of copies must be a whole number of at least 1"),
        ("总经办×", "“总经办×”: the number of copies must be a whole number of at least 1"),
        ("总经办×1；general manager's office original x2", "General manager's office (Original) is given twice"),
        ("市场部 复印件；marketing copy", "Marketing department (Copy) is given twice"),
    ],
)
def test_r_contract_parse_holdings_refuses(cell, message):
    with translation.override("en"):
        with pytest.raises(ImportCellError) as refused:
            parse_holdings(cell)
        assert str(refused.value) == message


# --- import of new contracts --------------------------------------------------------


def test_r_contract_import_creates_holdings_from_chinese_and_english_labels_with_history(archivist):
    rows = [
        HEADERS,
        ["HT-IMP-1", "Agent agreement", "华东科技有限公司", "2024-04-01", "总经办 原件×1；市场部 原件×1"],
        ["HT-IMP-2", "Other contract", "杭州灯箱厂", "2024-05-06",
         "Marketing department original x1, General manager's office copy*2"],
        ["HT-IMP-3", "Other contract", "某公司", "2024-05-07", ""],
    ]
    before = counts()
    _result, messages = run(xlsx_bytes(rows), user=archivist)
    assert messages == []
    assert holdings_of("HT-IMP-1") == {(GM, ORIGINAL, 1), (MARKETING, ORIGINAL, 1)}
    assert holdings_of("HT-IMP-2") == {(MARKETING, ORIGINAL, 1), (GM, COPY, 2)}
    assert holdings_of("HT-IMP-3") == set()
    assert counts() == tuple(n + delta for n, delta in zip(before, (3, 3, 4, 3, 3, 4)))
    history = ContractHolding.history.filter(contract__contract_number__startswith="HT-IMP")
    assert history.count() == 4
    for row in history:
        assert row.history_type == "+"
        assert row.history_user == archivist
        assert row.history_change_reason == ChangeReason.IMPORTED


def test_r_contract_import_reads_chinese_headers_and_holdings(archivist):
    resource = ContractResource()
    with translation.override("zh-hans"):
        headers = [
            str(resource.fields[name].column_name)
            for name in ("contract_number", "contract_type", "counterparty_name", "signed_on", "held_by")
        ]
    assert headers[-1] == "保管方"
    rows = [headers, ["HT-ZH-1", "代理商协议", "华东科技有限公司", "2024-04-01", "总经办原件1份；市场部原件1份"]]
    _result, messages = run(xlsx_bytes(rows), user=archivist, language="zh-hans")
    assert messages == []
    assert holdings_of("HT-ZH-1") == {(GM, ORIGINAL, 1), (MARKETING, ORIGINAL, 1)}


def test_the_held_by_column_is_optional(archivist):
    rows = [HEADERS[:-1], ["HT-NOCOL", "Other contract", "某公司", "2024-05-07"]]
    _result, messages = run(xlsx_bytes(rows), user=archivist)
    assert messages == []
    assert Contract.objects.filter(contract_number="HT-NOCOL").exists()
    assert holdings_of("HT-NOCOL") == set()


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("财务部 原件×1", "Row 3, column “Held by”: unknown holder “财务部”"),
        ("总经办×0", "Row 3, column “Held by”: “总经办×0”: the number of copies must be a whole number of at least 1"),
        ("总经办 ×两本", "Row 3, column “Held by”: “总经办 ×两本”: the number of copies"),
        ("总经办 原件×1；总经办×2", "Row 3, column “Held by”: General manager's office (Original) is given twice"),
        ("总经办 正本", "Row 3, column “Held by”: “正本” in “总经办 正本” is neither original nor copy"),
    ],
)
def test_r_contract_bad_holdings_cell_refuses_the_whole_file(archivist, cell, expected):
    rows = [
        HEADERS,
        ["HT-OK", "Agent agreement", "华东科技有限公司", "2024-04-01", "总经办 原件×1；市场部 原件×1"],
        ["HT-BAD", "Agent agreement", "杭州灯箱厂", "2024-05-06", cell],
    ]
    assert_refused(xlsx_bytes(rows), expected, user=archivist)
    assert not Contract.objects.filter(contract_number__in=["HT-OK", "HT-BAD"]).exists()


# --- export, re-import, existing contracts ------------------------------------------------


@pytest.fixture
def ledger(archivist, held_contract):
    make_contract(archivist, "HT-AGREE", holdings=AGREEMENT_HOLDINGS)
    make_contract(archivist, "HT-BARE", contract_type="other", amount=None)
    return archivist


def export_xlsx(user, language):
    with translation.override(language):
        return XLSX().export_data(ContractResource(user=user).export())


def exported_rows(content):
    sheet = openpyxl.load_workbook(BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return rows[0], {row[0]: dict(zip(rows[0], row)) for row in rows[1:]}


@pytest.mark.parametrize(
    "language, column, held",
    [
        ("en", "Held by", "General manager's office original×1; Marketing department original×1"),
        ("zh-hans", "保管方", "总经办 原件×1"),
    ],
)
def test_r_contract_export_then_import_with_holdings_changes_nothing(ledger, language, column, held):
    content = export_xlsx(ledger, language)
    headers, rows = exported_rows(content)
    assert column in headers
    assert rows["HT-AGREE"][column].startswith(held)
    assert rows["HT-BARE"][column] in (None, "")
    snapshot = sorted(ContractHolding.objects.values_list("contract_id", "holder", "original_or_copy", "copies"))
    before = counts()
    result, messages = run(content, user=ledger, language=language)
    assert messages == []
    assert result.totals["skip"] == 3
    assert counts() == before
    assert sorted(ContractHolding.objects.values_list("contract_id", "holder", "original_or_copy", "copies")) == snapshot


def _with_cell(content, number, value):
    """The exported workbook with the "Held by" cell of contract `number`
    replaced, plus a new contract that must not be written either."""
    workbook = openpyxl.load_workbook(BytesIO(content))
    sheet = workbook.active
    headers = [cell.value for cell in sheet[1]]
    column = headers.index("Held by") + 1
    row_number = next(row for row in range(2, sheet.max_row + 1) if sheet.cell(row, 1).value == number)
    sheet.cell(row_number, column).value = value
    new_row = [None] * len(headers)
    new_row[headers.index("contract number")] = "HT-NEW"
    new_row[headers.index("contract type")] = "Other contract"
    new_row[headers.index("counterparty")] = "新公司"
    new_row[headers.index("signed on")] = datetime.date(2024, 6, 1)
    new_row[headers.index("Held by")] = "市场部"
    sheet.append(new_row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), row_number


@pytest.mark.parametrize(
    "value",
    [
        "General manager's office original×1; Marketing department original×2",  # another count
        "General manager's office original×1",  # one holding fewer
        "General manager's office original×1; Marketing department copy×1",  # copy instead of original
        "",  # emptied: the column is there, so "no holdings"
    ],
)
def test_r_contract_changed_holdings_of_an_existing_contract_are_refused(ledger, value):
    content, row_number = _with_cell(export_xlsx(ledger, "en"), "HT-AGREE", value)
    assert_refused(
        content,
        f"Row {row_number}, column “Held by”: contract HT-AGREE is already in the ledger with other data",
        user=ledger,
    )
    assert not Contract.objects.filter(contract_number="HT-NEW").exists()
    assert holdings_of("HT-AGREE") == {(GM, ORIGINAL, 1), (MARKETING, ORIGINAL, 1)}


def test_same_holdings_in_another_order_and_spelling_are_the_same(ledger):
    content, _row = _with_cell(export_xlsx(ledger, "en"), "HT-AGREE", "市场部 原件 x1；gm_office")
    before = counts()
    result, messages = run(content, user=ledger)
    assert messages == []
    assert result.totals["skip"] == 3 and result.totals["new"] == 1
    assert counts() == tuple(n + delta for n, delta in zip(before, (1, 1, 1, 1, 1, 1)))
    assert holdings_of("HT-NEW") == {(MARKETING, ORIGINAL, 1)}


def test_without_the_column_holdings_of_existing_contracts_are_not_compared(ledger):
    rows = [HEADERS[:-1], ["HT-AGREE", "Agent agreement", "某代理商", datetime.date(2024, 3, 1)]]
    before = counts()
    result, messages = run(xlsx_bytes(rows), user=ledger)
    assert messages == []
    assert result.totals["skip"] == 1
    assert counts() == before


def test_export_reads_holdings_without_a_query_per_contract(archivist):
    def export_queries():
        with CaptureQueriesContext(connection) as queries:
            ContractResource(user=archivist).export()
        return len(queries)

    for number in ("HT-Q1", "HT-Q2"):
        make_contract(archivist, number, holdings=AGREEMENT_HOLDINGS)
    export_queries()  # fills the caches of a first request (the user's permissions)
    few = export_queries()
    for number in ("HT-Q3", "HT-Q4", "HT-Q5", "HT-Q6"):
        make_contract(archivist, number, holdings=AGREEMENT_HOLDINGS)
    assert export_queries() == few


# --- the printed register ---------------------------------------------------------


def test_r_contract_ledger_pdf_prints_holdings(client, archivist, held_contract):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(archivist)
    with translation.override("en"):
        response = client.get(reverse("contract_ledger"), {"format": "pdf"})
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    # Words wrapped inside the narrow column come out split; compare without spaces.
    flat = re.sub(r"\s+", "", text)
    assert "Generalmanager'sofficeoriginal×1;Marketingdepartmentoriginal×1;Marketingdepartmentcopy×2" in flat
