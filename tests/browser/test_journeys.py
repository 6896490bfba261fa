"""Browser journeys through the staff portal (login, home, detail, language,
logout). The database is restored after each test (serialized_rollback), so
the seeded file plan and role groups survive for the tests that follow."""
import re

import pytest
from playwright.sync_api import expect

from records.models import SecurityLevel

PASSWORD = "pass-for-tests-1"  # tests.factories.UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page, username, password):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("#login-form button[type=submit]")


def test_r_lend_4_staff_journey_home_detail_language_logout(page, staff, filed_record, screenshot):
    staff.full_name = "张小梅"
    staff.save()
    visible = filed_record(
        title="华东区代理商协议", security_level=SecurityLevel.INTERNAL, responsible_party="华东代理商"
    )
    for n in range(4):
        filed_record(title=f"户外广告制作合同第{n + 1}批", security_level=SecurityLevel.PUBLIC)
    filed_record(title="董事会机密纪要", security_level=SecurityLevel.CONFIDENTIAL)

    log_in(page, "staff", PASSWORD)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator(".user-menu__name")).to_have_text("张小梅")
    table = page.locator(".record-table")
    expect(table.get_by_role("link", name="华东区代理商协议")).to_be_visible()
    expect(page.get_by_text("董事会机密纪要")).to_have_count(0)
    expect(page.locator('[data-status="filed"]')).to_have_text("5")
    screenshot(page, "home")

    table.get_by_role("link", name="华东区代理商协议").click()
    expect(page).to_have_url(re.compile(rf"/records/{visible.pk}/$"))
    expect(page.locator("h1")).to_have_text("华东区代理商协议")
    expect(page.get_by_text(visible.archive_number).first).to_be_visible()
    expect(page.locator(".history-table tbody tr")).to_have_count(2)
    screenshot(page, "record_detail")

    page.click('.language-switch button[value="en"]')
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(rf"/records/{visible.pk}/$"))  # stays on the page
    expect(page.locator(".main-nav")).to_contain_text("Home")

    page.locator(".user-menu summary").click()
    page.click("#logout-form button")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator("#login-form")).to_be_visible()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_login_with_a_wrong_password_shows_an_error(page, staff):
    log_in(page, "staff", "not-the-password")

    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator(".form-errors .errorlist")).to_be_visible()
    expect(page.locator(".user-menu")).to_have_count(0)


def test_language_switch_on_the_login_page(page, db):
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.click('.language-switch button[value="en"]')
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
