"""Every export of the three lists re-imports through the wizard unchanged
(issue 15): the back office's .xlsx and .csv exports of the records
catalogue, the contract ledger and the client directory, in Chinese and in
English, and the printed registers' Excel files whose rows are one of
those lists (归档文件目录 with its title rows and closing lines, 合同台帐).
The plan is the one the wizard proposes (find_header_row,
propose_mapping); every row is "already there", nothing is written, no
problem is found. Then real legacy-style files: a merged title row, 序号,
no class or year column, serial and text dates, blank rows, a GBK CSV."""
import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from clients.models import Client, ClientContact
from clients.resources import ClientResource
from contracts.models import Contract, ContractHolding
from contracts.registers import ledger_register
from contracts.resources import ContractResource
from contracts.selectors import ledger_contracts
from records.ledgers.headers import find_header_row, propose_mapping
from records.ledgers.kinds import ledger_kind
from records.ledgers.run import check_ledger, import_ledger
from records.ledgers.types import LedgerPlan
from records.ledgers.workbook import read_workbook
from records.models import Record, RecordStatus, SecurityLevel
from records.registers import catalogue_records, catalogue_register
from records.resources import RecordResource
from records.resources.formats import SafeCSV, SafeXLSX
from records.services import record_file
from tests.clients.test_import_directory import good_rows as client_rows
from tests.clients.test_import_directory import run as import_clients
from tests.contracts.ledger_support import AGREEMENT_HOLDINGS, make_contract
from tests.factories import RecordFactory, category
from tests.records.ledgers.ledger_support import legacy_rows, legacy_xlsx, serial_date
from tests.records.ledgers.support import as_upload, make_csv
from tests.spreadsheets import xlsx_bytes


def counts():
    return (
        Record.objects.count(), Record.history.count(), Contract.objects.count(), ContractHolding.objects.count(),
        Client.objects.count(), ClientContact.objects.count(),
    )


def proposed_plan(workbook, kind_code, **fills):
    sheet = workbook.sheets[0]
    kind = ledger_kind(kind_code)
    header_row = find_header_row(sheet, kind)
    assert header_row is not None
    mapping = propose_mapping(sheet, header_row, kind)
    return LedgerPlan(kind=kind_code, sheet_name=sheet.name, header_row=header_row, mapping=list(mapping),
                      fills=fills)


def assert_unchanged_by_the_wizard(data, name, kind_code, user, rows, **fills):
    """Read `data` as the wizard does, check and import it: every row is
    already there."""
    workbook = read_workbook(as_upload(data, name), name)
    plan = proposed_plan(workbook, kind_code, **fills)
    before = counts()
    checked = check_ledger(workbook, plan, user)
    assert [problem.message for problem in checked.problems] == []
    assert checked.totals == {"new": 0, "skip": rows}, plan.mapping
    assert import_ledger(workbook, plan, user) == {"new": 0, "skip": rows}
    assert counts() == before
    return plan


