"""Previews of electronic files (records.previews, records.views.attachments):
PDFs and images open in the browser with the download's checks and access
log (R-ACCESS, R-LEND-4); every file has a thumbnail on the record page; the
MIME type and SHA-256 are folded away under technical details."""
import io
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation
from PIL import Image
from pypdf import PdfWriter

from accounts.roles import Role
from records.models import AccessAction, AccessLog, SecurityLevel
from records.previews import is_previewable, type_label
from tests.conftest import speak_english
from tests.records.test_filetypes import make_docx
from tests.records.test_views_attachments import attach

I, C = SecurityLevel.INTERNAL, SecurityLevel.CONFIDENTIAL


@pytest.fixture(autouse=True)
def english(client):
    speak_english(client)
    with translation.override("en"):
        yield


def make_pdf(pages=2):
    writer = PdfWriter()
    for _number in range(pages):
        writer.add_blank_page(width=200, height=100)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_photo(size=(800, 600)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def preview_url(attachment):
    return reverse("attachment_preview", args=[attachment.pk])


def thumbnail_url(attachment):
    return reverse("attachment_thumbnail", args=[attachment.pk])


# --- preview ---------------------------------------------------------------------------------


def test_a_pdf_opens_inline_with_a_policy_that_runs_nothing(client, staff, archivist, filed_record, private_storage):
    content = make_pdf()
    attachment = attach(filed_record(security_level=I), archivist, content, "展会方案.pdf")
    client.force_login(staff)

    response = client.get(preview_url(attachment))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy and "frame-ancestors 'none'" in policy
    assert AccessLog.objects.count() == 0  # an internal record's file is not logged, as for downloads


def test_an_image_opens_inline_sandboxed(client, staff, archivist, filed_record, private_storage):
    attachment = attach(filed_record(security_level=I), archivist, make_photo(), "展台.jpg")
    client.force_login(staff)
    response = client.get(preview_url(attachment))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"].startswith("sandbox;")


def test_r_access_a_confidential_preview_is_logged_like_a_download(
    client, leadership, archivist, filed_record, private_storage
):
    record = filed_record(security_level=C, title="董事会机密纪要")
    attachment = attach(record, archivist, make_pdf(), "纪要.pdf")
    client.force_login(leadership)

    assert client.get(preview_url(attachment)).status_code == 200
    assert client.head(preview_url(attachment)).status_code == 200  # HEAD sends nothing: not logged

    entry = AccessLog.objects.get()
    assert (entry.user, entry.record, entry.attachment, entry.action) == (
        leadership, record, attachment, AccessAction.DOWNLOAD
    )
    assert entry.where == "Preview"


@pytest.mark.parametrize("role", [Role.STAFF, Role.OUTSIDE_STAFF, Role.SYSADMIN])
def test_r_lend_4_preview_and_thumbnail_of_a_hidden_record_are_404_and_not_logged(
    client, role_users, archivist, filed_record, private_storage, role
):
    attachment = attach(filed_record(security_level=C), archivist, make_pdf(), "纪要.pdf")
    client.force_login(role_users[role])
    assert client.get(preview_url(attachment)).status_code == 404
    assert client.get(thumbnail_url(attachment)).status_code == 404
    assert AccessLog.objects.count() == 0


def test_a_word_file_is_not_previewed(client, staff, archivist, filed_record, private_storage):
    attachment = attach(filed_record(security_level=I), archivist, make_docx(), "协议.docx")
    client.force_login(staff)
    assert not is_previewable(attachment)
    assert client.get(preview_url(attachment)).status_code == 404


def test_preview_needs_a_login_and_a_safe_method(client, staff, archivist, filed_record, private_storage):
    attachment = attach(filed_record(security_level=I), archivist, make_pdf(), "a.pdf")
    url = preview_url(attachment)
    response = client.get(url)
    assert response.status_code == 302 and response.url == f"{reverse('login')}?next={url}"
    client.force_login(staff)
    assert client.post(url).status_code == 405
    assert client.post(thumbnail_url(attachment)).status_code == 405


# --- thumbnails ------------------------------------------------------------------------------


def test_an_image_thumbnail_is_the_picture_scaled_down(client, staff, archivist, filed_record, private_storage):
    attachment = attach(filed_record(security_level=I), archivist, make_photo((800, 600)), "展台.jpg")
    client.force_login(staff)
    response = client.get(thumbnail_url(attachment))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(response.content)) as picture:
        assert picture.size == (160, 120)
        assert picture.getpixel((80, 60))[:3] == pytest.approx((20, 120, 200), abs=8)


