"""Destroyed files leave the bucket once the destruction commits (R-DISP-3),
on a real S3 server (moto, tests/storage_support.py); a rolled back
destruction keeps them."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from records.attachments import add_attachment
from records.models import Attachment
from records.services import record_destroy
from tests.records.test_filetypes import make_docx

pytestmark = pytest.mark.django_db


class Stop(Exception):
    pass


def attach(record, by, name):
    return add_attachment(record=record, uploaded_file=SimpleUploadedFile(name, make_docx([name])), by=by).attachment


def test_r_disp_3_destroyed_files_leave_the_bucket_after_commit(
    filed_record, archivist, s3_bucket, django_capture_on_commit_callbacks
):
    record, kept_record = filed_record(), filed_record()
    destroyed = [attach(record, archivist, "甲.docx"), attach(record, archivist, "乙.docx")]
    kept = attach(kept_record, archivist, "丙.docx")
    assert len(s3_bucket.keys()) == 3

    with pytest.raises(Stop), transaction.atomic():
        record_destroy(record=record, reason="保管期满", by=archivist)
        raise Stop
    assert len(s3_bucket.keys()) == 3  # rolled back: every file stays

    with django_capture_on_commit_callbacks(execute=True):
        record_destroy(record=record, reason="保管期满", by=archivist)

    assert s3_bucket.keys() == [s3_bucket.key(kept.file.name)]
    for attachment in destroyed:
        attachment.refresh_from_db()
        assert attachment.bytes_removed_at is not None and attachment.file.name == ""
    assert Attachment.objects.get(pk=kept.pk).bytes_removed_at is None
