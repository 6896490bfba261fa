"""A controlled document's life in a real browser (R-CTRL-1..5, R-SCOPE 4):
the archivist registers an outgoing document in the correspondence
register, registers it from the line's page as a controlled document with
its PDF and an approval paper, and distributes it to three people after
the confirmation page; one recipient signs for the copy in "my copies",
downloads it stamped with its controlled number and their name on every
page (read back with pypdf) and reports it lost; the archivist, from the
desk, issues a new copy under a new number on a new line, then voids the
document (confirmation page, reason): its copies are listed on the recall
page, and the distribution register PDF reads back with both numbers and
the remarks (lost with its date, void and recalled).

Selectors use names, classes, data attributes and addresses, not words,
so the journey does not depend on the translations; the remarks are
checked against the catalogue. With ARCHIVE_SCREENSHOT_DIR set, the desk,
the document after distribution, my copies and the recall list are saved
as controlled-*.png, the stamped copy and the register as
controlled-copy.pdf and controlled-register.pdf."""
import os
import re
import shutil
from pathlib import Path

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from accounts.roles import Role
from documents.models import ControlledCopy, ControlledDocument, CopyState, Correspondence, Direction, DocumentState
from tests.browser.conftest import nav_click
from tests.browser.test_disposal_journey import named, new_session
from tests.browser.test_journeys import PASSWORD, log_in
from tests.browser.test_stocktake_journey import pdf_text
from tests.conftest import make_user
from tests.documents.support import pdf_bytes
from tests.factories import DepartmentFactory, marketing_department

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "关于规范市场活动费用报销的通知"


def pdf_pages(response, tmp_path, name):
    """Each page's text of a PDF answer, whitespace removed."""
    from pypdf import PdfReader

    assert response.ok and response.headers["content-type"].startswith("application/pdf")
    path = tmp_path / name
    path.write_bytes(response.body())
    return [re.sub(r"\s+", "", page.extract_text()) for page in PdfReader(path).pages]


def keep(path, name):
    """A PDF the journey read, kept beside the screenshots."""
    if os.environ.get("ARCHIVE_SCREENSHOT_DIR"):
        shutil.copy(path, Path(os.environ["ARCHIVE_SCREENSHOT_DIR"]) / name)


def a_pdf(name, pages, text):
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes(pages=pages, text=text)}


def register_outgoing(page, finance, handler):
    page.goto("/documents/correspondence/new/?direction=out")
    expect(page.locator('input[name="direction"][value="out"]')).to_be_checked()
    page.fill("#id_document_date", timezone.localdate().isoformat())
    page.fill("#id_title", TITLE)
    page.select_option("#id_sender", str(marketing_department().pk))
    page.check(f'input[name="receivers"][value="{finance.pk}"]')
    page.fill("#id_pages", "3")
    page.select_option("#id_handler", str(handler.pk))
    page.click('form button[type="submit"].button--primary')
    line = Correspondence.objects.get()
    expect(page).to_have_url(re.compile(rf"/documents/correspondence/{line.pk}/$"))
    assert line.direction == Direction.OUTGOING
    return line


def register_controlled(page, line):
    """From the outgoing line's page: the desk's form, filled from the line."""
    page.click(f'a[data-action="register-controlled"][href$="?correspondence={line.pk}"]')
    expect(page.locator(f'[data-correspondence="{line.pk}"]')).to_be_visible()
    expect(page.locator("#id_title")).to_have_value(TITLE)
    expect(page.locator("#id_reference")).to_have_value(line.number)
    page.set_input_files('input[name="source"]', a_pdf("费用报销通知.pdf", 3, TITLE))
    page.set_input_files('input[name="approval_papers"]', a_pdf("发文审批单.pdf", 1, "发文审批单"))
    page.click('form button[type="submit"].button--primary')
    document = ControlledDocument.objects.get()
    expect(page).to_have_url(re.compile(rf"/documents/controlled/{document.pk}/$"))
    assert (document.state, document.correspondence_id, document.papers.count()) == (DocumentState.READY, line.pk, 1)
    return document


def distribute(page, document, recipients, screenshot):
    page.click('a[data-action="distribute"]')
    for row, person in enumerate(recipients):
        page.select_option(f'select[name="rows-{row}-person"]', str(person.pk))
    page.click('.distribution-form button[type="submit"].button--primary')
    expect(page.locator(".distribution-summary tbody tr")).to_have_count(3)
    page.click('button[data-action="issue"]')
    expect(page).to_have_url(re.compile(rf"/documents/controlled/{document.pk}/$"))
    expect(page.locator('.document-lines tr[data-copy][data-state="issued"]')).to_have_count(3)
    screenshot(page, "controlled-document")
    document.refresh_from_db()
    assert document.state == DocumentState.IN_FORCE
    return {copy.recipient_user_id: copy for copy in document.copies.all()}


