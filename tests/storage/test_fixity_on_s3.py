"""The file check (R-FILE-6, `manage.py verify_files`) with the files on
S3-compatible object storage, against a real S3 server (moto,
tests/storage_support.py): besides records' files it reads the scans'
searchable copies and the controlled documents' sources and papers from the
bucket, and names each missing or changed object as the archivist knows it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from records.attachments import add_attachment
from records.maintenance.fixity import latest_check
from records.models import FixityProblem, Medium
from tests.documents.support import make_document
from tests.records.test_filetypes import make_image
from tests.records.test_verify_files import english, give_searchable_copy, verify  # noqa: F401 (english: autouse fixture)

pytestmark = pytest.mark.django_db

SCAN = "春季促销海报扫描.png"
NUMBER = "市场发〔2026〕7号"
TITLE = "市场活动管理规定"


@pytest.fixture
def archive(filed_record, archivist, s3_bucket):
    """A record's scan with its searchable copy and a controlled document
    with one approval paper, all in the bucket."""
    record = filed_record(title="春季促销海报", medium=Medium.ELECTRONIC)
    upload = SimpleUploadedFile(SCAN, make_image("PNG"))
    scan = give_searchable_copy(add_attachment(record=record, uploaded_file=upload, by=archivist).attachment)
    document = make_document(pages=1, title=TITLE, reference=NUMBER, marked_by=archivist)
    paper = document.papers.get()
    stored = [scan.file.name, scan.ocr_copy.name, document.source_file.name, paper.file.name]
    assert s3_bucket.keys() == sorted(s3_bucket.key(name) for name in stored)
    assert not any(path.is_file() for path in s3_bucket.local_root.rglob("*"))
    return scan, document, paper


def test_an_intact_archive_on_object_storage_reports_nothing(archive):
    status, output = verify()

    assert status == 0, output
    assert "All 4 files checked: in order." in output
    assert latest_check().problems == []


def test_missing_and_changed_objects_of_every_kind_are_reported(archive, s3_bucket):
    scan, document, paper = archive
    client = s3_bucket.server.client()
    client.delete_object(Bucket=s3_bucket.name, Key=s3_bucket.key(scan.ocr_copy.name))
    client.delete_object(Bucket=s3_bucket.name, Key=s3_bucket.key(document.source_file.name))
    client.put_object(Bucket=s3_bucket.name, Key=s3_bucket.key(paper.file.name), Body=b"not the approval paper")

    status, output = verify()

    assert status == 1
    number = scan.record.archive_number
    assert f"{number} searchable copy of “{SCAN}”: the file is missing" in output
    assert f"{number} “{SCAN}”" not in output  # the scan itself is in order
    assert f"controlled document {NUMBER} {TITLE} “{TITLE}.pdf”: the file is missing" in output
    assert (
        f"paper of controlled document {NUMBER} {TITLE} “{paper.original_name}”: "
        "its content no longer matches the SHA-256 recorded at upload"
    ) in output
    assert "3 of 4 stored files failed their check." in output
    assert sorted((problem["kind"], problem["problem"]) for problem in latest_check().problems) == [
        ("documents.controlleddocument.source_file", FixityProblem.MISSING.value),
        ("documents.documentpaper.file", FixityProblem.CHANGED.value),
        ("records.attachment.ocr_copy", FixityProblem.MISSING.value),
    ]
