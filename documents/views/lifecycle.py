"""Voiding a controlled document and the recall of its copies (R-CTRL-5).

- documents_void: a confirmation page saying how many copies are recalled
  and from whom, the reason required (documents.services.voiding.
  document_void); a lapsed, superseded or void document is refused.
- documents_recalls: copies recalled and not yet returned, grouped by
  document (holder, recalled since, last reminded), and the copies returned
  that wait to be destroyed or kept for reference; a second tab lists the
  reference copies with the link that prints them stamped 作废.
- documents_recall_remind (POST): remind every holder of the document now.
- documents_copy_return (POST), documents_copy_destroy (confirmation page,
  irreversible), documents_copy_keep_reference (POST, one per document).

Views stay thin: gate, form, service, refusal to the form or a message
(core.views)."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.views import gate, refusal_to_form, refusal_to_message
from documents import policies
from documents.exceptions import DocumentsRefused
from documents.forms_lifecycle import VoidForm
from documents.models import ControlledCopy, ControlledDocument, CopyState, DocumentState
from documents.services import voiding
from records.paging import page_of

GET_OR_POST = ["GET", "HEAD", "POST"]
SHOW_RECALLS, SHOW_REFERENCE = "recalls", "reference"
# Copies on the recall list: not yet returned, or returned and waiting for
# the archivist to destroy them or keep one for reference.
PENDING_STATES = (CopyState.RECALLED, CopyState.RETURNED)


def _copies_with_people():
    # Lines disposed of by an approved purge list are gone from every view (R-CTRL-7).
    return ControlledCopy.objects.filter(purge__isnull=True).select_related(
        "document", "recipient_user", "recipient_department", "holder", "returned_to", "destroyed_by"
    )


def _archivist_copy(request, pk):
    """The copy of the URL, for the archivist (403 for everyone else)."""
    gate(policies.may_distribute(request.user))
    return get_object_or_404(_copies_with_people(), pk=pk)


def _back_to_recalls(copy=None):
    url = reverse("documents_recalls")
    return redirect(f"{url}#document-{copy.document_id}" if copy is not None else url)


# ---- voiding ---------------------------------------------------------------

def _void_refusal(document):
    """Why `document` cannot be voided, or None (R-CTRL-5): a lapsed one
    simply lapsed, a superseded one was replaced by its revision."""
    if document.state in policies.DISTRIBUTABLE_STATES and not voiding.is_lapsed(document):
        return None
    if document.state == DocumentState.VOID:
        return _("This document is already void.")
    if voiding.is_lapsed(document):
        return _("This time-limited document has lapsed: a lapsed document is not voided or recalled.")
    if document.state == DocumentState.SUPERSEDED:
        return _("This document was superseded by its revision: its copies were recalled then.")
    return _("Only a document ready to distribute or in force can be voided; this one is: %(state)s.") % {
        "state": document.get_state_display()}


def _void_page(request, document, form):
    out = list(
        _copies_with_people().filter(document=document, state__in=policies.COPY_OUT_STATES).order_by("copy_number")
    )
    return render(request, "documents/lifecycle_void.html", {
        "document": document, "form": form, "out_copies": out, "refusal": _void_refusal(document),
    })


@require_http_methods(GET_OR_POST)
def document_void(request, pk):
    """Void a document: every copy out is recalled (R-CTRL-5)."""
    gate(policies.may_distribute(request.user))
    document = get_object_or_404(ControlledDocument.objects.select_related("drafting_department"), pk=pk)
    if request.method != "POST":
        return _void_page(request, document, VoidForm())
    form = VoidForm(request.POST)
    if form.is_valid():
        out = document.copies.filter(state__in=policies.COPY_OUT_STATES).count()
        try:
            voiding.document_void(document=document, by=request.user, reason=form.cleaned_data["reason"])
        except DocumentsRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, ngettext(
                "%(title)s is void; %(count)d copy is recalled.",
                "%(title)s is void; %(count)d copies are recalled.", out,
            ) % {"title": document.title, "count": out})
            return _back_to_recalls()
    return _void_page(request, document, form)


# ---- the recall list -------------------------------------------------------

def _recall_rows(show):
    copies = _copies_with_people()
    if show == SHOW_REFERENCE:
        return copies.filter(state=CopyState.REFERENCE).order_by("-document__year", "-document__serial", "copy_number")
    # Grouped by document, the longest outstanding first.
    return copies.filter(state__in=PENDING_STATES).order_by(
        "document__ended_at", "document_id", "state", "copy_number"
    )


@require_safe
def recall_list(request):
    """Outstanding recalls grouped by document (R-CTRL-5), 20 copies a page."""
    user = request.user
    gate(policies.may_view_documents(user))
    show = request.GET.get("show")
    show = show if show in (SHOW_RECALLS, SHOW_REFERENCE) else SHOW_RECALLS
    page = page_of(request, _recall_rows(show))
    copies = list(page.object_list)
    return render(request, "documents/lifecycle_recalls.html", {
        "show": show, "page_obj": page, "copies": copies,
        "may_act": policies.may_distribute(user),
        # Documents with a copy still out: their holders can be reminded.
        "to_remind": {copy.document_id for copy in copies if copy.state == CopyState.RECALLED},
    })


@require_POST
def recall_remind(request, pk):
    """Remind now every holder of the document's copies not yet returned."""
    gate(policies.may_distribute(request.user))
    document = get_object_or_404(ControlledDocument, pk=pk)
    try:
        reminded = voiding.recall_remind(document=document, by=request.user)
    except DocumentsRefused as refusal:
        refusal_to_message(request, refusal)
    else:
        messages.success(request, ngettext(
            "%(count)d holder of %(title)s was reminded to return the copy.",
            "%(count)d holders of %(title)s were reminded to return their copies.", reminded,
        ) % {"count": reminded, "title": document.title})
    return redirect(f"{reverse('documents_recalls')}#document-{document.pk}")


