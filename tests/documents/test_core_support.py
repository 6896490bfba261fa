"""The builders of tests/documents/support.py make what they promise: a PDF
pypdf reads back page by page, documents and copies numbered without
collisions after the policy's pattern."""
import io

from pypdf import PdfReader

from documents.models import CopyState, DocumentState
from tests.documents.support import make_copy, make_correspondence, make_document, pdf_bytes


def test_pdf_bytes_has_readable_pages():
    reader = PdfReader(io.BytesIO(pdf_bytes(pages=3, text="发放测试")))
    assert len(reader.pages) == 3
    assert "发放测试 第2页" in reader.pages[1].extract_text()


def test_documents_and_copies_get_unique_numbers(db, private_storage):
    first, second = make_document(), make_document(title="印章管理规定")
    assert first.state == DocumentState.READY and first.serial + 1 == second.serial
    assert first.papers.count() == 1 and first.source_file.read().startswith(b"%PDF-")
    one, two = make_copy(first), make_copy(first, state=CopyState.SIGNED)
    assert (one.copy_number, two.copy_number) == (1, 2)
    assert one.control_number == f"SK-{first.year}-{first.serial:03d}-01"
    assert two.holder == two.recipient_user
    assert make_correspondence().number != make_correspondence().number
