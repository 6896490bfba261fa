"""The year-end stocktake in a real browser (R-INV-1..3): the archivist
prints the cabinet's box labels, opens a stocktake of the cabinet after its
confirmation page, counts a box on a phone-sized page with a typed and a
"scanned" code (characters and Enter, as a keyboard-wedge scanner sends
them), marks it counted, reconciles (the misplaced record moved, one
missing record marked missing, a write-off with evidence for the other),
the department head approves the write-off from the home page, the
archivist closes the stocktake and reads the report PDF back.

Selectors use classes, names and data attributes, not words, so the
journey does not depend on the translations. With ARCHIVE_SCREENSHOT_DIR
set, the counting page and the reconciliation are saved."""
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from inventory.models import Stocktake, StocktakeState, WriteOff, WriteOffState
from records.models import RecordStatus
from tests.browser.conftest import nav_click
from tests.browser.test_disposal_journey import named, new_session
from tests.browser.test_journeys import PASSWORD, log_in
from tests.inventory.support import shelves

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


def pdf_text(response, tmp_path, name):
    assert response.ok and response.headers["content-type"].startswith("application/pdf")
    path = tmp_path / name
    path.write_bytes(response.body())
    return re.sub(r"\s+", "", "\n".join(page.extract_text() for page in PdfReader(path).pages))


def print_box_labels(page, cabinet, boxes, tmp_path):
    page.goto("/")
    nav_click(page, "/inventory/labels/")
    link = page.locator(f'.labels-tree a[href$="?location={cabinet.pk}"]')
    text = pdf_text(page.request.get(link.get_attribute("href")), tmp_path, "labels.pdf")
    for box in boxes:
        assert box.full_code in text


def open_stocktake(page, cabinet):
    nav_click(page, "/inventory/stocktakes/")
    page.click('a[href="/inventory/stocktakes/new/"]')
    page.check('input[name="scope"][value="chosen"]')
    page.select_option("#id_locations", str(cabinet.pk))
    page.click('form button[type="submit"].button--primary')
    page.click('form[data-busy-text] button[type="submit"]')
    stocktake = Stocktake.objects.get()
    expect(page).to_have_url(re.compile(rf"/inventory/stocktakes/{stocktake.pk}/$"))
    return stocktake


def count_on_a_phone(browser, live_server, stocktake, box, typed, scanned, misplaced, screenshot):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE, is_mobile=True)
    context.set_default_timeout(10_000)
    phone = context.new_page()
    log_in(phone, "archivist", PASSWORD)
    phone.goto(f"/inventory/stocktakes/{stocktake.pk}/")
    phone.click(f'.stocktake-units tr[data-box="{box.full_code}"] a[href^="/inventory/units/"]')
    code = phone.locator('input[name="code"]')
    expect(code).to_be_focused()
    # Typed by hand, with stray spaces, and sent with the button.
    code.fill(f"  {typed.archive_number} ")
    phone.click(".count-form__submit")
    expect(phone.locator(".scan-answer")).to_have_class(re.compile("scan-answer--found"))
    expect(phone.locator("[data-progress-unit-counted]")).to_have_text("1")
    # Scanned: the scanner types the code and Enter; the input is ready again at once.
    expect(code).to_have_value("")
    expect(code).to_be_focused()
    phone.keyboard.type(scanned.archive_number)
    phone.keyboard.press("Enter")
    expect(phone.locator(".scan-list__item--found")).to_have_count(2)
    phone.keyboard.type(misplaced.archive_number)
    phone.keyboard.press("Enter")
    expect(phone.locator(".scan-list__item--misplaced")).to_have_count(1)
    expect(phone.locator(".scan-answer")).to_contain_text(misplaced.location.full_code)
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone, "stocktake_counting_phone")
    phone.click('a[href$="/counted/"]')
    phone.click('form[action$="/counted/"] button[type="submit"]')
    expect(phone.locator(f'.stocktake-units tr[data-box="{box.full_code}"]')).to_be_visible()
    context.close()


