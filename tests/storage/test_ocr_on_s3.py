"""Text recognition (issue 17, records.ocr) with the files on S3-compatible
object storage, against a real S3 server (moto, tests/storage_support.py)
and the real ocrmypdf and tesseract: the job reads the scan from the bucket,
keeps the searchable copy in the bucket beside it (nothing on the local
disk), the record is found by a word of the page, and the record page's
link to the copy streams it from the bucket."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from jobs.models import Job, JobState
from records.attachments import add_attachment
from records.models import OcrState, SecurityLevel
from records.ocr import OCR_JOB
from records.search import search_records
from tests.conftest import run_queued_tasks, speak_english
from tests.records.test_ocr import scanned_page

pytestmark = pytest.mark.django_db


def test_a_scan_in_the_bucket_is_recognised_and_its_searchable_copy_kept_and_served_from_there(
    client, filed_record, archivist, s3_bucket, settings, tmp_path
):
    settings.JOBS_TMP_DIR = tmp_path / "job_tmp"
    record = filed_record(title="扫描存档的纸质文件", security_level=SecurityLevel.INTERNAL)
    original = scanned_page()
    attachment = add_attachment(
        record=record, uploaded_file=SimpleUploadedFile("推广方案扫描.png", original), by=archivist
    ).attachment
    assert attachment.ocr_state == OcrState.WAITING
    assert search_records(archivist, "推广方案").count() == 0

    assert run_queued_tasks() == 1

    job = Job.objects.get(kind=OCR_JOB)
    assert job.state == JobState.SUCCEEDED, job.failure
    attachment.refresh_from_db()
    assert attachment.ocr_state == OcrState.DONE
    # The copy is an object beside the untouched original; the local disk holds nothing.
    assert s3_bucket.keys() == sorted([s3_bucket.key(attachment.file.name), s3_bucket.key(attachment.ocr_copy.name)])
    assert s3_bucket.read(s3_bucket.key(attachment.file.name)) == original
    assert not any(path.is_file() for path in s3_bucket.local_root.rglob("*"))
    stored_copy = s3_bucket.read(s3_bucket.key(attachment.ocr_copy.name))
    layer = "".join(page.extract_text() for page in PdfReader(io.BytesIO(stored_copy)).pages)
    assert "推广" in layer.replace(" ", "")
    assert [hit.pk for hit in search_records(archivist, "推广方案")[:10]] == [record.pk]

    speak_english(client)
    client.force_login(archivist)
    page = client.get(reverse("record_detail", args=[record.pk])).content.decode()
    copy_url = reverse("attachment_ocr_copy", args=[attachment.pk])
    assert "Text recognised" in page and copy_url in page
    response = client.get(copy_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # Sent in pieces as it downloads from the bucket (core.stored_files), its stored size announced.
    assert response.streaming
    assert int(response["Content-Length"]) == len(stored_copy)
    pieces = list(response.streaming_content)
    assert len(pieces) > 1 and b"".join(pieces) == stored_copy