def sign_download_report_lost(browser, live_server, copy, holder, screenshot, tmp_path):
    """The holder's way: my copies, sign, the stamped download, lost."""
    context, mine = new_session(browser, live_server, holder.username)
    nav_click(mine, "/documents/my-copies/")
    row = f'.copies-table tr[data-copy="{copy.pk}"]'
    expect(mine.locator(f'{row}[data-state="issued"]')).to_be_visible()
    mine.click(f'{row} form[action="/documents/copies/{copy.pk}/sign/"] button[type="submit"]')
    expect(mine.locator(f'{row}[data-state="signed"]')).to_be_visible()
    screenshot(mine, "controlled-my-copies")
    pages = pdf_pages(
        mine.request.get(mine.locator(f"{row} a[data-download]").get_attribute("href")), tmp_path, "copy.pdf"
    )
    assert len(pages) == 3
    for number, text in enumerate(pages, start=1):
        assert copy.control_number in text and holder.full_name in text and f"第{number}页" in text, number
    mine.click(f'{row} a[href="/documents/copies/{copy.pk}/report/"]')
    mine.check('input[name="which"][value="lost"]')
    mine.fill('textarea[name="note"]', "出差途中遗失")
    mine.click('form button[type="submit"].button--primary')
    expect(mine).to_have_url(re.compile(r"/documents/my-copies/$"))
    expect(mine.locator(f'{row}[data-state="lost"]')).to_be_visible()
    context.close()


def reissue_from_the_desk(page, lost):
    nav_click(page, "/documents/")
    page.click(f'.desk-waiting [data-section="lost"] [data-copy="{lost.pk}"] a')
    page.click(f'.document-lines tr[data-copy="{lost.pk}"] a[href="/documents/copies/{lost.pk}/reissue/"]')
    page.click('button[name="confirm"]')
    new_copy = ControlledCopy.objects.get(replaces=lost)
    expect(page.locator(f'.document-lines tr[data-copy="{new_copy.pk}"][data-state="issued"]')).to_be_visible()
    expect(page.locator(f'.document-lines tr[data-copy="{lost.pk}"][data-state="lost"]')).to_be_visible()
    assert new_copy.control_number != lost.control_number
    assert new_copy.recipient_user_id == lost.recipient_user_id
    return new_copy


def void(page, document):
    page.click('a[data-action="void"]')
    expect(page.locator(".confirm-count")).to_have_attribute("data-count", "3")
    page.fill('textarea[name="reason"]', "公司报销制度已修订，本通知废止")
    page.click('button[name="confirm"]')
    expect(page).to_have_url(re.compile(r"/documents/recalls/"))  # where the recall is followed
    document.refresh_from_db()
    assert document.state == DocumentState.VOID


def test_r_ctrl_1_to_5_outgoing_document_distributed_signed_downloaded_lost_reissued_voided_registered(
    browser, live_server, page, archivist, department_head, staff, private_storage, screenshot, tmp_path,
):
    named(archivist, "王芳")
    holder = named(staff, "张小梅")
    colleague = named(make_user(Role.STAFF, "colleague"), "李明")
    head = named(department_head, "陈经理")
    finance = DepartmentFactory(code="CWB", name="财务部")

    # The outgoing line, then the controlled document registered from it.
    log_in(page, "archivist", PASSWORD)
    line = register_outgoing(page, finance, archivist)
    document = register_controlled(page, line)

    # Distribution to three people, after the confirmation page.
    copies = distribute(page, document, (holder, colleague, head), screenshot)
    lost = copies[holder.pk]
    nav_click(page, "/documents/")
    expect(page.locator(f'.desk-documents tr[data-document="{document.pk}"] [data-copies-out]')).to_have_attribute(
        "data-copies-out", "3"
    )
    screenshot(page, "controlled-desk")

    # The holder signs for the copy, downloads it stamped, reports it lost.
    sign_download_report_lost(browser, live_server, lost, holder, screenshot, tmp_path)
    lost.refresh_from_db()
    assert (lost.state, lost.holder_id, lost.lost_on) == (CopyState.LOST, holder.pk, timezone.localdate())

    # The archivist issues a new copy under a new number, then voids the
    # document: its copies out are on the recall list.
    new_copy = reissue_from_the_desk(page, lost)
    void(page, document)
    group = page.locator(f'.recall-group[data-document="{document.pk}"]')
    expect(group.locator('tr[data-copy][data-state="recalled"]')).to_have_count(3)
    expect(group.locator(f'tr[data-copy="{new_copy.pk}"]')).to_be_visible()
    expect(group.locator(f'tr[data-copy="{lost.pk}"]')).to_have_count(0)
    screenshot(page, "controlled-recalls")

    # The distribution register, read back: both numbers and the remarks.
    page.goto(f"/documents/controlled/{document.pk}/")
    href = page.locator('a[data-register="pdf"]').get_attribute("href")
    text = pdf_text(page.request.get(href), tmp_path, "distribution.pdf")
    keep(tmp_path / "copy.pdf", "controlled-copy.pdf")
    keep(tmp_path / "distribution.pdf", "controlled-register.pdf")
    today = f"{timezone.localdate():%Y-%m-%d}"
    with translation.override("zh-hans"):
        lost_words = translation.pgettext("distribution register remark", "lost")
        void_words = translation.pgettext("distribution register remark", "void, recalled")
        clauses = translation.pgettext("clause separator", "; ")
    # The new copy's remark: the lost number it replaces, then the recall, as two entries.
    after_lost_number = f"{lost.control_number}{clauses}{today}{void_words}"
    for expected in (lost.control_number, new_copy.control_number, f"{today}{lost_words}", after_lost_number,
                     TITLE, "张小梅", "李明", "陈经理"):
        assert re.sub(r"\s+", "", expected) in text, expected