def resolve(page, record, resolution):
    row = page.locator(f'.reconcile-differences tr[data-record="{record.archive_number}"]')
    row.locator("details summary").click()
    row.locator('select[name="resolution"]').select_option(resolution)
    row.locator('form button[type="submit"]').click()
    expect(page.locator(f'.reconcile-differences tr[data-record="{record.archive_number}"] .resolved')).to_be_visible()


def request_write_off(page, record, tmp_path):
    row = page.locator(f'.reconcile-differences tr[data-record="{record.archive_number}"]')
    row.locator('a[href*="/inventory/write-offs/new/"]').click()
    expect(page.locator('input[name="archive_number"]')).to_have_value(record.archive_number)
    page.check('input[name="kind"][value="loss"]')
    page.fill('textarea[name="reason"]', "盘点未见，经查确认遗失")
    evidence = tmp_path / "遗失说明.txt"
    evidence.write_text("经办人说明：该档案于搬迁中遗失。", encoding="utf-8")
    page.set_input_files('input[name="evidence"]', str(evidence))
    page.click("details.inline-confirm summary")
    page.click('button[name="confirm"]')
    write_off = WriteOff.objects.get(record=record)
    expect(page).to_have_url(re.compile(rf"/inventory/write-offs/{write_off.pk}/$"))
    return write_off


def approve_from_home(browser, live_server, write_off):
    context, head = new_session(browser, live_server, "head")
    head.locator(f'[data-panel="inventory"] [data-write-off="{write_off.pk}"] a').click()
    head.click(f'a[href="/inventory/write-offs/{write_off.pk}/approve/"]')
    head.click('button[name="confirm"]')
    expect(head.locator(".message--success")).to_be_visible()
    context.close()


def test_r_inv_1_2_3_labels_count_reconcile_write_off_close_report(
    browser, live_server, page, archivist, department_head, filed_record, private_storage, screenshot, tmp_path,
):
    named(archivist, "王芳")
    named(department_head, "陈经理")
    _room, cabinet, (first, second) = shelves(boxes=2)
    typed, scanned = filed_record(location=first, title="华东代理合同"), filed_record(location=first, title="展会合同")
    gone = filed_record(location=first, title="宣传册样稿")
    lost = filed_record(location=first, title="客户来函")
    misplaced = filed_record(location=second, title="放错盒的协议")

    log_in(page, "archivist", PASSWORD)
    print_box_labels(page, cabinet, (first, second), tmp_path)
    stocktake = open_stocktake(page, cabinet)
    assert stocktake.year == timezone.localdate().year
    count_on_a_phone(browser, live_server, stocktake, first, typed, scanned, misplaced, screenshot)

    # Reconciliation of the first box: move, mark missing, write off.
    page.goto(f"/inventory/stocktakes/{stocktake.pk}/reconciliation/")
    screenshot(page, "stocktake_reconciliation")
    resolve(page, misplaced, "moved")
    resolve(page, gone, "marked_missing")
    write_off = request_write_off(page, lost, tmp_path)
    approve_from_home(browser, live_server, write_off)
    write_off.refresh_from_db()
    assert write_off.state == WriteOffState.APPROVED
    for record in (misplaced, gone, lost):
        record.refresh_from_db()
    assert (misplaced.location_id, gone.status, lost.status) == (first.pk, RecordStatus.MISSING, RecordStatus.WRITTEN_OFF)

    # Closing, after its confirmation page, then the report read back.
    page.goto(f"/inventory/stocktakes/{stocktake.pk}/")
    page.click(f'a[href="/inventory/stocktakes/{stocktake.pk}/close/"]')
    page.click('form[action$="/close/"] button[type="submit"]')
    stocktake.refresh_from_db()
    assert stocktake.state == StocktakeState.CLOSED
    text = pdf_text(
        page.request.get(f"/inventory/stocktakes/{stocktake.pk}/report/?format=pdf"), tmp_path, "report.pdf"
    )
    for expected in (stocktake.number, first.full_code, gone.archive_number, lost.archive_number,
                     misplaced.archive_number, "王芳"):
        assert expected in text, expected
