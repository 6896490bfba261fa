"""The year-end disposal in a real browser (R-DISP-1..3): the archivist
builds the year-end list on the appraisal page (a held record is shown
apart and stays off it) and submits it; the department head approves it
from the home page, after its confirmation page; leadership gives the
final approval; the archivist records the destruction with two witnesses;
each witness confirms in their own session; the archivist executes the
list after its confirmation page; the destruction certificate PDF is
downloaded and its text read back; the record page shows the tombstone.

Selectors use classes and data attributes, not text, so the journey does
not depend on the translations; the tombstone's words are checked against
the catalogue. With ARCHIVE_SCREENSHOT_DIR set, the appraisal page, the
confirmation pages, the witness page and the record page are saved, with
the certificate as disposal-certificate.pdf."""
import os
import re
from pathlib import Path

import pytest
from django.utils import formats, timezone, translation
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.roles import Role
from disposal.models import DisposalList, ListState
from records.models import Attachment, RecordStatus
from records.services import hold_place
from tests.browser.conftest import nav_click
from tests.browser.test_journeys import PASSWORD, log_in
from tests.conftest import make_user
from tests.disposal.support import due_record, with_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def new_session(browser, live_server, username):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, username, PASSWORD)
    return context, page


def named(user, name):
    user.full_name = name
    user.save()
    return user


def approve_from_home(page, disposal_list, screenshot, name):
    """An approver's way: the home panel, the list, the confirmation page."""
    page.goto("/")
    page.locator(f'[data-panel="disposal"] [data-section="approve"] [data-list="{disposal_list.number}"] a').click()
    page.locator(".list-actions a[href$='/approve/']").click()
    expect(page.locator(".confirm-count")).to_have_attribute("data-count", "2")
    screenshot(page, name)
    page.locator('button[name="confirm"]').click()
    expect(page).to_have_url(re.compile(rf"/disposal/lists/{disposal_list.pk}/$"))
    expect(page.locator(".message--success")).to_be_visible()


