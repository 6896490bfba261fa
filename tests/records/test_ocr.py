"""Text recognition (OCR) of scanned files (issue 17, records.ocr): real
ocrmypdf and tesseract with chi_sim on generated Chinese pages. A scan
waits at upload, the job keeps a searchable PDF beside the untouched
original and the record is then found by a word of the page; a failure
says why on the record page and the archivist starts it again."""
import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader

from jobs.models import Job
from records import files
from records.attachments import add_attachment
from records.files.ocr import needs_ocr
from records.models import AccessLog, Attachment, OcrFailure, OcrState, SecurityLevel
from records.ocr import OCR_JOB
from records.search import search_records
from tests.conftest import speak_english
from tests.records.test_attachments import contract_pdf  # noqa: F401 (a fixture: a PDF with text)

FONT = "static/fonts/wqy-microhei.ttc"
PAGE_LINES = ("市场部年度推广方案", "品牌宣传活动预算审批")


@pytest.fixture(autouse=True)
def truncated_images_allowed():
    """WeasyPrint, loaded by the worker's PDF jobs, lets Pillow read cut-off
    images; a damaged scan must still be found damaged."""
    from PIL import ImageFile

    import weasyprint  # noqa: F401 (sets ImageFile.LOAD_TRUNCATED_IMAGES)

    assert ImageFile.LOAD_TRUNCATED_IMAGES


@pytest.fixture(autouse=True)
def english(client):
    speak_english(client)
    with translation.override("en"):
        yield


def scanned_page(lines=PAGE_LINES, *, image_format="PNG"):
    """A white page with black Chinese text at 300 dpi and no text layer:
    what a scanner makes of a printed page (small, so a test OCRs fast)."""
    font = ImageFont.truetype(FONT, 48)
    image = Image.new("L", (1240, 140 + 120 * len(lines)), 255)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((80, 80 + 120 * number), line, font=font, fill=0)
    out = io.BytesIO()
    if image_format == "PDF":
        image.save(out, format="PDF", resolution=300)
    else:
        image.save(out, format=image_format, dpi=(300, 300))
    return out.getvalue()


def upload(record, user, content, name):
    return add_attachment(record=record, uploaded_file=SimpleUploadedFile(name, content), by=user).attachment


def identified_needs_ocr(content, name, text=None):
    file = io.BytesIO(content)
    file_type = files.identify(file, name).file_type
    if text is None:
        text = files.extract_text(file, file_type)
    return needs_ocr(file_type, file, text)


def test_images_and_pdfs_without_a_text_layer_need_ocr(contract_pdf):
    assert identified_needs_ocr(scanned_page(), "扫描.png")
    assert identified_needs_ocr(scanned_page(image_format="JPEG"), "扫描.jpg")
    assert identified_needs_ocr(scanned_page(image_format="PDF"), "扫描.pdf")
    assert not identified_needs_ocr(contract_pdf, "合同.pdf", text="合同正文" * 20)
    assert not identified_needs_ocr("纯文本".encode(), "说明.txt")


@pytest.mark.parametrize("image_format, name", [("PNG", "扫描件.png"), ("PDF", "扫描件.pdf")])
def test_a_scan_is_recognised_in_the_background_and_found_by_search(
    filed_record, archivist, private_storage, run_jobs, image_format, name
):
    record = filed_record(security_level=SecurityLevel.INTERNAL)
    original = scanned_page(image_format=image_format)

    attachment = upload(record, archivist, original, name)

    assert attachment.ocr_state == OcrState.WAITING
    assert Job.objects.get(kind=OCR_JOB).params == {"attachment": attachment.pk}
    assert search_records(archivist, "推广方案").count() == 0

    run_jobs()

    attachment.refresh_from_db()
    assert attachment.ocr_state == OcrState.DONE and attachment.ocr_failure == ""
    assert attachment.ocr_finished_at is not None
    # The original stays as uploaded; the copy is a PDF beside it with a text layer.
    stored_original = (private_storage / attachment.file.name).read_bytes()
    assert hashlib.sha256(stored_original).hexdigest() == attachment.sha256 == hashlib.sha256(original).hexdigest()
    assert attachment.ocr_copy.name.startswith(attachment.file.name)
    copy = private_storage / attachment.ocr_copy.name
    assert copy.read_bytes().startswith(b"%PDF")
    assert attachment.ocr_copy_sha256 == hashlib.sha256(copy.read_bytes()).hexdigest()  # for the file check
    layer = "".join(page.extract_text() for page in PdfReader(copy).pages)
    assert "推广" in layer.replace(" ", "")
    assert "推广方案" in attachment.extracted_text
    hits = search_records(archivist, "推广方案")
    assert [hit.pk for hit in hits[:10]] == [record.pk]
    assert search_records(archivist, "预算审批").count() == 1


