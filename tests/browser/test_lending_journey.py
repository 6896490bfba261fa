"""Lending in a real browser, from request to return (R-LEND-1, R-LEND-4,
R-LEND-6): staff ask to borrow an internal record for a day from its page,
the archivist hands it out at the desk, a colleague sees on the record page
who has it and until when, the archivist takes it back with the condition
check, and staff see the loan closed. Then a confidential record: staff ask
to view it by its archive number, the department head approves in the
inbox, staff can open it and the archivist shows the paper in place.

Selectors use classes and data attributes, not text, so the journey does
not depend on the translations. With ARCHIVE_SCREENSHOT_DIR set, the record
panel, the desk, the inbox and the requester's page are saved."""
import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from lending.models import Loan, LoanRequest, RequestState
from records.models import AccessGrant, Medium, RecordStatus, SecurityLevel
from tests.browser.test_journeys import PASSWORD, log_in
from tests.conftest import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def new_session(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    return context, context.new_page()


def test_r_lend_1_r_lend_6_borrow_hand_out_see_who_has_it_and_take_back(
    browser, live_server, page, staff, archivist, filed_record, screenshot
):
    staff.full_name, archivist.full_name = "张小梅", "王芳"
    staff.save()
    archivist.save()
    colleague = make_user(Role.STAFF, "colleague")
    colleague.full_name = "李明"
    colleague.save()
    record = filed_record(title="华东区代理商协议", security_level=SecurityLevel.INTERNAL, pages=12, copies=1)

    # Staff ask from the record page; the approvals are shown before sending.
    log_in(page, "staff", PASSWORD)
    page.goto(f"/records/{record.pk}/")
    panel = page.locator('[data-panel="lending"]')
    expect(panel.locator('.approval-options li[data-kind="borrow"]').first).to_be_visible()
    panel.locator('input[name="kind"][value="borrow"]').check()
    panel.locator("#panel_days").fill("1")
    panel.locator("#panel_purpose").fill("华东区客户回访")
    screenshot(page, "lending_record_request_form")
    panel.locator('button[name="send"]').click()
    expect(page).to_have_url(re.compile(r"/lending/$"))
    expect(page.locator('.my-requests-table [data-state="approved"]')).to_have_count(1)
    request = LoanRequest.objects.get()
    assert (request.kind, request.days, request.state) == ("borrow", 1, RequestState.APPROVED)

    # The archivist hands it out at the desk, confirming the due date.
    desk_context, desk = new_session(browser, live_server)
    log_in(desk, "archivist", PASSWORD)
    desk.click('.main-nav a[href="/lending/desk/"]')
    row = desk.locator(f'.desk-to-hand-out tr[data-request="{request.pk}"]')
    expect(row).to_contain_text("张小梅")
    row.locator("summary").click()
    expect(row.locator(".inline-confirm__body")).to_contain_text(
        timezone.localtime(timezone.now() + datetime.timedelta(days=1)).strftime("%Y-%m-%d")
    )
    screenshot(desk, "lending_desk_confirm_hand_out")
    row.locator('.inline-confirm__body button[type="submit"]').click()
    expect(desk.locator(".message--success")).to_be_visible()
    loan = Loan.objects.get()
    expect(desk.locator(f'.desk-loans tr[data-loan="{loan.pk}"]').first).to_be_visible()
    screenshot(desk, "lending_desk")

    # A colleague sees on the record page who has it and until when.
    colleague_context, other = new_session(browser, live_server)
    log_in(other, "colleague", PASSWORD)
    other.goto(f"/records/{record.pk}/")
    expect(other.locator('.record-heading [data-custody="loan"]')).to_be_visible()
    expect(other.locator(".record-heading")).to_contain_text("借出")
    other_panel = other.locator('[data-panel="lending"]')
    expect(other_panel.locator(".lending-borrower")).to_have_text("张小梅")
    due = timezone.localtime(loan.due_at).strftime("%Y-%m-%d %H:%M")
    expect(other_panel.locator(".lending-due")).to_contain_text(due)
    screenshot(other, "lending_record_panel_on_loan")
    colleague_context.close()

    # The archivist takes it back: the form is prefilled with the filed counts.
    desk.locator(f'.desk-loans tr[data-loan="{loan.pk}"] a[href$="/return/"]').first.click()
    expect(desk).to_have_url(re.compile(rf"/lending/loans/{loan.pk}/return/$"))
    expect(desk.locator("#id_pages_returned")).to_have_value("12")
    expect(desk.locator("#id_copies_returned")).to_have_value("1")
    screenshot(desk, "lending_return_form")
    desk.locator('form.panel button[type="submit"]').click()
    expect(desk).to_have_url(re.compile(r"/lending/desk/$"))
    expect(desk.locator(".message--success")).to_be_visible()
    expect(desk.locator(".message--warning")).to_have_count(0)  # complete and on time: no incident
    desk_context.close()
    loan.refresh_from_db()
    record.refresh_from_db()
    assert loan.returned_at is not None and record.status == RecordStatus.FILED

    # Staff see the loan closed and the record back on the shelf.
    page.goto("/lending/")
    expect(page.locator('.my-requests-table [data-state="done"]')).to_have_count(1)
    expect(page.locator(".my-loans-table tbody tr[data-loan]")).to_have_count(0)
    screenshot(page, "lending_my_lending")
    page.goto(f"/records/{record.pk}/")
    expect(page.locator('.record-heading [data-custody="shelf"]')).to_be_visible()
    expect(page.locator('[data-panel="lending"] .lending-borrower')).to_have_count(0)


def test_r_lend_4_confidential_view_approved_by_the_department_head(
    browser, live_server, page, staff, archivist, department_head, filed_record, screenshot
):
    staff.full_name, department_head.full_name = "张小梅", "陈经理"
    staff.save()
    department_head.save()
    record = filed_record(title="董事会机密纪要", security_level=SecurityLevel.CONFIDENTIAL, medium=Medium.PAPER)

    # Staff cannot open the record, so they ask by its archive number.
    log_in(page, "staff", PASSWORD)
    page.click('.main-nav a[href="/lending/"]')
    page.fill("#find_archive_number", record.archive_number)
    page.locator(".inline-fields button").click()
    expect(page).to_have_url(re.compile(r"/lending/request/\?"))
    # Neither the title nor the level nor the approvals it needs (R-ACCESS):
    # a number no record has gets the same page.
    expect(page.locator("body")).not_to_contain_text("董事会机密纪要")
    expect(page.locator("body")).not_to_contain_text("机密")
    expect(page.locator(".approval-options")).to_have_count(0)
    page.locator('input[name="kind"][value="view"]').check()
    page.fill("#id_purpose", "核对合同条款")
    screenshot(page, "lending_request_confidential")
    page.locator('button[name="send"]').click()
    expect(page).to_have_url(re.compile(r"/lending/$"))
    expect(page.locator(".message--success")).to_contain_text(record.archive_number)
    request = LoanRequest.objects.get()
    assert request.state == RequestState.PENDING
    # With the archive until decided, like a request for a number no record has.
    expect(page.locator(f"#request-{request.pk}")).to_have_count(0)

    # The department head approves in the inbox.
    head_context, head = new_session(browser, live_server)
    log_in(head, "head", PASSWORD)
    inbox_link = head.locator('.main-nav a[href="/lending/inbox/"]')
    expect(inbox_link.locator(".nav-count")).to_have_text("1")
    inbox_link.click()
    item = head.locator(f'.inbox-item[data-request="{request.pk}"]')
    expect(item).to_contain_text("张小梅")
    expect(item).to_contain_text("董事会机密纪要")
    expect(item).to_contain_text("机密档案")
    expect(item).not_to_contain_text("R-LEND")
    screenshot(head, "lending_inbox")
    item.locator('button[name="approve"]').click()
    expect(head.locator(".message--success")).to_be_visible()
    expect(head.locator(".inbox-item")).to_have_count(0)
    head_context.close()
    request.refresh_from_db()
    assert request.state == RequestState.APPROVED
    # Approval opens nothing: the record opens when it is handed over.
    assert not AccessGrant.objects.exists()

    # The archivist shows the paper in place; staff may open the record meanwhile.
    desk_context, desk = new_session(browser, live_server)
    log_in(desk, "archivist", PASSWORD)
    desk.goto("/lending/desk/")
    row = desk.locator(f'.desk-to-hand-out tr[data-request="{request.pk}"]')
    row.locator("summary").click()
    row.locator('.inline-confirm__body button[type="submit"]').click()
    expect(desk.locator(".message--success")).to_be_visible()
    request.refresh_from_db()
    assert request.state == RequestState.OUT
    assert AccessGrant.objects.active().filter(user=staff, record=record).exists()
    page.goto(f"/records/{record.pk}/")
    expect(page.locator("h1")).to_have_text("董事会机密纪要")

    # Handed back: the view closes.
    loan = request.loan
    desk.goto("/lending/desk/")
    desk.locator(f'.desk-loans tr[data-loan="{loan.pk}"] a[href$="/return/"]').first.click()
    desk.locator('form.panel button[type="submit"]').click()
    expect(desk.locator(".message--success")).to_be_visible()
    desk_context.close()
    request.refresh_from_db()
    assert request.state == RequestState.DONE
    assert not AccessGrant.objects.active().exists()
