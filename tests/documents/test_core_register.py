"""Registering a controlled document with its approval papers, its PDF
checked by its bytes, and the filed original linked (R-CTRL-1); refusals
leave nothing: no row, no number, no stored file."""
import datetime
import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import translation
from pypdf import PdfReader, PdfWriter

from documents.exceptions import DocumentsRefused
from documents.models import ControlledDocument, DocumentCounter, DocumentPaper, DocumentState, PaperKind
from documents.reasons import DocumentsReason
from documents.services.controlled import document_add_papers, document_link_record, document_register
from tests.documents.support import make_document, pdf_bytes, uploaded_pdf
from tests.factories import marketing_department


@pytest.fixture(autouse=True)
def english():
    """Refusals read in English (the Chinese comes with the lead's merge of the translations)."""
    translation.activate("en")


def register(by, **overrides):
    kwargs = {
        "by": by,
        "title": "市场活动管理规定",
        "drafting_department": marketing_department(),
        "source": uploaded_pdf("市场活动管理规定.pdf", pages=2),
        "approval_papers": [uploaded_pdf("审批单.pdf", pages=1)],
    }
    return document_register(**{**kwargs, **overrides})


def stored_files(root):
    return sorted(path.name for path in root.rglob("*") if path.is_file())


def nothing_registered():
    return {
        "documents": ControlledDocument.objects.count(),
        "papers": DocumentPaper.objects.count(),
        "counters": list(DocumentCounter.objects.values_list("kind", "year", "last")),
    }


def encrypted_pdf():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(pages=1))))
    writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_r_ctrl_1_registered_document_is_ready_numbered_with_its_papers(archivist, private_storage):
    document = register(archivist, reference="市场发〔2026〕3号")
    document.refresh_from_db()
    assert document.state == DocumentState.READY
    assert (document.serial, document.page_count, document.source_name) == (1, 2, "市场活动管理规定.pdf")
    assert document.source_file.read() == pdf_bytes(pages=2, text="受控文件测试")
    [paper] = document.papers.all()
    assert (paper.kind, paper.original_name, paper.uploaded_by) == (PaperKind.APPROVAL, "审批单.pdf", archivist)
    history = document.history.get()
    assert (history.history_user, history.history_change_reason) == (archivist, DocumentsReason.MARKED_CONTROLLED)
    assert paper.history.get().history_change_reason == DocumentsReason.PAPER_ADDED


def test_r_ctrl_1_serials_run_per_year_without_gaps(archivist, private_storage):
    first = register(archivist)
    with pytest.raises(DocumentsRefused):
        register(archivist, approval_papers=[])
    second = register(archivist)
    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2031, 1, 2)):
        next_year = register(archivist)
    assert [(d.year, d.serial) for d in (first, second)] == [(first.year, 1), (first.year, 2)]
    assert (next_year.year, next_year.serial) == (2031, 1)


def test_r_ctrl_1_no_approval_papers_is_refused_and_nothing_stays(archivist, private_storage):
    before = nothing_registered()
    with pytest.raises(DocumentsRefused, match="approval papers") as refused:
        register(archivist, approval_papers=[])
    assert refused.value.field == "approval_papers"
    assert nothing_registered() == before
    assert stored_files(private_storage) == []


@pytest.mark.parametrize(
    ("content", "name", "words"),
    [
        (encrypted_pdf, "加密.pdf", "encrypted or protected by a password"),
        (lambda: b"%PDF-1.4\n garbage that is no PDF at all", "损坏.pdf", "damaged or cannot be read"),
        (lambda: b"", "空.pdf", "the file is empty"),
        (lambda: b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "扫描.png", "must be a PDF; this file is PNG image"),
    ],
    ids=["encrypted", "unreadable", "empty", "not-a-pdf"],
)
def test_r_ctrl_1_a_source_that_is_no_readable_pdf_is_refused_naming_the_file(
    archivist, private_storage, content, name, words
):
    before = nothing_registered()
    with pytest.raises(DocumentsRefused, match=words) as refused:
        register(archivist, source=SimpleUploadedFile(name, content()))
    assert name in refused.value.message and refused.value.field == "source"
    assert nothing_registered() == before
    assert stored_files(private_storage) == []


def test_r_ctrl_1_a_refused_paper_removes_the_stored_source_again(archivist, private_storage):
    """The source is stored before the papers are checked: the rollback
    takes its file away too."""
    before = nothing_registered()
    with pytest.raises(DocumentsRefused, match="“审批单.exe” was refused"):
        papers = [uploaded_pdf("审批单.pdf"), SimpleUploadedFile("审批单.exe", b"MZ\x90\0")]
        register(archivist, approval_papers=papers)
    assert nothing_registered() == before
    assert stored_files(private_storage) == []


@pytest.mark.django_db(transaction=True)
def test_r_ctrl_1_files_of_a_rolled_back_registration_are_removed(archivist, private_storage):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            register(archivist)
            assert len(stored_files(private_storage)) == 2
            raise RuntimeError("interrupted")
    assert stored_files(private_storage) == []
    register(archivist)
    assert len(stored_files(private_storage)) == 2


@pytest.mark.parametrize("username", ["staff", "head"])
def test_r_ctrl_1_only_the_archivist_registers(role_users, private_storage, username):
    user = next(user for user in role_users.values() if user.username == username)
    before = nothing_registered()
    with pytest.raises(DocumentsRefused, match="Only the archivist registers"):
        register(user)
    assert nothing_registered() == before


def test_r_ctrl_1_title_and_validity_are_checked(archivist, private_storage):
    with pytest.raises(DocumentsRefused) as refused:
        register(archivist, title="  ")
    assert refused.value.field == "title"
    with pytest.raises(DocumentsRefused) as refused:
        register(archivist, valid_until=datetime.date(2000, 1, 1))
    assert refused.value.field == "valid_until"
    assert not ControlledDocument.objects.exists()


def test_r_ctrl_1_papers_handed_over_late_are_kept(archivist, private_storage):
    document = make_document(papers=0)
    added = document_add_papers(document=document, by=archivist, files=[uploaded_pdf("会签单.pdf", pages=1)])
    assert [paper.original_name for paper in added] == ["会签单.pdf"]
    assert list(document.papers.values_list("original_name", flat=True)) == ["会签单.pdf"]


def test_r_ctrl_1_no_papers_added_to_a_void_document(archivist, private_storage):
    document = make_document(state=DocumentState.VOID)
    with pytest.raises(DocumentsRefused, match="is Void: nothing is added"):
        document_add_papers(document=document, by=archivist, files=[uploaded_pdf("会签单.pdf", pages=1)])
    assert document.papers.count() == 1


def test_r_ctrl_1_the_filed_original_is_linked_once(archivist, private_storage, filed_record):
    document = make_document()
    record, other = filed_record(), filed_record()
    document_link_record(document=document, record=record, by=archivist)
    document_link_record(document=document, record=record, by=archivist)
    with pytest.raises(DocumentsRefused, match=record.archive_number):
        document_link_record(document=document, record=other, by=archivist)
    document.refresh_from_db()
    assert document.record == record
    assert document.history.filter(history_change_reason=DocumentsReason.CORRESPONDENCE_FILED).count() == 1
