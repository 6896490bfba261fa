"""The file check (R-FILE-6) reads scans' searchable copies and controlled
documents' files; the backup carries them so that a restored archive passes
it: restore_archive ends with the file check and fails when a file it should
have brought back is missing. Same drill as tests/records/test_backup_restore.py
(a backup in this process, a restore into a fresh instance in another),
on the database of the test run."""
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from records.attachments import add_attachment
from records.models import Medium
from tests.documents.support import make_document
from tests.records.test_backup_restore import (  # noqa: F401 (fixtures)
    FIELD_KEY,
    MANAGE,
    back_up,
    new_instance,
    restore,
    run,
    storage_root,
)
from tests.records.test_filetypes import make_image
from tests.records.test_verify_files import give_searchable_copy

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_restored_archive_has_its_searchable_copies_and_documents_files_and_passes_the_check(
    filed_record, archivist, storage_root, new_instance, tmp_path, settings
):
    settings.ARCHIVE_FIELD_KEY = FIELD_KEY
    record = filed_record(title="春季促销海报扫描件", medium=Medium.ELECTRONIC)
    upload = SimpleUploadedFile("海报扫描.png", make_image("PNG"))
    scan = give_searchable_copy(add_attachment(record=record, uploaded_file=upload, by=archivist).attachment)
    document = make_document(pages=1, title="展会接待规范", reference="市场发〔2026〕3号", marked_by=archivist)
    paper = document.papers.get()
    backup = tmp_path / "backup"

    status, _out, err = back_up(backup)

    assert status == 0, err
    manifest = json.loads((backup / "manifest.json").read_text())
    for name in (scan.file.name, scan.ocr_copy.name, document.source_file.name, paper.file.name):
        assert f"attachments/{name}" in manifest["files"], name
    copy = storage_root / scan.ocr_copy.name
    assert (backup / "attachments" / scan.ocr_copy.name).read_bytes() == copy.read_bytes()

    target = new_instance("target")
    result = restore(target, backup)

    assert result.returncode == 0, result.stdout + result.stderr
    assert (target.media_root / scan.ocr_copy.name).read_bytes() == copy.read_bytes()
    check = run(target, str(MANAGE), "verify_files")
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_backup_reports_a_missing_searchable_copy(filed_record, archivist, storage_root, tmp_path, settings):
    """Taken as it is read (no SHA-256 is recorded for a copy), but a copy
    that is gone is a problem of the backup as of the check."""
    settings.ARCHIVE_FIELD_KEY = FIELD_KEY
    record = filed_record(title="春季促销海报扫描件", medium=Medium.ELECTRONIC)
    upload = SimpleUploadedFile("海报扫描.png", make_image("PNG"))
    scan = give_searchable_copy(add_attachment(record=record, uploaded_file=upload, by=archivist).attachment)
    (storage_root / scan.ocr_copy.name).unlink()

    status, _out, _err = back_up(tmp_path / "backup")

    assert status == 1
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert manifest["problems"] == [{"file": scan.ocr_copy.name, "problem": "missing"}]
