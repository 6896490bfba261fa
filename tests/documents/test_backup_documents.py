"""A backup holds the controlled documents' electronic originals and their
papers beside the records' files, with their SHA-256, and a restore puts
them back (R-FILE-6, R-CTRL-1): before, only records' attachments were
copied and a restored archive had documents without their files."""
import hashlib
import json

import pytest

from documents.models import DocumentPaper
from tests.documents.support import make_document
from tests.records.test_backup_restore import back_up, field_key, new_instance, restore, run, storage_root  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

STORED_SHA256 = """
import json, hashlib, django
django.setup()
from documents.models import ControlledDocument, DocumentPaper
files = {}
for field, rows in (("source_file", ControlledDocument.objects.all()), ("file", DocumentPaper.objects.all())):
    for row in rows:
        stored = getattr(row, field)
        with stored.storage.open(stored.name, "rb") as handle:
            files[stored.name] = hashlib.sha256(handle.read()).hexdigest()
print(json.dumps(files))
"""


def test_a_backup_copies_documents_and_papers_and_a_restore_brings_them_back(storage_root, new_instance, tmp_path):
    document = make_document(papers=2)
    expected = {document.source_file.name: document.sha256}
    expected.update({paper.file.name: paper.sha256 for paper in DocumentPaper.objects.filter(document=document)})
    assert len(expected) == 3

    backup = tmp_path / "backup"
    status, _out, err = back_up(backup)
    assert status == 0, err
    files = json.loads((backup / "manifest.json").read_text())["files"]
    assert {name: files[f"attachments/{name}"]["sha256"] for name in expected} == expected
    for name, sha256 in expected.items():
        assert hashlib.sha256((backup / "attachments" / name).read_bytes()).hexdigest() == sha256

    target = new_instance("target")
    result = restore(target, backup)
    assert result.returncode == 0, result.stderr
    restored = run(target, "-c", STORED_SHA256)
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout.strip().splitlines()[-1]) == expected
