"""The portal on a phone (390 px) and on a desktop (1280 px), issue 16
point 5: the menu folds behind the 菜单 button and opens; the main lists
never make the page scroll sideways (tables become cards, each cell with its
column's name); titles and buttons do not break into single characters; on
a desktop the menu stays on one line.

With ARCHIVE_SCREENSHOT_DIR set, each page is saved as phone-*.png."""
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from records.models import SecurityLevel
from tests.browser.test_journeys import PASSWORD, log_in
from tests.contracts.ledger_support import make_contract
from tests.records.test_filing_services import submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LONG_TITLE = "二〇二六年华东区户外广告发布代理协议及补充协议（含附件三份）"

# The lists people use every day, as the archivist sees them.
ARCHIVIST_LISTS = [
    "home", "record_list", "catalogue", "contract_ledger", "receiving_queue",
    "lending_desk", "lending_mine", "client_list", "notice_list", "job_list",
    "inventory_stocktakes", "disposal_inbox", "documents_desk",
]


@pytest.fixture
def archive_with_lists(archivist, staff, filed_record):
    submitted(staff, title="华东区春季户外广告投放方案及效果评估报告（第二稿）")  # the receiving queue's form
    archivist.long_record = filed_record(title=LONG_TITLE, security_level=SecurityLevel.INTERNAL, responsible_party="华东代理商")
    for n in range(3):
        filed_record(title=f"户外广告制作合同第{n + 1}批", security_level=SecurityLevel.PUBLIC)
    make_contract(archivist, "HT-2026-001", counterparty_name="上海某某广告传媒有限公司（华东区总代理）")
    make_contract(archivist, "HT-2026-002", counterparty_name="杭州某代理商")
    return archivist


def page_width(page):
    return page.evaluate("document.scrollingElement.scrollWidth")


def test_phone_lists_fit_the_screen_and_the_menu_folds(page, archive_with_lists, screenshot):
    page.set_viewport_size(PHONE)
    log_in(page, "archivist", PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))

    too_wide = {}
    for name in ARCHIVIST_LISTS:
        page.goto(reverse(name))
        expect(page.locator("main h1").first).to_be_visible()
        if page_width(page) > PHONE["width"]:
            too_wide[name] = page_width(page)
        screenshot(page, f"phone-{name}")
    page.goto(reverse("record_detail", args=[archive_with_lists.long_record.pk]))
    if page_width(page) > PHONE["width"]:
        too_wide["record_detail"] = page_width(page)
    screenshot(page, "phone-record_detail")
    assert too_wide == {}

    # An empty list's message spans the columns: it is no column's value.
    page.goto(reverse("lending_desk"))
    assert page.locator("td[colspan]").count() > 0
    assert page.locator("td[colspan][data-label]").count() == 0

    # The contract ledger is a stack of cards: each cell says its column.
    page.goto(reverse("contract_ledger"))
    first_row = page.locator(".contract-ledger tbody tr").first
    labels = first_row.locator("td").evaluate_all("cells => cells.map(cell => cell.dataset.label || '')")
    assert "合同编号" in " ".join(labels)
    counterparty = page.get_by_text("上海某某广告传媒有限公司（华东区总代理）").first
    assert counterparty.bounding_box()["width"] > 120  # a line of text, not a column of characters


def test_phone_menu_is_a_button_that_opens_the_menu(page, archive_with_lists):
    page.set_viewport_size(PHONE)
    log_in(page, "archivist", PASSWORD)
    menu = page.locator("#main-nav")
    toggle = page.locator(".nav-toggle")
    expect(menu).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu).to_be_visible()
    expect(menu.get_by_role("link", name="接收队列")).to_be_visible()
    menu.locator("details.nav-group summary").first.click()  # 更多
    menu.get_by_role("link", name="合同台帐").click()
    expect(page).to_have_url(re.compile(r"/contracts/$"))
    expect(page.locator("#main-nav")).to_be_hidden()  # folded again on the next page

    # The header search box is there on a phone too.
    page.fill("#site-search-q", "户外广告")
    page.locator(".site-search__button").click()
    expect(page).to_have_url(re.compile(r"/records/\?q="))
    expect(page.locator("main")).to_contain_text("户外广告制作合同第1批")


def test_phone_titles_and_buttons_do_not_break_into_characters(page, archive_with_lists):
    page.set_viewport_size(PHONE)
    log_in(page, "archivist", PASSWORD)
    page.goto(reverse("record_list"))
    title = page.get_by_role("link", name=LONG_TITLE)
    assert title.bounding_box()["width"] > 150
    for button in page.locator("main .button:visible, main button:visible").all():
        box = button.bounding_box()
        line = button.evaluate("b => parseFloat(getComputedStyle(b).lineHeight) || 24")
        assert box["height"] < 2 * line + 16, button.inner_text()  # one line of text


def test_desktop_menu_is_one_line_with_more_groups(page, archive_with_lists, screenshot):
    page.set_viewport_size(DESKTOP)
    log_in(page, "archivist", PASSWORD)
    nav = page.locator("#main-nav")
    expect(page.locator(".nav-toggle")).to_be_hidden()
    tops = nav.locator(":scope > a, :scope > details > summary").evaluate_all(
        "items => items.map(item => Math.round(item.getBoundingClientRect().top))"
    )
    assert len(set(tops)) == 1, tops
    screenshot(page, "desktop-home")

    more = nav.locator("details.nav-group").first  # 更多
    expect(more.get_by_role("link", name="客户资料档案")).to_be_hidden()
    more.locator("summary").click()
    expect(more.get_by_role("link", name="客户资料档案")).to_be_visible()
    page.keyboard.press("Escape")
    expect(more.get_by_role("link", name="客户资料档案")).to_be_hidden()
    expect(more.locator("summary")).to_be_focused()

    more.locator("summary").click()
    more.get_by_role("link", name="客户资料档案").click()
    expect(page).to_have_url(re.compile(r"/clients/$"))
    expect(more).to_have_class(re.compile("nav-group--current"))


def test_keyboard_focus_is_visible_in_the_header(page, archive_with_lists):
    page.set_viewport_size(DESKTOP)
    log_in(page, "archivist", PASSWORD)
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto(reverse("record_list"))
    page.keyboard.press("Tab")  # the skip link
    expect(page.locator(".skip-link")).to_be_focused()
    expect(page.locator(".skip-link")).to_be_in_viewport()
    page.locator("#main-nav a").first.focus()
    outline = page.locator("#main-nav a").first.evaluate(
        "a => { const s = getComputedStyle(a); return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"
    )
    assert outline[0] == "solid" and outline[1] != "0px" and outline[2] == "rgb(255, 255, 255)", outline
