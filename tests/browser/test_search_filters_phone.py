"""The record search on a phone (390 px, issue 16): the search box and its
button stay in view, the other filters fold behind "More filters" (更多筛选条件)
and open on a tap, or by themselves when one of them is set (or wrong), so
nobody searches under a filter they cannot see. On a desktop every filter
shows, with no fold to open."""
import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.browser.test_journeys import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def more_filters_label():
    with translation.override("zh-hans"):
        return gettext("More filters")


def search(page, query=""):
    page.goto(reverse("record_list") + query)
    expect(page.locator("main h1").first).to_be_visible()
    return page.locator(".filter-form__more > summary"), page.locator("#id_category"), page.locator("#id_order")


def test_phone_folds_the_filters_until_tapped_and_keeps_search_and_button(page, staff, filed_record, screenshot):
    filed_record(title="户外广告制作合同")
    page.set_viewport_size(PHONE)
    log_in(page, staff.username, PASSWORD)
    summary, category, order = search(page)
    expect(page.locator("main #id_q")).to_be_visible()
    expect(page.locator(".filter-form__actions button[type=submit]")).to_be_visible()
    expect(summary).to_be_visible()
    expect(summary).to_have_text(more_filters_label())
    expect(category).to_be_hidden()
    expect(order).to_be_hidden()
    screenshot(page, "phone-search-folded")

    summary.click()
    expect(category).to_be_visible()
    expect(order).to_be_visible()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    screenshot(page, "phone-search-open")

    # A search from the box alone sends the other fields at their defaults:
    # nothing is narrowed, the fold stays shut and the result shows.
    page.fill("main #id_q", "户外广告")
    page.click(".filter-form__actions button[type=submit]")
    expect(page.locator(".result-count")).to_contain_text("1")
    expect(category).to_be_hidden()


@pytest.mark.parametrize("query", ["?year=2024&order=relevance", "?order=newest", "?year=1800"])
def test_phone_opens_the_fold_when_a_filter_is_set_or_wrong(page, staff, query):
    page.set_viewport_size(PHONE)
    log_in(page, staff.username, PASSWORD)
    summary, category, order = search(page, query)
    expect(summary).to_be_visible()
    expect(category).to_be_visible()
    expect(order).to_be_visible()


def test_desktop_shows_every_filter_without_a_fold(page, staff):
    page.set_viewport_size(DESKTOP)
    log_in(page, staff.username, PASSWORD)
    summary, category, order = search(page, "?q=合同&order=relevance")
    expect(summary).to_be_hidden()
    expect(category).to_be_visible()
    expect(order).to_be_visible()
    # The filters sit beside each other, in the form's grid, as before the fold.
    category_box, year_box = category.bounding_box(), page.locator("#id_year").bounding_box()
    assert abs(category_box["y"] - year_box["y"]) < 2 and year_box["x"] > category_box["x"]
