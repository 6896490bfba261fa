"""The Content-Security-Policy refuses inline script and style; the pages a
person uses must not need any. Chromium reports every refused script, style
or handler on the console: the portal and back-office pages below produce
none, and the back office's export page still selects all columns."""
import pytest
from playwright.sync_api import expect

PASSWORD = "pass-for-tests-1"  # tests.factories.UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGES = {
    "archivist": [
        "/",
        "/records/",
        "/filing/queue/",
        "/filing/new/",
        "/lending/desk/",
        "/contracts/",
        "/clients/",
        "/admin/",
        "/admin/records/record/",
        "/admin/records/record/export/",
        "/admin/records/record/import/",
    ],
}


def log_in(page, username):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")


def csp_violations(page):
    reports = []
    page.on("console", lambda message: reports.append(message.text) if "Content Security Policy" in message.text else None)
    return reports


def test_portal_and_back_office_pages_break_no_csp_rule(page, archivist):
    violations = csp_violations(page)
    page.goto("/accounts/login/")
    assert page.locator("#login-form").is_visible()
    log_in(page, "archivist")
    opened = []
    for url in PAGES["archivist"]:
        response = page.goto(url)
        assert response.status < 500, url
        assert "script-src 'self'" in response.headers["content-security-policy"], url
        opened.append(url)
        page.wait_for_load_state("load")
    assert opened == PAGES["archivist"]
    assert violations == []


def test_export_select_all_works_without_inline_script(page, archivist):
    violations = csp_violations(page)
    log_in(page, "archivist")
    page.goto("/admin/records/record/export/")
    toggle = page.locator("#select-all-toggle")
    if toggle.count():
        field_boxes = page.locator(".selectable-field-export-row input[type=checkbox]:visible")
        toggle.uncheck()
        expect(field_boxes.first).not_to_be_checked()
        toggle.check()
        expect(field_boxes.first).to_be_checked()
    assert violations == []
