"""The contract ledger (合同台帐, R-CONTRACT) in a real browser.

1. The archivist opens the ledger from the navigation, enters an agent
   agreement with where its originals are held, lands on its record page,
   finds it in the ledger by type and counterparty with the totals line,
   and downloads the same selection as Excel and as PDF.
2. The department head sees a contract ending within the home window
   (contracts.policies.EXPIRING_SOON_DAYS) on the home page and follows the
   link to its record.
3. The archivist imports the department's existing ledger, a real .xlsx
   with the Chinese headers the export writes, through the back office:
   preview (dry run), confirm, then the contracts are in the portal ledger.
   Broken files (a contract number twice, an unknown column) are refused
   with the Chinese message naming row and column, and nothing is written.

The import files have no holdings column (holdings are not imported).
The admin import page's preview and refusals are checked at the end.
With ARCHIVE_SCREENSHOT_DIR set, the key pages are saved as ledger-*.png
and the two downloads as ledger-download.xlsx/.pdf."""
import datetime
import os
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation
from playwright.sync_api import expect
from pypdf import PdfReader

from contracts.models import Contract, ContractHolding, Holder
from contracts.policies import EXPIRING_SOON_DAYS
from contracts.resources import ContractResource
from records.models import Record, RecordStatus
from tests.browser.conftest import nav_click
from tests.browser.test_journeys import PASSWORD, log_in
from tests.contracts.ledger_support import make_contract

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LEDGER_ROWS = ".contract-ledger tbody tr[data-contract]"
# One copy with 总经办 and one with 市场部, in whatever words the holdings
# column joins them ("总经办 ×1, 市场部 ×1" or "总经办 原件×1；市场部 原件×1").
HELD_BY_BOTH = re.compile(r"总经办 原件×1[；\s]+市场部 原件×1")  # one line (panel) or one per line (ledger)


def ledger_numbers(page):
    return page.locator(LEDGER_ROWS).evaluate_all("rows => rows.map(row => row.dataset.contract)")


def download(page, button, directory):
    """Click `button` and return the path of the file the browser saved
    (also kept beside the screenshots when ARCHIVE_SCREENSHOT_DIR is set)."""
    with page.expect_download() as info:
        page.click(button)
    file = info.value
    assert file.failure() is None
    # The page says the form is ready again once the file is in (static/js/busy.js); until then a
    # second click is ignored, as for a person.
    expect(page.locator('form[aria-busy="true"]')).to_have_count(0)
    path = directory / file.suggested_filename
    file.save_as(path)
    if os.environ.get("ARCHIVE_SCREENSHOT_DIR"):
        file.save_as(Path(os.environ["ARCHIVE_SCREENSHOT_DIR"]) / f"ledger-download{path.suffix}")
    return path