@pytest.fixture
def archive(archivist, staff):
    """Filed and submitted records (one title a spreadsheet would take for
    a formula), contracts with holdings, clients with contacts."""
    filed = []
    for index, title in enumerate(["户外广告合同汇编", "=HYPERLINK(\"http://example.com\")", "渠道备案"]):
        record = RecordFactory(
            title=title, year=2024, document_date=datetime.date(2024, 3, index + 1), document_number=f"市场〔2024〕{index}号",
            notes="原件" if index else "", pages=index + 2, security_level=SecurityLevel.INTERNAL,
        )
        filed.append(record_file(record=record, by=archivist))
    RecordFactory(title="待归档的通知", year=2024)
    make_contract(archivist, "HT-A", counterparty_name="甲建材有限公司", amount=Decimal("1200.50"), ends_in=10,
                  holdings=AGREEMENT_HOLDINGS)
    make_contract(archivist, "HT-B", counterparty_name="乙建材有限公司", amount=Decimal("300.00"),
                  signed_on=datetime.date(2024, 5, 6))
    _result, messages = import_clients(xlsx_bytes(client_rows(staff.display_name)), user=archivist)
    assert messages == []
    return filed


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
@pytest.mark.parametrize(
    "kind_code, resource_class", [("records", RecordResource), ("contracts", ContractResource),
                                  ("clients", ClientResource)]
)
def test_every_back_office_export_re_imports_unchanged(archive, archivist, kind_code, resource_class,
                                                       file_format, language):
    with translation.override(language):
        dataset = resource_class(user=archivist).export()
        if file_format == "xlsx":
            data = SafeXLSX().export_data(dataset)
        else:
            data = SafeCSV().export_data(dataset).encode("utf-8-sig")
        assert_unchanged_by_the_wizard(data, f"export.{file_format}", kind_code, archivist, rows=len(dataset))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_printed_catalogue_re_imports_unchanged(archive, archivist, language):
    """归档文件目录: a title and a subtitle above the headers, the date as
    eight digits, the totals and signature lines below; its class and year
    are the page's choice, as they were the register's."""
    with translation.override(language):
        register = catalogue_register(archivist, category=category("HTDL"), year=2024)
        listed = catalogue_records(archivist, category=category("HTDL"), year=2024).count()
        assert listed == 5  # the three records and the two contracts' records
        plan = assert_unchanged_by_the_wizard(
            register.to_xlsx(), "catalogue.xlsx", "records", archivist, rows=listed, category_code="HTDL",
            year_from_date=True,
        )
    assert plan.header_row == 3


def test_the_printed_contract_ledger_re_imports_unchanged(archive, archivist):
    contracts = ledger_contracts(archivist, filters={}, today=datetime.date(2024, 6, 1))
    data = ledger_register(contracts, today=datetime.date(2024, 6, 1), reader=archivist).to_xlsx()
    assert_unchanged_by_the_wizard(data, "ledger.xlsx", "contracts", archivist, rows=2)


# --- legacy-style ledgers -----------------------------------------------------------------


def test_a_legacy_catalogue_with_a_title_row_serial_no_and_mixed_dates_imports(archivist):
    translation.activate("en")
    rows = legacy_rows(4)
    rows.insert(2, [None] * 7)  # a blank row in the middle
    rows.insert(3, [99, None, None, None, None, None, None])  # a numbered empty line
    workbook = read_workbook(as_upload(legacy_xlsx(rows), "2023年目录.xlsx"), "2023年目录.xlsx")
    plan = proposed_plan(workbook, "records", category_code="HTDL", year_from_date=True)
    assert plan.header_row == 2
    assert plan.mapping == ["", "document_number", "responsible_party", "title", "document_date", "pages", "notes"]
    checked = check_ledger(workbook, plan, archivist)
    assert checked.problems == [] and checked.totals == {"new": 4, "skip": 0}
    assert "2 blank rows were skipped." in checked.notes
    before = Record.objects.count()
    assert import_ledger(workbook, plan, archivist) == {"new": 4, "skip": 0}
    assert Record.objects.count() == before + 4
    first = Record.objects.get(title="关于渠道备案的通知（第1号）")
    assert first.document_date == serial_date(1) and first.year == 2023 and first.category.code == "HTDL"
    assert first.status == RecordStatus.SUBMITTED and first.archive_number is None
    assert Record.objects.get(title="关于渠道备案的通知（第2号）").document_date == datetime.date(2023, 5, 3)


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_a_legacy_csv_in_gbk_or_utf8_imports_without_mojibake(archivist, encoding):
    rows = [["文件题名", "成文日期", "责任者"], ["关于展会布展的请示", "2023/6/1", "市场部"],
            ["", "", ""], ["关于宣传册印制的报告", "2023.6.2", "办公室"]]
    workbook = read_workbook(as_upload(make_csv(rows, encoding), "目录.csv"), "目录.csv")
    plan = proposed_plan(workbook, "records", category_code="HTDL", year_from_date=True)
    assert import_ledger(workbook, plan, archivist) == {"new": 2, "skip": 0}
    record = Record.objects.get(title="关于宣传册印制的报告")
    assert record.responsible_party == "办公室" and record.document_date == datetime.date(2023, 6, 2)
