"""All-or-nothing import of the contract ledger (issue 5, R-CONTRACT), with
real .xlsx files built in the test, through records.imports.import_file."""
import datetime
import io
from decimal import Decimal

from django.utils import translation
from import_export.formats.base_formats import XLSX

from contracts.models import Contract
from contracts.resources import ContractResource
from records.history import ChangeReason
from records.imports import import_file
from records.models import ArchiveSequence, Record, RecordStatus, SearchEntry
from tests.contracts.ledger_support import make_contract
from tests.spreadsheets import xlsx_bytes

HEADERS = ["contract number", "archive number", "title", "contract type", "counterparty", "signed on",
           "term starts", "term ends", "amount", "responsible person"]



def run(content, *, user, name="ledger.xlsx"):
    with translation.override("en"):
        return import_file(ContractResource(user=user), io.BytesIO(content), name, user=user, dry_run=False)


def counts():
    return (Record.objects.count(), Contract.objects.count(), Record.history.count(), Contract.history.count())


def good_rows():
    return [
        HEADERS,
        ["SCB-HT-2019-001", "J001-HTDL·2019-D30-SCB-0005", "华东科技代理商协议", "Agent agreement", "华东科技有限公司",
         datetime.date(2019, 4, 1), datetime.date(2019, 4, 1), datetime.date(2021, 3, 31), 120000, ""],
        ["SCB-HT-2024-017", "", "", "户外广告制作合同", "杭州灯箱厂", "2024-05-06", "", "", "8,500.50", ""],
    ]


def test_ledger_import_creates_contracts_with_records_history_and_index(archivist):
    before = counts()
    _result, messages = run(xlsx_bytes(good_rows()), user=archivist)
    assert messages == []
    assert counts() == (before[0] + 2, before[1] + 2, before[2] + 2, before[3] + 2)
    filed = Contract.objects.get(contract_number="SCB-HT-2019-001")
    assert filed.record.status == RecordStatus.FILED and filed.record.category.code == "HTDL"
    assert filed.record.item_number == 5 and filed.amount == Decimal("120000.00")
    assert ArchiveSequence.objects.get(category__code="HTDL", year=2019).last_item == 5
    waiting = Contract.objects.get(contract_number="SCB-HT-2024-017")
    assert waiting.record.status == RecordStatus.SUBMITTED and waiting.record.category.code == "HTHW"
    assert waiting.contract_type == "outdoor_advertising" and waiting.amount == Decimal("8500.50")
    assert filed.history.get().history_change_reason == ChangeReason.IMPORTED
    assert filed.record.history.get().history_user == archivist
    # The contract's number and party are searchable with its record.
    entry = SearchEntry.objects.get(record=waiting.record)
    assert entry.body_text


def assert_refused(content, expected, *, user):
    before = counts()
    _result, messages = run(content, user=user)
    assert any(expected in message for message in messages), messages
    assert counts() == before


def test_duplicate_contract_number_in_the_file_is_refused(archivist):
    rows = good_rows() + [["SCB-HT-2019-001", "", "", "Other contract", "某公司", "2020-01-01", "", "", "", ""]]
    assert_refused(
        xlsx_bytes(rows), "Row 4, column “contract number”: contract number SCB-HT-2019-001 is also in row 2",
        user=archivist,
    )


def test_contract_number_in_the_database_with_other_data_is_refused(archivist):
    make_contract(archivist, "SCB-HT-2019-001", counterparty_name="别的公司")
    assert_refused(xlsx_bytes(good_rows()), "is already in the ledger with other data", user=archivist)


def test_bad_dates_unknown_type_and_bad_amount_are_refused(archivist):
    rows = good_rows()
    rows[2][5] = "2024-02-30"
    assert_refused(xlsx_bytes(rows), "Row 3, column “signed on”: not a date: 2024-02-30", user=archivist)
    rows = good_rows()
    rows[2][3] = "租赁合同"
    assert_refused(xlsx_bytes(rows), "Row 3, column “contract type”: unknown value 租赁合同", user=archivist)
    rows = good_rows()
    rows[2][8] = "八千"
    assert_refused(xlsx_bytes(rows), "Row 3, column “amount”: not an amount: 八千", user=archivist)
    rows = good_rows()
    rows[1][7] = datetime.date(2018, 1, 1)
    assert_refused(xlsx_bytes(rows), "Row 2, column “term ends”: the term ends before it starts", user=archivist)


def test_missing_column_and_formula_are_refused(archivist):
    rows = [row[:4] + row[5:] for row in good_rows()]
    assert_refused(xlsx_bytes(rows), "Missing column “counterparty”.", user=archivist)
    assert_refused(xlsx_bytes(good_rows(), formula_at="I3"), "Row 3, column I: the cell holds a formula",
                   user=archivist)


def test_archive_number_of_another_year_is_refused(archivist):
    rows = good_rows()
    rows[1][1] = "J001-HTDL·2018-D30-SCB-0005"
    assert_refused(xlsx_bytes(rows), "does not follow the archive number pattern", user=archivist)


def test_ledger_export_then_import_changes_nothing(archivist):
    make_contract(archivist, "SCB-HT-2024-001", amount=Decimal("1234.50"))
    make_contract(archivist, "SCB-HT-2024-002", contract_type="other", amount=None, signed_on=None)
    with translation.override("zh-hans"):
        content = XLSX().export_data(ContractResource(user=archivist).export())
    snapshot = list(Contract.objects.order_by("pk").values())
    before = counts()
    result, messages = run(content, user=archivist)
    assert messages == []
    assert result.totals["skip"] == 2
    assert counts() == before
    assert list(Contract.objects.order_by("pk").values()) == snapshot


def test_admin_ledger_import_previews_then_confirms_and_staff_may_not(client, archivist, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.admin_support import admin_url

    client.force_login(archivist)
    url = admin_url(Contract, "import")
    page = client.get(url)
    assert page.status_code == 200
    xlsx_index = next(value for value, label in page.context["form"].fields["format"].choices if label == "xlsx")
    upload = SimpleUploadedFile(
        "ledger.xlsx", xlsx_bytes(good_rows()),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    before = counts()
    with translation.override("en"):
        preview = client.post(url, {"import_file": upload, "format": xlsx_index, "resource": "0"})
    assert preview.status_code == 200 and counts() == before
    confirm_form = preview.context["confirm_form"]
    data = {name: confirm_form[name].value() for name in confirm_form.fields}
    done = client.post(admin_url(Contract, "process_import"), {k: v for k, v in data.items() if v is not None})
    assert done.status_code == 302
    assert Contract.objects.count() == before[1] + 2

    client.force_login(staff)
    assert client.get(url).status_code in (302, 403)