def test_r_contract_archivist_enters_a_contract_filters_the_ledger_and_downloads_it(
    page, archivist, screenshot, tmp_path
):
    archivist.full_name = "王芳"
    archivist.save()
    # Neighbours the filters must leave out: another agent's agreement, and
    # a contract of another type with the same counterparty.
    make_contract(archivist, "SCB-DL-2025-003", counterparty_name="华东科技有限公司", amount=Decimal("5000.00"))
    make_contract(
        archivist, "SCB-HW-2025-007", contract_type="outdoor_advertising",
        counterparty_name="杭州明远广告有限公司", amount=Decimal("800.00"),
    )
    number = "SCB-DL-2025-018"

    log_in(page, "archivist", PASSWORD)
    nav_click(page, "/contracts/")
    expect(page.locator("h1")).to_have_text("合同台帐")
    expect(page.locator(LEDGER_ROWS)).to_have_count(2)
    page.get_by_role("link", name="登记合同").click()
    expect(page).to_have_url(re.compile(r"/contracts/new/$"))
    expect(page.locator("h1")).to_have_text("登记合同")

    page.fill("#id_title", "杭州明远代理商协议")
    page.fill("#id_pages", "8")
    page.fill("#id_copies", "2")
    page.select_option("#id_contract_type", label="代理商协议")
    page.fill("#id_contract_number", number)
    page.fill("#id_counterparty_name", "杭州明远广告有限公司")
    page.fill("#id_signed_on", "2025-03-01")
    page.fill("#id_starts_on", "2025-03-01")
    page.fill("#id_ends_on", "2027-02-28")
    page.fill("#id_amount", "128000.50")
    page.fill("#id_currency", "CNY")
    page.select_option("#id_responsible_person", str(archivist.pk))
    page.select_option("#id_original_or_copy", label="原件")
    # Agreements: one original with 总经办, one with 市场部 (R-CONTRACT).
    page.fill("#id_held_by_gm_office", "1")
    page.fill("#id_held_by_marketing", "1")
    screenshot(page, "ledger-01-form")
    page.get_by_role("button", name="登记并归档").click()

    # The app files it at once and shows its record page.
    expect(page).to_have_url(re.compile(r"/records/\d+/$"))
    contract = Contract.objects.select_related("record").get(contract_number=number)
    record = contract.record
    assert page.url.endswith(f"/records/{record.pk}/")
    assert record.status == RecordStatus.FILED and record.category.code == "HTDL"
    assert record.archive_number
    assert contract.amount == Decimal("128000.50") and contract.ends_on == datetime.date(2027, 2, 28)
    assert sorted(ContractHolding.objects.filter(contract=contract).values_list("holder", "copies")) == [
        (Holder.GENERAL_MANAGER_OFFICE, 1), (Holder.MARKETING, 1),
    ]
    expect(page.locator(".message--success")).to_have_text(
        f"合同 {number} 已登记并归档，档号为 {record.archive_number}。"
    )
    expect(page.locator("h1")).to_have_text("杭州明远代理商协议")
    panel = page.locator('[data-panel="contract"]')
    expect(panel).to_contain_text(number)
    expect(panel).to_contain_text("代理商协议")
    expect(panel).to_contain_text(HELD_BY_BOTH)
    screenshot(page, "ledger-02-record")

    # Back in the ledger: by type and counterparty only the new one is left.
    nav_click(page, "/contracts/")
    expect(page.locator(LEDGER_ROWS)).to_have_count(3)
    page.select_option("#id_contract_type", label="代理商协议")
    page.fill("#id_counterparty", "明远")
    page.get_by_role("button", name="筛选", exact=True).click()
    expect(page).to_have_url(re.compile(r"contract_type=agent_agreement"))
    expect(page.locator(LEDGER_ROWS)).to_have_count(1)
    row = page.locator(f'{LEDGER_ROWS}[data-contract="{number}"]')
    expect(row).to_contain_text(record.archive_number)
    expect(row).to_contain_text("杭州明远广告有限公司")
    expect(row).to_contain_text("128,000.50 CNY")
    expect(row).to_contain_text(HELD_BY_BOTH)
    expect(page.locator(".ledger-count")).to_have_attribute("data-count", "1")
    expect(page.locator(".ledger-count")).to_have_text("1 份合同")
    amount = page.locator('.ledger-amount[data-currency="CNY"]')
    assert Decimal(amount.get_attribute("data-total")) == Decimal("128000.50")
    expect(amount).to_have_text("CNY 128,000.50")
    expect(page.locator(".ledger-amount")).to_have_count(1)
    screenshot(page, "ledger-03-filtered")

    # The same selection as Excel.
    workbook_path = download(page, 'button[name="format"][value="xlsx"]', tmp_path)
    assert workbook_path.name.startswith("合同台帐") and workbook_path.suffix == ".xlsx"
    sheet = openpyxl.load_workbook(workbook_path).active
    cells = [str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None]
    assert number in cells
    assert record.archive_number in cells
    assert "SCB-DL-2025-003" not in cells and "SCB-HW-2025-007" not in cells
    assert any("合同台帐" in cell for cell in cells)

    # And as PDF, with its Chinese title.
    pdf_path = download(page, 'button[name="format"][value="pdf"]', tmp_path)
    assert pdf_path.name.startswith("合同台帐") and pdf_path.suffix == ".pdf"
    text = "\n".join(pdf_page.extract_text() for pdf_page in PdfReader(pdf_path).pages)
    assert text.startswith("合同台帐")
    # Narrow columns wrap a contract number over lines: compare without spaces.
    flat = re.sub(r"\s+", "", text)
    assert number in flat and record.archive_number in flat
    assert "SCB-DL-2025-003" not in flat and "SCB-HW-2025-007" not in flat
    assert "合同：1份" in flat
    # Downloading leaves the filtered page as it was.
    expect(page.locator(LEDGER_ROWS)).to_have_count(1)


