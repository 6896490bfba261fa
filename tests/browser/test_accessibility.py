"""Accessibility check (issue 16 point 10): axe-core, run in the page by
axe-playwright-python, over the main screens of each role at 1280 px and at
390 px. No serious or critical violation is allowed; the failure message
names the page, the rule and the elements.

Rules axe marks "moderate" or "minor" are reported by axe but not held
here (they include best-practice advice such as landmarks for every bit of
text)."""
import pytest
from django.urls import reverse

from records.models import SecurityLevel
from tests.browser.axe_support import serious_violations
from tests.browser.test_journeys import PASSWORD, log_in
from tests.contracts.ledger_support import make_contract
from tests.records.test_filing_services import submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}

# The screens each role opens every day (URL names; "record" is the first
# record's page).
SCREENS = {
    "staff": ["home", "record_list", "record", "submission_create", "my_submissions", "lending_mine",
              "lending_request", "notice_list", "documents_my_copies", "job_list", "password_change", "help"],
    "archivist": ["home", "record_list", "record", "catalogue", "receiving_queue", "handover_list", "lending_desk",
                  "contract_ledger", "contract_register", "client_list", "client_review_due",
                  "inventory_stocktakes", "inventory_labels", "disposal_inbox", "documents_desk",
                  "documents_correspondence", "maintenance", "statistics", "help"],
    "head": ["home", "record_list", "lending_inbox", "disposal_inbox", "contract_ledger", "statistics"],
    "leader": ["home", "record_list", "record", "contract_ledger", "client_list", "statistics"],
    "sysadmin": ["home", "account_changes", "help"],
}


@pytest.fixture
def archive(archivist, staff, department_head, leadership, sysadmin, filed_record):
    record = filed_record(title="华东区代理商协议", security_level=SecurityLevel.PUBLIC, responsible_party="华东代理商")
    filed_record(title="户外广告制作合同", security_level=SecurityLevel.INTERNAL)
    make_contract(archivist, "HT-2026-001", counterparty_name="上海某广告传媒有限公司")
    submitted(staff, title="春季户外广告投放方案")  # in the receiving queue and my submissions
    return record


def url_of(name, record):
    return reverse("record_detail", args=[record.pk]) if name == "record" else reverse(name)


def check_screens(page, username, record, width):
    page.set_viewport_size(WIDTHS[width])
    log_in(page, username, PASSWORD)
    report = {}
    for name in SCREENS[username]:
        response = page.goto(url_of(name, record))
        assert response.status == 200, (name, response.status)
        found = serious_violations(page)
        if found:
            report[name] = found
    return report


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("username", SCREENS)
def test_main_screens_have_no_serious_violations(page, archive, username, width):
    report = check_screens(page, username, archive, width)
    assert report == {}, "\n".join(f"{name}: {line}" for name, lines in report.items() for line in lines)


@pytest.mark.parametrize("width", WIDTHS)
def test_login_page_has_no_serious_violations(page, db, width):
    page.set_viewport_size(WIDTHS[width])
    page.goto(reverse("login"))
    assert serious_violations(page) == []


def test_open_menus_have_no_serious_violations(page, archive):
    """The 更多 group and the phone menu, opened (axe skips hidden content)."""
    log_in(page, "archivist", PASSWORD)
    page.locator("#main-nav details.nav-group summary").first.click()
    assert serious_violations(page) == []
    page.set_viewport_size(WIDTHS["phone"])
    page.locator(".nav-toggle").click()
    assert serious_violations(page) == []
