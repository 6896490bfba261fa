"""Previews in a real browser: the record page's thumbnails load (an image
scaled down, a PDF's icon) and an image opens in the browser under its own
Content-Security-Policy without a violation."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from records.attachments import add_attachment
from records.models import SecurityLevel
from records.services import record_file
from tests.factories import RecordFactory

PASSWORD = "pass-for-tests-1"  # tests.factories.UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def pdf_bytes():
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=100)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (20, 120, 200)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_thumbnails_load_and_an_image_preview_shows(page, staff, archivist, private_storage):
    record = record_file(record=RecordFactory(security_level=SecurityLevel.INTERNAL, title="展会照片"), by=archivist)
    photo = add_attachment(record=record, uploaded_file=SimpleUploadedFile("展台.jpg", jpeg_bytes()), by=archivist)
    add_attachment(record=record, uploaded_file=SimpleUploadedFile("方案.pdf", pdf_bytes()), by=archivist)
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)

    page.goto("/accounts/login/")
    page.fill("#id_username", staff.username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.goto(f"/records/{record.pk}/")
    # Lazy images do not hold up the page's load event: wait for both to
    # finish (loaded or failed), then read their sizes.
    page.wait_for_function(
        "() => [...document.querySelectorAll('.attachment-thumb img')].every(image => image.complete)"
    )

    widths = page.eval_on_selector_all(".attachment-thumb img", "images => images.map(image => image.naturalWidth)")
    assert len(widths) == 2 and all(width > 0 for width in widths), widths
    assert page.locator(".technical-details").first.is_visible()
    assert not page.locator(".technical-details dd").first.is_visible()  # folded away

    response = page.goto(f"/attachments/{photo.attachment.pk}/preview/")
    assert response.status == 200
    assert page.eval_on_selector("img", "image => image.naturalWidth") == 640
    assert violations == []
