"""Controlled documents with their files on S3-compatible object storage,
against a real S3 server (moto, tests/storage_support.py): the source PDF and
the approval papers are kept in the bucket; the holder's stamped copy is made
from the source read back from there (R-CTRL-2), and a paper downloads
streamed through its permission-checked view (R-CTRL-1)."""
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from documents.models import CopyDownload, CopyState, DocumentState
from tests.documents.support import make_copy, make_document, pdf_bytes
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_stamped_copies_and_papers_come_from_the_bucket(client, archivist, staff, s3_bucket):
    document = make_document(pages=2, state=DocumentState.IN_FORCE, title="市场活动管理规定", marked_by=archivist)
    paper = document.papers.get()
    assert s3_bucket.keys() == sorted([s3_bucket.key(document.source_file.name), s3_bucket.key(paper.file.name)])
    assert not any(path.is_file() for path in s3_bucket.local_root.rglob("*"))

    holder = UserFactory(full_name="王小明")
    copy = make_copy(document, recipient_user=holder, state=CopyState.SIGNED)
    client.force_login(holder)
    response = client.get(reverse("documents_copy_download", args=[copy.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    texts = [page.extract_text() for page in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages]
    assert len(texts) == 2 and all(copy.control_number in text and "王小明" in text for text in texts)
    assert CopyDownload.objects.filter(copy=copy, by=holder).count() == 1

    client.force_login(archivist)
    response = client.get(reverse("documents_paper_download", args=[paper.pk]))
    assert response.status_code == 200
    assert int(response["Content-Length"]) == paper.size
    assert b"".join(response.streaming_content) == pdf_bytes(pages=1, text=paper.original_name)

    client.force_login(staff)  # papers are the archivist's and the department head's
    assert client.get(reverse("documents_paper_download", args=[paper.pk])).status_code == 403
