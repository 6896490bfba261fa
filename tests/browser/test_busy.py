"""Issue 16, point 9: long work shows progress, never a silent wait.

A sent form says 正在处理，请稍候… next to its button (static/js/busy.js) and
ignores a second submit; a download form's indication ends when the file
arrives (core.middleware.DownloadStarted's cookie); a long register is a
job whose page shows a progress bar; the back office does the same."""
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from contracts.models import Contract
from tests.admin_support import admin_url
from tests.browser.test_journeys import PASSWORD, log_in
from tests.contracts.ledger_support import make_contract

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BUSY_TEXT = "正在处理，请稍候…"
# Records whether a "working" line was ever shown, however briefly.
WATCH_BUSY = """() => {
  window.sawBusy = [];
  new MutationObserver(changes => changes.forEach(change => change.addedNodes.forEach(node => {
    if (node.classList && node.classList.contains("busy-status")) {
      window.sawBusy.push([node.textContent, node.getAttribute("role")]);
    }
  }))).observe(document.body, {childList: true, subtree: true});
}"""


@pytest.fixture
def ledger(archivist):
    make_contract(archivist, "SCB-DL-2025-101", counterparty_name="华东科技有限公司")
    make_contract(archivist, "SCB-DL-2025-102", counterparty_name="杭州明远广告有限公司")


def test_a_download_says_it_is_working_until_the_file_arrives(page, archivist, ledger):
    log_in(page, "archivist", PASSWORD)
    page.goto(reverse("contract_ledger"))
    page.evaluate(WATCH_BUSY)
    button = page.locator('button[name="format"][value="pdf"]')
    with page.expect_download() as info:
        button.click()
    assert info.value.failure() is None and info.value.suggested_filename.endswith(".pdf")

    assert page.evaluate("window.sawBusy") == [[BUSY_TEXT, "status"]]
    expect(page.locator(".busy-status")).to_have_count(0)  # the cookie ended it
    expect(button).not_to_have_attribute("aria-disabled", "true")
    assert page.locator('input[name="download_token"]').count() == 0
    # The page is ready for another download at once.
    with page.expect_download() as again:
        page.click('button[name="format"][value="xlsx"]')
    assert again.value.suggested_filename.endswith(".xlsx")


def test_a_second_submit_while_the_first_is_answered_is_ignored(page, archivist, ledger):
    log_in(page, "archivist", PASSWORD)
    page.goto(reverse("contract_ledger"))
    prevented = page.evaluate("""() => {
      const seen = [];
      window.addEventListener("submit", event => seen.push(event.defaultPrevented));
      const form = document.querySelector(".site-search");
      form.requestSubmit();
      form.requestSubmit();
      return seen;
    }""")
    assert prevented == [False, True]


def test_a_long_register_goes_to_its_job_page_with_a_progress_bar(page, archivist, ledger, settings):
    settings.ARCHIVE_REGISTER_DIRECT_ROWS = {"pdf": 1, "xlsx": 1}
    log_in(page, "archivist", PASSWORD)
    page.goto(reverse("contract_ledger"))
    page.click('button[name="format"][value="pdf"]')

    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]+/$"))
    expect(page.locator("main")).to_contain_text("正在后台")
    expect(page.locator("progress.job__progress")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("合同台帐")


def test_the_back_office_export_says_it_is_working_too(page, archivist, ledger):
    log_in(page, "archivist", PASSWORD)
    page.goto(admin_url(Contract, "export"))
    page.evaluate(WATCH_BUSY)
    page.select_option("#id_format", label="xlsx")
    with page.expect_download() as info:
        page.click('form[data-download] input[type="submit"], form[data-download] button[type="submit"]')
    assert info.value.suggested_filename.startswith("合同台帐-")
    assert page.evaluate("window.sawBusy") == [[BUSY_TEXT, "status"]]
    expect(page.locator(".busy-status")).to_have_count(0)