def test_record_page_shows_the_state_and_serves_the_copy_through_the_access_checks(
    client, filed_record, archivist, outside_staff, private_storage, run_jobs
):
    record = filed_record(security_level=SecurityLevel.CONFIDENTIAL)
    attachment = upload(record, archivist, scanned_page(), "机密扫描.png")
    client.force_login(archivist)
    page = client.get(reverse("record_detail", args=[record.pk])).content.decode()
    assert "Waiting for text recognition" in page

    run_jobs()

    page = client.get(reverse("record_detail", args=[record.pk])).content.decode()
    copy_url = reverse("attachment_ocr_copy", args=[attachment.pk])
    assert "Text recognised" in page and copy_url in page
    before = AccessLog.objects.count()
    response = client.get(copy_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AccessLog.objects.count() == before + 1  # a confidential record's file: logged (R-ACCESS)

    client.force_login(outside_staff)
    assert client.get(copy_url).status_code == 404  # never says the record exists (R-LEND-4)


@pytest.mark.parametrize("image_format", ["PNG", "JPEG"])
def test_a_damaged_image_fails_with_its_reason_on_the_record_page(
    image_format, client, filed_record, archivist, private_storage, run_jobs
):
    record = filed_record()
    scan = scanned_page(image_format=image_format)
    damaged = scan[: len(scan) // 2]  # cut off half-way, as an interrupted copy leaves it
    attachment = upload(record, archivist, damaged, f"损坏.{image_format.lower()}")

    run_jobs()

    attachment.refresh_from_db()
    assert attachment.ocr_state == OcrState.FAILED
    assert attachment.ocr_failure == OcrFailure.DAMAGED
    assert not attachment.ocr_copy
    client.force_login(archivist)
    page = client.get(reverse("record_detail", args=[record.pk])).content.decode()
    assert "Text recognition failed: the file is damaged or cannot be read" in page
    assert reverse("attachment_ocr_retry", args=[attachment.pk]) in page
    assert Job.objects.get(kind=OCR_JOB).state == "failed"


def test_the_archivist_retries_a_failed_recognition(
    client, filed_record, archivist, staff, private_storage, run_jobs
):
    record = filed_record()
    content = scanned_page()
    attachment = upload(record, archivist, content, "扫描件.png")
    stored = private_storage / attachment.file.name
    stored.unlink()  # lost from storage before the job ran
    run_jobs()
    attachment.refresh_from_db()
    assert (attachment.ocr_state, attachment.ocr_failure) == (OcrState.FAILED, OcrFailure.MISSING)
    stored.write_bytes(content)  # restored from the backup
    retry_url = reverse("attachment_ocr_retry", args=[attachment.pk])

    client.force_login(staff)
    assert client.post(retry_url).status_code == 403
    client.force_login(archivist)
    response = client.post(retry_url)

    assert response.status_code == 302
    attachment.refresh_from_db()
    assert attachment.ocr_state == OcrState.WAITING and attachment.ocr_failure == ""
    run_jobs()
    attachment.refresh_from_db()
    assert attachment.ocr_state == OcrState.DONE
    assert search_records(archivist, "推广方案").count() == 1
    # Only a failed recognition is started again.
    assert client.post(retry_url).status_code == 403
    assert attachment.history.filter(ocr_state=OcrState.FAILED).exists()


def test_r_disp_3_the_searchable_copy_leaves_the_storage_with_its_destroyed_original(
    filed_record, archivist, private_storage, run_jobs, django_capture_on_commit_callbacks
):
    from records.services import record_destroy

    record = filed_record()
    attachment = upload(record, archivist, scanned_page(), "扫描件.png")
    run_jobs()
    attachment.refresh_from_db()
    original, copy = private_storage / attachment.file.name, private_storage / attachment.ocr_copy.name
    assert original.exists() and copy.exists()

    with django_capture_on_commit_callbacks(execute=True):
        record_destroy(record=record, reason="保管期满", by=archivist)

    assert not original.exists() and not copy.exists()
    attachment.refresh_from_db()
    assert attachment.bytes_removed_at is not None and not attachment.ocr_copy
    assert search_records(archivist, "推广方案").count() == 0


def test_scans_stored_before_recognition_are_queued_once_by_the_command(
    filed_record, archivist, staff, private_storage, contract_pdf
):
    from django.core.management import CommandError, call_command

    record = filed_record(security_level=SecurityLevel.INTERNAL)
    scan = upload(record, archivist, scanned_page(), "旧扫描件.png")
    text_pdf = upload(record, archivist, contract_pdf, "合同.pdf")
    Attachment.objects.filter(pk=scan.pk).update(ocr_state=OcrState.NOT_NEEDED)  # as before the upgrade
    Job.objects.all().delete()
    assert text_pdf.ocr_state == OcrState.NOT_NEEDED

    with pytest.raises(CommandError):
        call_command("ocr_existing_scans", "--by", staff.username, stdout=io.StringIO())
    out = io.StringIO()
    call_command("ocr_existing_scans", "--by", archivist.username, stdout=out)

    scan.refresh_from_db()
    text_pdf.refresh_from_db()
    assert (scan.ocr_state, text_pdf.ocr_state) == (OcrState.WAITING, OcrState.NOT_NEEDED)
    job = Job.objects.get(kind=OCR_JOB)
    assert job.params == {"attachment": scan.pk} and job.owner == archivist
    assert "2 stored images and PDFs read; 1 scans queued" in out.getvalue()
    call_command("ocr_existing_scans", "--by", archivist.username, stdout=io.StringIO())
    assert Job.objects.filter(kind=OCR_JOB).count() == 1  # nothing twice