def test_r_contract_department_head_sees_an_expiring_contract_on_the_home_page(
    page, archivist, department_head, screenshot
):
    soon = make_contract(archivist, "SCB-DL-2024-021", counterparty_name="苏州恒达代理商", ends_in=12)
    make_contract(
        archivist, "SCB-DL-2024-022", counterparty_name="宁波远景代理商", ends_in=EXPIRING_SOON_DAYS + 30
    )
    over = make_contract(archivist, "SCB-DL-2023-005", counterparty_name="无锡旧约代理商", ends_in=-3)

    log_in(page, "head", PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    panel = page.locator('[data-panel="contract-reminders"]')
    expect(panel).to_be_visible()
    expect(panel.locator(".contract-reminders__expiring")).to_have_text("1")
    expect(panel).to_contain_text(f"{EXPIRING_SOON_DAYS} 天内即将到期")
    item = panel.locator(f'li[data-contract="{soon.contract_number}"]')
    expect(item).to_contain_text("苏州恒达代理商")
    expect(item).to_contain_text(soon.ends_on.isoformat())
    expect(item).to_contain_text("剩余 12 天")
    expect(panel.locator('li[data-contract="SCB-DL-2024-022"]')).to_have_count(0)
    expect(panel.locator(".contract-reminders__expired")).to_have_text("1")
    expect(panel.locator(f'li[data-contract="{over.contract_number}"]')).to_contain_text(f"已到期（{over.ends_on.isoformat()}）")
    screenshot(page, "ledger-04-home-panel")

    # The reminder leads to the contract's record.
    item.get_by_role("link", name=soon.contract_number).click()
    expect(page).to_have_url(re.compile(rf"/records/{soon.record_id}/$"))
    expect(page.locator("h1")).to_have_text(soon.record.title)
    expect(page.locator('[data-panel="contract"]')).to_contain_text(soon.contract_number)
    expect(page.locator('[data-panel="contract"]')).to_contain_text("剩余 12 天")

    # The heading's link lists the same window in the ledger.
    page.go_back()
    panel.get_by_role("link", name=f"{EXPIRING_SOON_DAYS} 天内即将到期").click()
    expect(page).to_have_url(re.compile(rf"/contracts/\?expiring_within={EXPIRING_SOON_DAYS}$"))
    expect(page.locator("#id_expiring_within")).to_have_value(str(EXPIRING_SOON_DAYS))
    assert ledger_numbers(page) == [soon.contract_number]


# The ledger's headers as the Chinese export writes them (zh_Hans .po), in
# the export's order; no holdings column.
IMPORT_HEADERS = {
    "contract_number": "合同编号",
    "archive_number": "档号",
    "title": "题名",
    "contract_type": "合同类型",
    "counterparty_name": "合同相对方",
    "signed_on": "签订日期",
    "starts_on": "起始日期",
    "ends_on": "终止日期",
    "amount": "金额",
    "currency": "币种",
}


def ledger_xlsx(path, rows, headers=None):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "合同台帐"
    sheet.append(headers or list(IMPORT_HEADERS.values()))
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def good_rows():
    return [
        ["SCB-DL-2019-001", "J001-HTDL·2019-D30-SCB-0005", "华东科技代理商协议", "代理商协议", "华东科技有限公司",
         datetime.date(2019, 4, 1), datetime.date(2019, 4, 1), datetime.date(2021, 3, 31), 120000, "CNY"],
        ["SCB-HW-2024-017", "", "", "户外广告制作合同", "杭州灯箱厂",
         datetime.date(2024, 5, 6), None, None, "8,500.50", "CNY"],
    ]


def upload(page, path):
    page.set_input_files("#id_import_file", str(path))
    page.select_option("#id_format", label="xlsx")
    page.get_by_role("button", name="提交").click()


def test_the_import_headers_are_the_chinese_export_headers():
    """The file below is written as the export writes its headers."""
    with translation.override("zh-hans"):
        headers = {name: str(ContractResource.fields[name].column_name) for name in IMPORT_HEADERS}
    assert headers == IMPORT_HEADERS


def test_r_contract_archivist_imports_a_ledger_xlsx_with_preview_and_confirm(
    page, archivist, screenshot, tmp_path
):
    make_contract(archivist, "SCB-DL-2024-001", counterparty_name="已有代理商")
    good = ledger_xlsx(tmp_path / "市场部合同台帐.xlsx", good_rows())

    log_in(page, "archivist", PASSWORD)
    nav_click(page, "/admin/")
    page.locator('#content-main a[href="/admin/contracts/contract/"]').first.click()
    page.locator("a.import_link").click()
    expect(page).to_have_url(re.compile(r"/admin/contracts/contract/import/$"))
    upload(page, good)

    # The dry run lists both rows as new and writes nothing.
    preview = page.locator("table.import-preview")
    expect(preview).to_be_visible()
    expect(preview.locator("tr.new")).to_have_count(2)
    expect(preview.locator("tr.new .import-type").first).to_have_text(re.compile(r"^\s*新"))
    assert Contract.objects.count() == 1
    screenshot(page, "ledger-05-import-preview")
    page.get_by_role("button", name="确认导入").click()

    expect(page).to_have_url(re.compile(r"/admin/contracts/contract/$"))
    expect(page.locator(".messagelist .success")).to_be_visible()
    assert Contract.objects.count() == 3
    filed = Contract.objects.select_related("record").get(contract_number="SCB-DL-2019-001")
    waiting = Contract.objects.select_related("record").get(contract_number="SCB-HW-2024-017")
    assert filed.record.archive_number == "J001-HTDL·2019-D30-SCB-0005"
    assert filed.record.status == RecordStatus.FILED and filed.amount == Decimal("120000.00")
    assert waiting.record.status == RecordStatus.SUBMITTED and waiting.amount == Decimal("8500.50")
    expect(page.locator("#result_list")).to_contain_text("SCB-DL-2019-001")
    expect(page.locator("#result_list")).to_contain_text("SCB-HW-2024-017")

    # The imported contracts are in the portal ledger.
    page.goto("/contracts/")
    assert sorted(ledger_numbers(page)) == ["SCB-DL-2019-001", "SCB-DL-2024-001", "SCB-HW-2024-017"]
    row = page.locator(f'{LEDGER_ROWS}[data-contract="SCB-DL-2019-001"]')
    expect(row).to_contain_text("J001-HTDL·2019-D30-SCB-0005")
    expect(row).to_contain_text("华东科技有限公司")
    expect(row).to_contain_text(re.compile(r"120,?000\.00 CNY"))
    page.fill("#id_counterparty", "灯箱")
    page.get_by_role("button", name="筛选", exact=True).click()
    assert ledger_numbers(page) == ["SCB-HW-2024-017"]
    expect(page.locator(f'{LEDGER_ROWS}[data-contract="SCB-HW-2024-017"]')).to_contain_text("户外广告制作合同")
    screenshot(page, "ledger-06-imported-in-ledger")


def test_r_contract_a_broken_ledger_file_is_refused_with_row_and_column_and_nothing_changes(
    page, archivist, screenshot, tmp_path
):
    make_contract(archivist, "SCB-DL-2024-001", counterparty_name="已有代理商")
    rows = good_rows() + [
        ["SCB-DL-2019-001", "", "", "其他合同", "某公司", datetime.date(2020, 1, 1), None, None, None, "CNY"],
    ]
    doubled = ledger_xlsx(tmp_path / "重复编号.xlsx", rows)
    unknown = ledger_xlsx(
        tmp_path / "未知列.xlsx", good_rows(), headers=[*IMPORT_HEADERS.values(), "备注"]
    )
    before = (Contract.objects.count(), Record.objects.count())

    log_in(page, "archivist", PASSWORD)
    page.goto("/admin/contracts/contract/import/")

    # A contract number twice: row 4 is refused naming the contract-number column.
    upload(page, doubled)
    expect(page.locator("h2", has_text="部分行未通过校验")).to_be_visible()
    # Every message is listed, naming the spreadsheet's row and column.
    errors = page.locator("ul.import-refusals li")
    expect(errors).to_have_count(1)
    expect(errors).to_have_text("第 4 行，“合同编号”列：合同编号 SCB-DL-2019-001 与第 2 行重复")
    expect(page.locator('input[name="confirm"]')).to_have_count(0)
    screenshot(page, "ledger-07-import-duplicate")
    assert (Contract.objects.count(), Record.objects.count()) == before

    # An unknown column: the whole file is refused, naming the column.
    page.goto("/admin/contracts/contract/import/")
    upload(page, unknown)
    expect(page.locator("#content")).to_contain_text("未知列“备注”。")
    expect(page.locator('input[name="confirm"]')).to_have_count(0)
    expect(page.locator("table.import-preview tr.new")).to_have_count(0)
    screenshot(page, "ledger-08-import-unknown-column")
    assert (Contract.objects.count(), Record.objects.count()) == before

    # Nothing reached the portal ledger either.
    page.goto("/contracts/")
    assert ledger_numbers(page) == ["SCB-DL-2024-001"]


# The back-office import page: the preview shows what each row holds, and a
# refused file names the reason without a Python traceback.


def test_the_import_preview_shows_what_each_new_row_holds(page, archivist, tmp_path):
    log_in(page, "archivist", PASSWORD)
    page.goto("/admin/contracts/contract/import/")
    upload(page, ledger_xlsx(tmp_path / "台帐.xlsx", good_rows()))
    preview = page.locator("table.import-preview")
    expect(preview.locator("tr.new")).to_have_count(2)
    expect(preview).to_contain_text("SCB-DL-2019-001", timeout=500)
    expect(preview).to_contain_text("杭州灯箱厂", timeout=500)


def test_a_refused_import_file_shows_the_reason_without_a_traceback(page, archivist, tmp_path):
    unknown = ledger_xlsx(tmp_path / "未知列.xlsx", good_rows(), headers=[*IMPORT_HEADERS.values(), "备注"])
    log_in(page, "archivist", PASSWORD)
    page.goto("/admin/contracts/contract/import/")
    upload(page, unknown)
    expect(page.locator("#content")).to_contain_text("未知列“备注”。")
    expect(page.locator("#content").get_by_text("Traceback", exact=False)).to_be_hidden(timeout=500)
