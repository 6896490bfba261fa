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
import weakref

from django.db import connections, router, transaction
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
    name = attachments.clean_file_name(uploaded_file.name)
    with _as_documents_refusal("source"):
        sha256, _size = attachments._digest(uploaded_file, name)
        identified = attachments._identify(uploaded_file, name)
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
    name = attachments.clean_file_name(uploaded_file.name)
    with _as_documents_refusal("papers"):
        sha256, size = attachments._digest(uploaded_file, name)
        identified = attachments._identify(uploaded_file, name)
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


@contextlib.contextmanager
def _as_documents_refusal(field):
    """records.attachments' refusal of a file (size, type, name) passed on as
    the documents app's, with the same message."""
    try:
        yield
    except attachments.AttachmentRefused as refusal:
        raise DocumentsRefused(refusal.message, field=field) from refusal


# A stored file the transaction does not commit -------------------------------

_FILE_COLUMNS = ((ControlledDocument, "source_file"), (DocumentPaper, "file"))


class _RemoveUnlessCommitted(attachments._RemoveUnlessCommitted):
    """records.attachments._RemoveUnlessCommitted, asking whether a committed
    controlled document or paper points at the file (not an attachment)."""

    def __init__(self, storage, name, using):
        super().__init__(storage, name, using)
        self._finalizer.detach()
        self._finalizer = weakref.finalize(self, _remove_if_not_committed, storage, name, using)
        self._finalizer.atexit = False


def _remove_unless_committed(field_file):
    using = router.db_for_write(field_file.instance.__class__)
    cleanup = _RemoveUnlessCommitted(field_file.storage, field_file.name, using)
    transaction.on_commit(cleanup.confirm, using=using, robust=True)


def _remove_if_not_committed(storage, name, using):
    try:
        if not _committed_row_points_at(name, using):
            storage.delete(name)
    except Exception:
        logger.exception("Could not check or remove the uncommitted document file %r.", name)


def _committed_row_points_at(name, using):
    # A separate connection answers from committed data only.
    connection = connections.create_connection(using)
    try:
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            for model, field in _FILE_COLUMNS:
                table, column = quote(model._meta.db_table), quote(model._meta.get_field(field).column)
                cursor.execute(f"SELECT 1 FROM {table} WHERE {column} = %s", [name])
                if cursor.fetchone() is not None:
                    return True
        return False
    finally:
        connection.close()
