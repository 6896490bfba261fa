"""The files of a controlled document: its electronic original (a PDF the
stamped copies are made from) and the approval or supporting papers kept
with it (R-CTRL-1, R-CTRL-6).

Both are checked as records' attachments are (size within
ARCHIVE_MAX_UPLOAD_MB, type read from the bytes, the name agreeing with
it; records.attachments), and the source must moreover be a PDF pypdf can
open: not encrypted, with at least one page. Both run in the caller's
transaction; a file stored by a transaction that then rolls back is removed
again (records.attachments' mechanism, asking the documents' tables)."""
import contextlib
import io
import logging

from django.utils.translation import gettext as _
from pypdf import PdfReader

from core.history import save_with_history
from documents.exceptions import DocumentsRefused
from documents.models import ControlledDocument, DocumentPaper
from documents.reasons import DocumentsReason
from records import attachments, files
from records.files.types import PDF

logger = logging.getLogger(__name__)


def store_source(document, uploaded_file):
    """Check and store the PDF `document`'s copies are made from; sets
    source_file, source_name, sha256 and page_count (the caller saves the
    row). Refused, naming the file: not a PDF, encrypted, unreadable, no
    pages, empty or too large."""
    name, sha256, _size, identified = _checked(uploaded_file, "source")
    if identified.file_type is not PDF:
        raise _refused(
            name, _("the document itself must be a PDF; this file is %(detected)s."), "source",
            detected=identified.file_type.label,
        )
    document.page_count = _pdf_page_count(uploaded_file, name)
    document.sha256, document.source_name = sha256, name
    uploaded_file.seek(0)
    document.source_file.save(name, uploaded_file, save=False)
    _remove_unless_committed(document.source_file)
    return document


def add_paper(document, uploaded_file, *, kind, by):
    """Check, store and keep one paper of `document` (R-CTRL-1: approval
    papers; R-CTRL-6: a revision's supporting papers)."""
    name, sha256, size, identified = _checked(uploaded_file, "papers")
    paper = DocumentPaper(
        document=document,
        kind=kind,
        original_name=name,
        size=size,
        content_type=identified.content_type,
        sha256=sha256,
        uploaded_by=by,
    )
    uploaded_file.seek(0)
    paper.file.save(name, uploaded_file, save=False)
    _remove_unless_committed(paper.file)
    return save_with_history(paper, by=by, reason=DocumentsReason.PAPER_ADDED)


def _pdf_page_count(uploaded_file, name):
    uploaded_file.seek(0)
    try:
        reader = PdfReader(io.BytesIO(uploaded_file.read()))
        if reader.is_encrypted:
            raise _refused(
                name,
                _("the PDF is encrypted or protected by a password; save it without protection and upload it again."),
                "source",
            )
        pages = len(reader.pages)
    except DocumentsRefused:
        raise
    except Exception:
        logger.info("Controlled document source %r could not be read.", name, exc_info=True)
        raise _refused(name, _("the PDF is damaged or cannot be read."), "source") from None
    if pages < 1:
        raise _refused(name, _("the PDF has no pages."), "source")
    return pages


def _refused(name, reason, field, **values):
    return DocumentsRefused(
        _("“%(name)s” was refused: %(reason)s") % {"name": name, "reason": reason % values}, field=field
    )


def _checked(uploaded_file, field):
    """(clean name, SHA-256, size, identified type) of an upload checked as
    records' attachments are, refused with the same messages."""
    name = attachments.clean_file_name(uploaded_file.name)
    with _as_documents_refusal(field):
        sha256, size = attachments.digest_upload(uploaded_file, name)
        identified = attachments.identify_upload(uploaded_file, name)
    return name, sha256, size, identified


@contextlib.contextmanager
def _as_documents_refusal(field):
    """records.attachments' refusal of a file (size, type, name) passed on as
    the documents app's, with the same message."""
    try:
        yield
    except attachments.AttachmentRefused as refusal:
        raise DocumentsRefused(refusal.message, field=field) from refusal


# A stored file goes again unless the transaction commits with a controlled
# document or a paper pointing at it (records.attachments' mechanism).
_FILE_COLUMNS = ((ControlledDocument, "source_file"), (DocumentPaper, "file"))


def _remove_unless_committed(field_file):
    attachments.remove_unless_committed(field_file, columns=_FILE_COLUMNS)
