"""The legacy-ledger import wizard in a real browser (issue 15).

The archivist imports a department's 归档文件目录 kept in Excel for years: a
merged title row above the headers, a 序号 column, a column whose header the
wizard does not know (拟稿单位), no class or year column, dates as an Excel
serial number and as Chinese text, a blank row in the middle.

1. Upload from the navigation; the header row under the title is found and
   the columns mapped; the archivist maps the unknown column by hand, picks
   the class, lets the year come from the date and saves it all as a
   template.
2. The preview lists every problem of the file at once (two bad dates, with
   their rows as Excel shows them) and offers no import; nothing is written.
3. The fixed file is uploaded again, the template applied (the hand-mapped
   column and the fills come back), the preview says 3 new rows and the
   confirmation adds exactly those; they are in the record list.
4. The mapping page is usable at 375 px: nothing is wider than the screen.

With ARCHIVE_SCREENSHOT_DIR set, the pages are saved as ledger-wizard-*.png."""
import re

import pytest
from playwright.sync_api import expect

from records.models import LedgerTemplate, Record, RecordStatus
from tests.browser.conftest import nav_click
from tests.browser.test_journeys import PASSWORD, log_in
from tests.records.ledgers.support import make_xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ["序号", "档号", "文件题名", "拟稿单位", "文号", "成文日期", "页数", "保管期限", "备注"]
TITLES = ["与华东科技有限公司签订的代理商协议", "杭州户外广告牌代理商协议", "成都展会场地租赁合同"]
UNKNOWN_COLUMN = "column_3"  # 拟稿单位
TEMPLATE = "市场部归档文件目录"


def number(item):
    return f"J001-HTDL·2023-D30-SCB-{item:04d}"


def legacy_ledger(dates):
    rows = [
        ["2023年度归档文件目录"] + [None] * 8,
        HEADERS,
        [1, number(1), TITLES[0], "市场部", "市场〔2023〕1号", dates[0], 12, "30年", None],
        [2, number(2), TITLES[1], "市场部", "市场〔2023〕2号", dates[1], 8, "30年", "原件"],
        [None] * 9,
        [3, number(3), TITLES[2], "市场部", "市场〔2023〕3号", dates[2], 5, "30年", None],
    ]
    return make_xlsx(rows, merged=("A1:I1",), title="2023年")


def upload(page, data):
    nav_click(page, "/import/")
    expect(page).to_have_url(re.compile(r"/import/$"))
    page.select_option("#id_kind", "records")
    page.set_input_files("#id_file", {"name": "2023年归档文件目录.xlsx", "mimeType": XLSX, "buffer": data})
    page.click(".ledger-upload-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/import/\d+/mapping/$"))


def test_archivist_imports_a_legacy_ledger_through_the_wizard(page, archivist, screenshot):
    log_in(page, "archivist", PASSWORD)

    # 1. The header row under the merged title is found; 序号 is left out.
    upload(page, legacy_ledger(dates=(45052, "2023年13月6日", "去年6月")))
    expect(page.locator("#header-row-2")).to_be_checked()
    expect(page.locator(".ledger-rows tr.is-header")).to_have_attribute("data-row", "2")
    expect(page.locator("#id_column_0")).to_have_value("")
    expect(page.locator("#id_column_2")).to_have_value("title")
    expect(page.locator("#id_column_5")).to_have_value("document_date")
    expect(page.locator(".ledger-column").nth(2)).to_contain_text(TITLES[0])  # sample values
    screenshot(page, "ledger-wizard-mapping")
    page.select_option(f"#id_{UNKNOWN_COLUMN}", "responsible_party")
    page.select_option("#id_fill_category_code", "HTDL")
    page.check("#id_fill_year_from_date")
    page.fill("#id_template_name", TEMPLATE)
    page.click(".ledger-mapping button[type=submit]")

    # 2. Every problem at once, by the row Excel shows; no import offered.
    expect(page).to_have_url(re.compile(r"/import/\d+/preview/$"))
    problems = page.locator(".ledger-problem-list li")
    expect(problems).to_have_count(2)
    expect(problems.nth(0)).to_have_attribute("data-row", "4")
    expect(problems.nth(1)).to_have_attribute("data-row", "6")
    expect(problems.nth(0)).to_contain_text("4")
    expect(page.locator(".ledger-confirm")).to_have_count(0)
    expect(page.locator(".ledger-notes")).to_contain_text("HTDL")
    screenshot(page, "ledger-wizard-problems")
    assert LedgerTemplate.objects.filter(kind="records", name=TEMPLATE).exists()
    assert not Record.objects.filter(title__in=TITLES).exists()

    # 3. The fixed file, the template applied, confirmed.
    upload(page, legacy_ledger(dates=(45052, "2023年5月6日", "2023.6.1")))
    page.select_option(".ledger-template-apply select", label=TEMPLATE)
    page.click(".ledger-template-apply button[type=submit]")
    expect(page.locator(f"#id_{UNKNOWN_COLUMN}")).to_have_value("responsible_party")
    expect(page.locator("#id_fill_category_code")).to_have_value("HTDL")
    expect(page.locator("#id_fill_year_from_date")).to_be_checked()
    page.click(".ledger-mapping button[type=submit]")

    expect(page.locator(".ledger-problems")).to_have_count(0)
    expect(page.locator('[data-total="new"]')).to_have_text("3")
    expect(page.locator(".ledger-preview-table tbody tr")).to_have_count(3)
    confirm = page.locator(".ledger-confirm button")
    expect(confirm).to_contain_text("3")
    screenshot(page, "ledger-wizard-preview")
    confirm.click()

    expect(page).to_have_url(re.compile(r"/import/\d+/done/$"))
    expect(page.locator(".ledger-done")).to_have_attribute("data-state", "imported")
    screenshot(page, "ledger-wizard-done")
    records = Record.objects.filter(title__in=TITLES).order_by("archive_number")
    assert [record.archive_number for record in records] == [number(1), number(2), number(3)]
    assert {(record.status, record.year, record.category.code, record.responsible_party) for record in records} == {
        (RecordStatus.FILED, 2023, "HTDL", "市场部")
    }
    page.click(".ledger-done a.button--primary")
    expect(page).to_have_url(re.compile(r"/records/$"))
    for title in TITLES:
        expect(page.get_by_role("link", name=title)).to_be_visible()


def test_the_mapping_page_fits_a_phone(page, archivist, screenshot):
    log_in(page, "archivist", PASSWORD)
    upload(page, legacy_ledger(dates=(45052, "2023年5月6日", "2023.6.1")))
    page.set_viewport_size({"width": 375, "height": 800})
    expect(page.locator("#id_column_2")).to_be_visible()
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
    screenshot(page, "ledger-wizard-mapping-375")