@require_POST
def copy_return(request, pk):
    """The recalled copy came back to the archivist."""
    copy = _archivist_copy(request, pk)
    try:
        voiding.copy_return(copy=copy, by=request.user)
    except DocumentsRefused as refusal:
        refusal_to_message(request, refusal)
    else:
        messages.success(request, _("Copy %(number)s is returned.") % {"number": copy.control_number})
    return _back_to_recalls(copy)


@require_http_methods(GET_OR_POST)
def copy_destroy(request, pk):
    """Destroy a returned copy, after a page saying it cannot be undone."""
    copy = _archivist_copy(request, pk)
    if request.method != "POST":
        if copy.state != CopyState.RETURNED:
            messages.warning(request, _("Only a returned copy can be destroyed; copy %(number)s is: %(state)s.") % {
                "number": copy.control_number, "state": copy.get_state_display()})
            return _back_to_recalls(copy)
        return render(request, "documents/lifecycle_destroy.html", {"copy": copy})
    try:
        voiding.copy_destroy(copy=copy, by=request.user)
    except DocumentsRefused as refusal:
        refusal_to_message(request, refusal)
    else:
        messages.success(request, _("Copy %(number)s is destroyed.") % {"number": copy.control_number})
    return _back_to_recalls(copy)


@require_POST
def copy_keep_reference(request, pk):
    """Keep a returned copy as the document's reference copy, marked void."""
    copy = _archivist_copy(request, pk)
    try:
        voiding.copy_keep_for_reference(copy=copy, by=request.user)
    except DocumentsRefused as refusal:
        refusal_to_message(request, refusal)
        return _back_to_recalls(copy)
    messages.success(request, _("Copy %(number)s is kept for reference; print it stamped void from the list below.") % {
        "number": copy.control_number})
    return redirect(f"{reverse('documents_recalls')}?show={SHOW_REFERENCE}")
