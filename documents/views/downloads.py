"""Downloads of stamped electronic copies (R-CTRL-2, R-CTRL-5):

- documents_copy_download: the holder's copy, stamped on every page with its
  controlled number and the holder's name (downloads.copy_download);
- documents_reference_download: the reference copy of a void document,
  stamped 作废, for the archivist (downloads.reference_download).

Anyone else is answered 404: another person's copy is not theirs to know
of. The recipient of a copy not signed for yet, or no longer out, reads why
on their list of copies. Every download is logged by the service."""
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET

from core.stored_files import stored_file_response
from core.views import gate, refusal_to_message
from documents import policies
from documents.exceptions import DocumentsRefused
from documents.models import ControlledCopy
from documents.services import downloads
from records.printing import PDF_CONTENT_TYPE

MY_COPIES = "documents_my_copies"
DOCUMENT_PAGE = "documents_document_detail"


def _copy(pk):
    return get_object_or_404(
        ControlledCopy.objects.select_related("document", "holder", "recipient_user", "recipient_department"), pk=pk
    )


def _pdf(filename, stamped):
    """The stamped copy (an open temporary file), streamed from the disk as
    it is read and deleted when the response closes it."""
    response = stored_file_response(stamped, filename=filename, content_type=PDF_CONTENT_TYPE)
    # A personal copy: no shared cache keeps it.
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def copy_download(request, pk):
    """The holder's stamped copy (R-CTRL-2); 404 for anyone but its
    recipient or holder."""
    copy = _copy(pk)
    gate(policies.is_holder(request.user, copy) or policies.may_sign_for(request.user, copy), hide=True)
    try:
        filename, stamped = downloads.copy_download(copy=copy, by=request.user)
    except DocumentsRefused as refusal:
        refusal_to_message(request, refusal)
        return redirect(MY_COPIES)
    return _pdf(filename, stamped)


@require_GET
def reference_download(request, pk):
    """The void document's reference copy, stamped 作废 (R-CTRL-5); 404 for
    anyone but the archivist."""
    copy = _copy(pk)
    gate(policies.may_distribute(request.user), hide=True)
    try:
        filename, stamped = downloads.reference_download(copy=copy, by=request.user)
    except DocumentsRefused as refusal:
        refusal_to_message(request, refusal)
        return redirect(DOCUMENT_PAGE, pk=copy.document_id)
    return _pdf(filename, stamped)
