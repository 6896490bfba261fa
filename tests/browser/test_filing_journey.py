"""The filing desk in a real browser (R-FILE-2, R-FILE-3, R-FILE-5): staff
hand in two items through the portal, the archivist receives both as one
handover through the confirmation step, staff then see the archive numbers.
With ARCHIVE_SCREENSHOT_DIR set, the queue and the receipt pages are saved
as screenshots."""
import re

import pytest
from playwright.sync_api import expect

from records.models import Handover, Record, RecordStatus
from tests.browser.test_journeys import PASSWORD, log_in
from tests.factories import category
from tests.records.test_filing_services import make_box

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def hand_in(page, *, title, pages, file_path=None, screenshot=None):
    page.click('.main-nav a[href="/filing/new/"]')
    page.fill("#id_title", title)
    page.select_option("#id_category", str(category("NBHY").pk))
    page.fill("#id_document_date", "2025-06-12")
    page.fill("#id_responsible_party", "市场部")
    page.fill("#id_copies", "1")
    page.fill("#id_pages", str(pages))
    page.fill("#id_notes", "上海出差期间的会议材料")
    if file_path:
        page.set_input_files("#id_files", str(file_path))
    if screenshot:
        screenshot(page, "filing_submission_form")
    page.click('button[name="submit"]')
    expect(page).to_have_url(re.compile(r"/filing/mine/$"))


def test_r_file_2_r_file_3_hand_in_receive_with_confirmation_and_see_the_number(
    browser, live_server, page, staff, archivist, screenshot, tmp_path, settings
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "files", "base_url": None},
        },
    }
    staff.full_name, archivist.full_name = "张小梅", "王芳"
    staff.save()
    archivist.save()
    make_box("B001")
    box = make_box("B002")
    minutes_file = tmp_path / "会议纪要.txt"
    minutes_file.write_text("上海展会会议纪要：与华东代理商商定季度目标。", encoding="utf-8")

    # Staff hand in two items from a trip.
    log_in(page, "staff", PASSWORD)
    hand_in(page, title="上海展会会议纪要", pages=5, file_path=minutes_file, screenshot=screenshot)
    hand_in(page, title="上海展会客户名单", pages=3)
    rows = page.locator(".submissions-table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator(".submissions-table .badge--status-submitted")).to_have_count(2)
    minutes = Record.objects.get(title="上海展会会议纪要")
    assert minutes.attachments.get().original_name == "会议纪要.txt"

    # The archivist receives both, in a session of their own.
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(10_000)
    desk = context.new_page()
    log_in(desk, "archivist", PASSWORD)
    desk.click('.main-nav a[href="/filing/queue/"]')
    group = desk.locator(".queue-group")
    expect(group).to_have_count(1)
    expect(group.locator("h2")).to_have_text("张小梅")
    expect(group.locator(".queue-table tbody tr")).to_have_count(2)
    expect(group).to_contain_text("会议纪要.txt")
    screenshot(desk, "filing_receiving_queue")

    group.locator('button[type="submit"]').click()
    expect(desk).to_have_url(re.compile(r"/filing/receive/\?"))
    rows = desk.locator(".receive-table tbody tr")
    expect(rows).to_have_count(2)
    for index in range(2):
        desk.select_option(f"#id_form-{index}-location", str(box.pk))
    desk.fill("#id_form-1-pages_received", "4")  # one page more than submitted
    desk.fill("#id_form-1-remarks", "附名片复印件一页")
    desk.fill("#id_notes", "上海出差材料")
    screenshot(desk, "filing_receive")

    desk.click('button[name="check"]')
    expect(desk.locator(".confirm-table tbody tr")).to_have_count(2)
    expect(desk.locator(".notice--warning")).to_be_visible()
    expect(desk.locator(".confirm-table .differs")).not_to_have_count(0)
    assert not Handover.objects.exists()  # nothing is filed before the confirmation
    screenshot(desk, "filing_confirm")

    desk.click('button[name="confirm"]')
    expect(desk).to_have_url(re.compile(r"/handovers/\d+/$"))
    handover = Handover.objects.get()
    minutes.refresh_from_db()
    clients = Record.objects.get(title="上海展会客户名单")
    assert minutes.status == clients.status == RecordStatus.FILED
    assert clients.pages == 4
    expect(desk.locator("h1")).to_contain_text(handover.number)
    expect(desk.locator(".handover-items")).to_contain_text(minutes.archive_number)
    expect(desk.locator(".handover-items")).to_contain_text(clients.archive_number)
    screenshot(desk, "filing_handover")
    context.close()

    # Staff see their items filed, with the archive numbers.
    page.goto("/filing/mine/")
    expect(page.locator(".submissions-table .badge--status-filed")).to_have_count(2)
    expect(page.locator(".submissions-table")).to_contain_text(minutes.archive_number)
    expect(page.locator(".submissions-table")).to_contain_text(clients.archive_number)
    screenshot(page, "filing_my_submissions")
    page.get_by_role("link", name="上海展会会议纪要").click()
    expect(page.locator(".custody")).to_contain_text(box.path_label)
    expect(page.locator('[data-action="print_handover"]')).to_be_visible()
    screenshot(page, "filing_record_page")
