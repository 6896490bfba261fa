"""Revisions of controlled documents (R-CTRL-6): a change needs the
department head's countersignature, with its supporting papers kept.

A revision is a new ControlledDocument that `supersedes` the one it
changes (revision + 1, its own serial), AWAITING_COUNTERSIGN until the
head countersigns it (READY, never their own submission) or refuses it.
Distributing the countersigned revision (documents.services.distribution.
copies_distribute) calls `supersede_previous`: the old revision becomes
SUPERSEDED and its copies still out are recalled (换版收回). The revision
history is the `supersedes` chain (documents.selectors.revision_history)."""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.history import save_with_history
from documents import numbering, papers as documents_papers, policies
from documents.exceptions import DocumentsRefused
from documents.models import ControlledDocument, DocumentState, PaperKind
from documents.reasons import DocumentsReason
from documents.services._core import locked_document, text
from documents.services._lifecycle import refuse_document_state
from documents.services.voiding import is_lapsed, recall_out_copies

# Only a document ready or in force, not lapsed, is revised (R-CTRL-5, R-CTRL-6).
REVISABLE_STATES = (DocumentState.READY, DocumentState.IN_FORCE)


def _refuse_unrevisable(document):
    if document.state not in REVISABLE_STATES:
        refuse_document_state(
            document,
            _("%(title)s is %(state)s: it cannot be revised any more.")
            % {"title": document.title, "state": document.get_state_display()},
        )
    if is_lapsed(document):
        refuse_document_state(
            document,
            _("%(title)s lapsed after %(date)s: it cannot be revised any more.")
            % {"title": document.title, "date": f"{document.valid_until:%Y-%m-%d}"},
        )
    pending = ControlledDocument.objects.filter(supersedes=document).first()
    if pending is not None:
        raise DocumentsRefused(
            _("A revision of %(title)s is already %(state)s: it is decided and distributed first.")
            % {"title": document.title, "state": pending.get_state_display()}
        )


def _new_revision(document, by, reason, title, valid_until):
    year = timezone.localdate().year
    return ControlledDocument(
        year=year,
        serial=numbering.allocate_document_serial(year),
        title=text(title, model=ControlledDocument, field="title", multiline=False) or document.title,
        reference=document.reference,
        drafting_department_id=document.drafting_department_id,
        revision=document.revision + 1,
        supersedes=document,
        revision_reason=reason,
        valid_until=valid_until,
        state=DocumentState.AWAITING_COUNTERSIGN,
        marked_by=by,
        marked_at=timezone.now(),
    )


@transaction.atomic
def revision_submit(*, document, by, source, papers, reason, title=None, valid_until=None):
    """The archivist registers a revision of `document` handed over by its
    drafting department, with the new PDF and at least one supporting
    paper (R-CTRL-6); it waits for the department head's countersignature.
    Refused for a void, lapsed or superseded document, or when a revision
    of it is already pending."""
    if not policies.may_distribute(by):
        raise DocumentsRefused(_("Only the archivist registers a revision of a controlled document."))
    document = locked_document(document)
    _refuse_unrevisable(document)
    reason = text(
        reason, model=ControlledDocument, field="revision_reason", missing=_("Reason: say what the revision changes.")
    )
    papers = list(papers or [])
    if not papers:
        raise DocumentsRefused(_("Add the supporting papers of the revision: at least one file."), field="papers")
    if valid_until is not None and valid_until < timezone.localdate():
        raise DocumentsRefused(_("The last valid day cannot be in the past."), field="valid_until")
    revision = _new_revision(document, by, reason, title, valid_until)
    documents_papers.store_source(revision, source)
    save_with_history(revision, by=by, reason=DocumentsReason.REVISION_REQUESTED)
    for paper in papers:
        documents_papers.add_paper(revision, paper, kind=PaperKind.REVISION, by=by)
    return revision


def _locked_awaiting(document, by):
    document = locked_document(document)
    if document.state != DocumentState.AWAITING_COUNTERSIGN:
        refuse_document_state(
            document,
            _("This revision is already decided: %(state)s.") % {"state": document.get_state_display()},
        )
    if not policies.may_countersign(by, document):
        raise DocumentsRefused(_("Only the department head countersigns a revision, and never one they submitted."))
    return document


def _refuse_if_void(previous):
    """A revision of a document voided since it was submitted does not
    bring it back (R-CTRL-5): the head refuses it instead."""
    if previous is not None and previous.state == DocumentState.VOID:
        raise DocumentsRefused(
            _("%(title)s was voided after this revision was submitted: refuse the revision instead.")
            % {"title": previous.title}
        )


@transaction.atomic
def revision_countersign(*, document, by, note=""):
    """The department head countersigns the revision (R-CTRL-6): it is
    READY to distribute. Refused when the document it revises was voided
    meanwhile."""
    document = _locked_awaiting(document, by)
    _refuse_if_void(document.supersedes)
    document.countersign_note = text(note, model=ControlledDocument, field="countersign_note")
    document.state, document.countersigned_by, document.countersigned_at = DocumentState.READY, by, timezone.now()
    return save_with_history(document, by=by, reason=DocumentsReason.REVISION_COUNTERSIGNED)


@transaction.atomic
def revision_refuse(*, document, by, reason):
    """The department head refuses the revision, saying why (R-CTRL-6): it
    ends as COUNTERSIGN_REFUSED (who, when, why) and lets go of the
    document it would have replaced (`supersedes` is one to one), so that
    document may be revised again; its history keeps the link."""
    document = _locked_awaiting(document, by)
    document.end_reason = text(
        reason, model=ControlledDocument, field="end_reason", missing=_("Reason for refusal: say why.")
    )
    document.state, document.ended_by, document.ended_at = DocumentState.COUNTERSIGN_REFUSED, by, timezone.now()
    document.supersedes = None
    return save_with_history(document, by=by, reason=DocumentsReason.REVISION_REFUSED)


def supersede_previous(*, document, by):
    """Called by copies_distribute in its transaction when a revision is
    first distributed (R-CTRL-6): the revision it supersedes ends as
    SUPERSEDED and its copies still out are recalled (换版收回). Refused
    (the distribution with it) when the previous revision was voided since
    the countersignature; one that lapsed meanwhile is left as it is.
    Returns the previous revision, or None."""
    if document.supersedes_id is None:
        return None
    previous = locked_document(document.supersedes)
    _refuse_if_void(previous)
    if previous.state not in REVISABLE_STATES or is_lapsed(previous):
        return previous
    previous.state, previous.ended_by, previous.ended_at = DocumentState.SUPERSEDED, by, timezone.now()
    previous.end_reason = _("Replaced by revision %(revision)s") % {"revision": document.revision}
    save_with_history(previous, by=by, reason=DocumentsReason.SUPERSEDED)
    recall_out_copies(document=previous, by=by, remark=pgettext("distribution register remark", "superseded, recalled"))
    return previous
