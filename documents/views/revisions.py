"""A revision of a controlled document and the department head's
countersignature (R-CTRL-6).

- documents_revise: the new PDF, the supporting papers (one or more), the
  reason, and a new title or end date when they change
  (documents.services.revisions.revision_submit). A void, lapsed or
  superseded document is refused with the form shown again, nothing saved.
- documents_countersign: the head reads the revision, its papers and what
  changed, and approves with a note (revision_countersign) or refuses with
  a reason (revision_refuse); never a revision they submitted themselves.

Views stay thin: gate, form, service, refusal to the form or a message
(core.views)."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.views import gate, refusal_to_form
from documents import policies
from documents.exceptions import DocumentsRefused
from documents.forms_lifecycle import CountersignForm, ReviseForm
from documents.models import ControlledDocument, DocumentState, PaperKind
from documents.services import revisions
from documents.services.voiding import is_lapsed

GET_OR_POST = ["GET", "HEAD", "POST"]


def _document_url(document):
    return reverse("documents_document_detail", args=[document.pk])


def _documents():
    return ControlledDocument.objects.select_related(
        "drafting_department", "supersedes", "marked_by", "countersigned_by"
    )


def _submit(request, document, form):
    """The new revision, or None with the refusal on the form (nothing saved)."""
    data = form.cleaned_data
    try:
        return revisions.revision_submit(
            document=document, by=request.user, source=data["source"], papers=data["papers"],
            reason=data["reason"], title=data["title"] or None, valid_until=data["valid_until"],
        )
    except DocumentsRefused as refusal:
        refusal_to_form(form, refusal)
    return None


@require_http_methods(GET_OR_POST)
def document_revise(request, pk):
    """Submit a revision for the head's countersignature (R-CTRL-6)."""
    gate(policies.may_distribute(request.user))
    document = get_object_or_404(_documents(), pk=pk)
    if request.method == "POST":
        form = ReviseForm(request.POST, request.FILES)
        revision = _submit(request, document, form) if form.is_valid() else None
        if revision is not None:
            messages.success(request, _(
                "Revision %(revision)s of %(title)s waits for the department head's countersignature."
            ) % {"revision": revision.revision, "title": revision.title})
            return redirect(_document_url(revision))
    else:
        form = ReviseForm()
    return render(request, "documents/revision_form.html", {
        "document": document, "form": form, "revisable": _revisable(document),
    })


def _revisable(document):
    """Whether the service would take a revision of `document` by its state
    (said on the page before anyone fills the form; the service decides)."""
    return document.state in revisions.REVISABLE_STATES and not is_lapsed(document)


def _differences(revision):
    """(label, before, after) for what the revision changes."""
    previous = revision.supersedes
    if previous is None:
        return []
    rows = [
        (_("Title"), previous.title, revision.title),
        (_("Valid until"), previous.valid_until, revision.valid_until),
        (_("Pages"), previous.page_count, revision.page_count),
    ]
    return [(label, before, after, before != after) for label, before, after in rows]


def _countersign_page(request, revision, form, status=200):
    return render(request, "documents/revision_countersign.html", {
        "revision": revision,
        "previous": revision.supersedes,
        "differences": _differences(revision),
        "papers": list(revision.papers.filter(kind=PaperKind.REVISION).order_by("uploaded_at", "pk")),
        "form": form,
        "may_decide": revision.state == DocumentState.AWAITING_COUNTERSIGN
        and policies.may_countersign(request.user, revision),
        "own": revision.marked_by_id == request.user.pk,
    }, status=status)


def _decide(request, revision, form):
    """Countersign or refuse as the button pressed says; True when done."""
    data = form.cleaned_data
    try:
        if data["decision"] == CountersignForm.APPROVE:
            revisions.revision_countersign(document=revision, by=request.user, note=data["note"])
            messages.success(request, _(
                "Revision %(revision)s of %(title)s is countersigned: it is ready to distribute."
            ) % {"revision": revision.revision, "title": revision.title})
        else:
            revisions.revision_refuse(document=revision, by=request.user, reason=data["note"])
            messages.success(request, _("Revision %(revision)s of %(title)s is refused.") % {
                "revision": revision.revision, "title": revision.title})
    except DocumentsRefused as refusal:
        refusal.field = "note" if refusal.field in ("reason", "note") else refusal.field
        refusal_to_form(form, refusal)
        return False
    return True


@require_http_methods(GET_OR_POST)
def document_countersign(request, pk):
    """The head countersigns or refuses a revision (R-CTRL-6)."""
    gate(policies.may_countersign(request.user))
    revision = get_object_or_404(_documents(), pk=pk)
    if request.method != "POST":
        return _countersign_page(request, revision, CountersignForm())
    form = CountersignForm(request.POST)
    if form.is_valid() and _decide(request, revision, form):
        return redirect(_document_url(revision))
    return _countersign_page(request, revision, form)
