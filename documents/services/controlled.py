"""Registering a controlled document (R-CTRL-1): the drafting department
marks it controlled and hands it, with its approval papers, to the
distributor (the archivist), who registers it here, keeps the papers and
files the original as a record."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import save_with_history
from documents import numbering, papers, policies
from documents.exceptions import DocumentsRefused
from documents.models import ControlledDocument, DocumentState, PaperKind
from documents.reasons import DocumentsReason
from documents.services._core import locked_document, text


@transaction.atomic
def document_register(
    *,
    by,
    title,
    drafting_department,
    source,
    approval_papers=(),
    reference="",
    valid_until=None,
    correspondence=None,
    record=None,
):
    """A controlled document READY to distribute, numbered in this year,
    with its PDF source checked (papers.store_source) and its approval
    papers kept (R-CTRL-1: at least one). A refused file or paper leaves
    nothing behind, no number either."""
    if not policies.may_register_document(by):
        raise DocumentsRefused(_("Only the archivist registers controlled documents."))
    title = text(title, model=ControlledDocument, field="title", multiline=False, missing=_("Give the title."))
    reference = text(reference, model=ControlledDocument, field="reference", multiline=False)
    _check_valid_until(valid_until)
    if not source:
        raise DocumentsRefused(_("Attach the document itself as a PDF."), field="source")
    approval_papers = list(approval_papers or ())
    if not approval_papers:
        raise DocumentsRefused(
            _("Hand over the approval papers with the document: at least one is needed."), field="approval_papers"
        )
    year = timezone.localdate().year
    document = ControlledDocument(
        year=year,
        title=title,
        reference=reference,
        drafting_department=drafting_department,
        correspondence=correspondence,
        record=record,
        valid_until=valid_until,
        state=DocumentState.READY,
        marked_by=by,
        marked_at=timezone.now(),
    )
    papers.store_source(document, source)
    document.serial = numbering.allocate_document_serial(year)
    save_with_history(document, by=by, reason=DocumentsReason.MARKED_CONTROLLED)
    for uploaded in approval_papers:
        papers.add_paper(document, uploaded, kind=PaperKind.APPROVAL, by=by)
    return document


@transaction.atomic
def document_add_papers(*, document, by, files, kind=PaperKind.APPROVAL):
    """Keep more papers with a document (approval papers handed over late,
    R-CTRL-1; a revision's supporting papers, R-CTRL-6). Not once the
    document is superseded, void or lapsed. Returns the papers."""
    document = locked_document(document)
    if not policies.may_register_document(by):
        raise DocumentsRefused(_("Only the archivist keeps the papers of controlled documents."))
    _refuse_if_ended(document)
    files = list(files or ())
    if not files:
        raise DocumentsRefused(_("Choose at least one file."), field="papers")
    return [papers.add_paper(document, uploaded, kind=kind, by=by) for uploaded in files]


@transaction.atomic
def document_link_record(*, document, record, by):
    """Link the filed original (R-CTRL-1: the distributor files the
    original) to its controlled document. Linking the same record again
    changes nothing; another record is refused while one is linked."""
    document = locked_document(document)
    if not policies.may_register_document(by):
        raise DocumentsRefused(_("Only the archivist links a controlled document to its filed original."))
    if document.record_id == record.pk:
        return document
    if document.record_id is not None:
        raise DocumentsRefused(
            _("“%(title)s” is already linked to its filed original %(record)s.")
            % {"title": document.title, "record": document.record},
            field="record",
        )
    document.record = record
    return save_with_history(document, by=by, reason=DocumentsReason.CORRESPONDENCE_FILED)


def _check_valid_until(valid_until):
    if valid_until is not None and valid_until < timezone.localdate():
        raise DocumentsRefused(
            _("A time-limited document must be valid until today or later."), field="valid_until"
        )


def _refuse_if_ended(document):
    if document.state in policies.ENDED_STATES:
        raise DocumentsRefused(
            _("“%(title)s” is %(state)s: nothing is added to it any more.")
            % {"title": document.title, "state": document.get_state_display()}
        )