def test_r_disp_1_2_3_year_end_list_approved_witnessed_executed_certified(
    browser, live_server, page, archivist, department_head, leadership, staff, filed_record, private_storage,
    screenshot, tmp_path,
):
    named(archivist, "王芳")
    named(department_head, "陈经理")
    named(leadership, "刘总")
    first_witness = named(staff, "张小梅")
    second_witness = named(make_user(Role.STAFF, "colleague"), "李明")
    destroyed = due_record(filed_record, title="二〇〇〇年展会合同")
    with_file(destroyed, archivist)
    also_destroyed = due_record(filed_record, title="二〇〇〇年宣传册")
    held = due_record(filed_record, title="涉诉代理协议")
    hold_place(record=held, by=department_head, reason="合同纠纷")
    year = timezone.localdate().year

    # The archivist builds the year-end list: what is due, the held record apart.
    log_in(page, "archivist", PASSWORD)
    nav_click(page, "/disposal/")
    page.click('.panel__header a[href="/disposal/appraisal/"]')
    expect(page.locator(".appraisal-count")).to_have_attribute("data-listable", "2")
    expect(page.locator(f'.appraisal-kept tr[data-record="{held.pk}"] .kept-reasons')).to_contain_text("合同纠纷")
    expect(page.locator(f'.appraisal-listable input[value="{held.pk}"]')).to_have_count(0)
    page.check('input[name="scope"][value="all"]')
    page.select_option("#id_target", "new")
    page.check('input[name="action"][value="destroy"]')
    page.fill("#id_list_opinion", "经鉴定，以下档案保管期限已满，无继续保存价值，建议销毁。")
    screenshot(page, "disposal_appraisal")
    page.click('button[name="add"]')
    disposal_list = DisposalList.objects.get()
    expect(page).to_have_url(re.compile(rf"/disposal/lists/{disposal_list.pk}/$"))
    expect(page.locator(".list-items tr[data-item]")).to_have_count(2)
    assert (disposal_list.year, set(disposal_list.items.values_list("record_id", flat=True))) == (
        year, {destroyed.pk, also_destroyed.pk}
    )
    page.click('.list-actions button[name="submit"]')
    expect(page.locator('.record-heading [data-state="submitted"]')).to_be_visible()

    # The department head, then leadership, approve from their home pages.
    head_context, head = new_session(browser, live_server, "head")
    approve_from_home(head, disposal_list, screenshot, "disposal_approve_head")
    expect(head.locator('.record-heading [data-state="head_approved"]')).to_be_visible()
    head_context.close()
    leader_context, leader = new_session(browser, live_server, "leader")
    approve_from_home(leader, disposal_list, screenshot, "disposal_approve_leadership")
    expect(leader.locator('.record-heading [data-state="leadership_approved"]')).to_be_visible()
    leader_context.close()

    # The archivist records the destruction before two witnesses.
    page.goto("/")
    page.locator(f'[data-panel="disposal"] [data-section="execute"] [data-list="{disposal_list.number}"] a').click()
    page.click(".list-actions a[href$='/destruction/']")
    expect(page.locator("#id_date")).to_have_value(timezone.localdate().isoformat())
    page.fill("#id_place", "档案室碎纸间")
    page.select_option("#id_method", "both")
    page.select_option("#id_witness_1", str(first_witness.pk))
    page.select_option("#id_witness_2", str(second_witness.pk))
    screenshot(page, "disposal_destruction_form")
    page.click('.destruction-form button[type="submit"]')
    expect(page.locator(".destruction-panel .witness-waiting")).to_have_count(2)

    # Each witness confirms in their own session, from the home page.
    for witness in (first_witness, second_witness):
        context, other = new_session(browser, live_server, witness.username)
        other.locator('[data-panel="disposal"] [data-section="confirm"] a').click()
        expect(other.locator(".witness-count")).to_have_attribute("data-count", "2")
        expect(other.locator(".witness-records")).to_contain_text("二〇〇〇年展会合同")
        screenshot(other, f"disposal_witness_{witness.username}")
        other.click('button[name="confirm"]')
        expect(other.locator(".message--success")).to_be_visible()
        context.close()

    # The archivist executes after the confirmation page.
    page.reload()
    expect(page.locator(".destruction-panel .witness-confirmed")).to_have_count(2)
    page.click(".list-actions a[href$='/execute/']")
    summary = page.locator(".confirm-count")
    expect(summary).to_have_attribute("data-destroys", "2")
    expect(summary).to_have_attribute("data-files", "1")
    screenshot(page, "disposal_execute_confirm")
    page.click('button[name="confirm"]')
    expect(page.locator('.record-heading [data-state="executed"]')).to_be_visible()
    disposal_list.refresh_from_db()
    destroyed.refresh_from_db()
    held.refresh_from_db()
    assert disposal_list.state == ListState.EXECUTED
    assert (destroyed.status, held.status) == (RecordStatus.DESTROYED, RecordStatus.FILED)
    assert Attachment.objects.get(record=destroyed).destroyed_at is not None

    # The certificate, downloaded as PDF and read back.
    page.click(".certificate-link")
    with page.expect_download() as info:
        page.click('button[name="format"][value="pdf"]')
    download = info.value
    assert download.failure() is None
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    if os.environ.get("ARCHIVE_SCREENSHOT_DIR"):
        download.save_as(Path(os.environ["ARCHIVE_SCREENSHOT_DIR"]) / "disposal-certificate.pdf")
    text = "\n".join(pdf_page.extract_text() for pdf_page in PdfReader(path).pages)
    flat = re.sub(r"\s+", "", text)
    for expected in (disposal_list.number, "档案室碎纸间", "王芳", "张小梅", "李明", "陈经理", "刘总", destroyed.archive_number):
        assert re.sub(r"\s+", "", expected) in flat, expected
    assert held.archive_number not in flat

    # The record page keeps the record's description and says when and under which list.
    page.goto(f"/records/{destroyed.pk}/")
    with translation.override("zh-hans"):
        words = translation.gettext("Destroyed on %(date)s, destruction list %(number)s")
        day = formats.date_format(timezone.localdate(), "DATE_FORMAT")
    tombstone = page.locator('[data-panel="disposal"] .disposal-tombstone')
    expect(tombstone).to_have_text(words % {"date": day, "number": disposal_list.number})
    expect(tombstone.locator("a")).to_have_attribute("href", f"/disposal/lists/{disposal_list.pk}/")
    expect(page.locator(".record-heading h1")).to_have_text("二〇〇〇年展会合同")
    screenshot(page, "disposal_record_tombstone")