def blue_pdf():
    """One landscape page (200 × 100 pt) painted blue, drawn by WeasyPrint."""
    from weasyprint import HTML

    return HTML(string="<style>@page { size: 200pt 100pt; margin: 0 } body { margin: 0 }</style>"
                       '<div style="background: rgb(20, 100, 200); height: 100pt"></div>').write_pdf()


def test_a_pdf_thumbnail_is_its_first_page_drawn_small(client, staff, archivist, filed_record, private_storage):
    attachment = attach(filed_record(security_level=I), archivist, blue_pdf(), "方案.pdf")
    client.force_login(staff)
    response = client.get(thumbnail_url(attachment))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(response.content)) as picture:
        assert picture.size == (160, 80)
        assert picture.getpixel((80, 40))[:3] == pytest.approx((20, 100, 200), abs=8)


def test_a_pdf_that_cannot_be_drawn_is_an_icon_naming_its_type(staff, archivist, filed_record, private_storage):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=100)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    attachment = attach(filed_record(security_level=I), archivist, buffer.getvalue(), "加密.pdf")
    from records.previews import thumbnail

    picture = thumbnail(attachment)
    assert picture.content_type == "image/svg+xml"
    assert ET.fromstring(picture.content).get("aria-label").startswith("PDF document")


def test_a_pdf_icon_names_its_page_count(staff, archivist, filed_record, private_storage):
    attachment = attach(filed_record(security_level=I), archivist, make_pdf(pages=3), "方案.pdf")
    from records.previews import icon_svg

    svg = ET.fromstring(icon_svg(attachment, pages=3))
    texts = [element.text for element in svg.iter() if element.text]
    assert "PDF" in texts and "3 pages" in texts
    assert svg.get("aria-label") == "PDF document · 3 pages"


def test_r_access_a_confidential_thumbnail_shows_no_content_and_logs_nothing(
    client, leadership, archivist, filed_record, private_storage
):
    attachment = attach(filed_record(security_level=C), archivist, make_photo(), "机密.jpg")
    client.force_login(leadership)
    response = client.get(thumbnail_url(attachment))
    assert response["Content-Type"] == "image/svg+xml"
    assert ET.fromstring(response.content).get("aria-label") == "JPEG image"
    assert AccessLog.objects.count() == 0


def test_a_file_name_cannot_inject_into_the_icon(staff, archivist, filed_record, private_storage):
    attachment = attach(filed_record(security_level=I), archivist, make_docx(), "<b>协议&.docx")
    from records.previews import icon_svg

    ET.fromstring(icon_svg(attachment))  # parses: every text is escaped
    assert type_label(attachment) == "Word document (DOCX)"


# --- the record page -------------------------------------------------------------------------


def test_record_page_shows_thumbnails_previews_and_folds_technical_details(
    client, staff, archivist, filed_record, private_storage
):
    record = filed_record(security_level=I)
    pdf = attach(record, archivist, make_pdf(), "方案.pdf")
    docx = attach(record, archivist, make_docx(), "协议.docx")
    client.force_login(staff)

    html = client.get(reverse("record_detail", args=[record.pk])).content.decode()

    assert thumbnail_url(pdf) in html and thumbnail_url(docx) in html
    assert preview_url(pdf) in html and preview_url(docx) not in html
    assert reverse("attachment_download", args=[docx.pk]) in html
    assert "PDF document" in html and "Word document (DOCX)" in html  # the type in words
    assert ">SHA-256<" not in html  # no column of checksums
    details = html[html.index('<details class="technical-details">'):]
    assert pdf.sha256 in details and "application/pdf" in details
    assert "Checksum (SHA-256)" in details


def test_the_file_table_runs_the_same_queries_for_2_or_12_files(client, staff, archivist, filed_record, private_storage):
    from tests.query_counts import queries_for

    record = filed_record(security_level=I)
    for number in range(2):
        attach(record, archivist, make_pdf(1) + f"%{number}".encode(), f"扫描{number}.pdf")
    client.force_login(staff)
    url = reverse("record_detail", args=[record.pk])
    queries_for(client, url)  # the first request of a session reads more (login, caches)
    few = queries_for(client, url)
    for number in range(2, 12):
        attach(record, archivist, make_pdf(1) + f"%{number}".encode(), f"扫描{number}.pdf")
    assert queries_for(client, url) == few
