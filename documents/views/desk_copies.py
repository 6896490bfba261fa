"""What the archivist does to one copy from its document's page: record a
paper signature (R-CTRL-2), issue a new copy for a lost one (R-CTRL-3),
replace a damaged one under the same number (R-CTRL-4), each behind a
confirmation page; and which of these (and of the void's returns,
destructions and reference copies, R-CTRL-5) a line of the distribution
register offers. The services are documents.services.distribution
.copy_record_paper_signature and documents.services.copies
.copy_reissue_lost / copy_replace_damaged."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.views import gate, refusal_to_form, refusal_to_message
from documents import policies
from documents.exceptions import DocumentsRefused
from documents.forms_desk import PaperSignatureForm, ReplaceForm
from documents.models import ControlledCopy, CopyState
from documents.services.copies import copy_reissue_lost, copy_replace_damaged
from documents.services.distribution import copy_record_paper_signature

GET_OR_POST = ["GET", "HEAD", "POST"]
def _action(label, name, pk, *, post=False, primary=False):
    return {"label": label, "url": reverse(name, args=[pk]), "post": post, "primary": primary}


def _out_actions(user, line):
    actions = []
    if policies.may_record_paper_signature(user, line):
        actions.append(_action(_("Record paper signature"), "documents_copy_paper_signature", line.pk))
    # Replaced once reported damaged (by the holder, or by the archivist
    # through the report page): the report leaves its line in the remark.
    if line.damage_reported_at is not None and policies.may_replace_damaged(user, line):
        actions.append(_action(_("Replace damaged"), "documents_copy_replace", line.pk, primary=True))
    if policies.may_report(user, line):
        actions.append(_action(_("Report lost or damaged"), "documents_copy_report", line.pk))
    return actions


def line_actions(user, line):
    """The buttons of one line of a document's distribution register, by
    the copy's state; `line` comes with its document (documents.selectors
    .document_lines) and `replaced_by`. Asks documents.policies, never
    the database."""
    state = line.state
    if state in policies.COPY_OUT_STATES:
        return _out_actions(user, line)
    if not policies.may_distribute(user):
        return []
    if state == CopyState.LOST:
        if getattr(line, "replaced_by", None) is None and policies.may_reissue_lost(user, line):
            return [_action(_("Issue a new copy"), "documents_copy_reissue", line.pk, primary=True)]
        return []
    if state == CopyState.RECALLED:
        return [_action(_("Record the return"), "documents_copy_return", line.pk, post=True, primary=True)]
    if state == CopyState.RETURNED:
        return [
            _action(_("Destroy"), "documents_copy_destroy", line.pk),
            _action(_("Keep for reference"), "documents_copy_keep_reference", line.pk, post=True),
        ]
    if state == CopyState.REFERENCE:
        return [_action(_("Download the reference copy"), "documents_reference_download", line.pk)]
    return []


def _copy(pk):
    return get_object_or_404(
        ControlledCopy.objects.select_related(
            "document", "document__drafting_department", "recipient_user", "recipient_department", "holder",
            "replaced_by",
        ),
        pk=pk,
    )


def _back(copy):
    return redirect(f"{reverse('documents_document_detail', args=[copy.document_id])}#copy-{copy.pk}")


def _not_possible(request, copy, allowed, message):
    """On opening a confirmation page: the copy's state no longer allows
    the action; say so on the document's page."""
    if allowed:
        return None
    messages.warning(request, message % {"number": copy.control_number, "state": copy.get_state_display()})
    return _back(copy)


@require_http_methods(GET_OR_POST)
def copy_paper_signature(request, pk):
    """The archivist records who signed the paper distribution list for an
    issued copy: the addressed person or a member of the addressed
    department (R-CTRL-2)."""
    gate(policies.may_distribute(request.user))
    copy = _copy(pk)
    form = PaperSignatureForm(request.POST or None, copy=copy)
    if request.method == "POST":
        if form.is_valid():
            try:
                copy_record_paper_signature(copy=copy, by=request.user, signer=form.cleaned_data["signer"])
            except DocumentsRefused as refusal:
                refusal_to_form(form, refusal)
            else:
                messages.success(request, _("The paper signature of %(signer)s for %(number)s is recorded.") % {
                    "signer": form.cleaned_data["signer"].display_name, "number": copy.control_number})
                return _back(copy)
    else:
        refused = _not_possible(request, copy, policies.may_record_paper_signature(request.user, copy), _(
            "Copy %(number)s is not waiting for a signature: %(state)s."))
        if refused:
            return refused
    return render(request, "documents/desk_copy_paper_signature.html", {"copy": copy, "form": form})


@require_http_methods(GET_OR_POST)
def copy_reissue(request, pk):
    """A new copy under a new number, on a new line, for a lost one; the
    lost copy's line stays with its remark (R-CTRL-3)."""
    gate(policies.may_distribute(request.user))
    copy = _copy(pk)
    if request.method != "POST":
        allowed = policies.may_reissue_lost(request.user, copy) and getattr(copy, "replaced_by", None) is None
        return _not_possible(request, copy, allowed, _("Copy %(number)s cannot be reissued: %(state)s.")) or render(
            request, "documents/desk_copy_reissue.html", {"copy": copy})
    try:
        new_copy = copy_reissue_lost(copy=copy, by=request.user)
    except DocumentsRefused as refusal:
        refusal_to_message(request, refusal)
    else:
        messages.success(request, _("Copy %(new)s is issued on a new line in place of the lost %(lost)s.") % {
            "new": new_copy.control_number, "lost": copy.control_number})
    return _back(copy)


@require_http_methods(GET_OR_POST)
def copy_replace(request, pk):
    """The damaged copy is destroyed and a new one handed over under the
    same number, on the same line (R-CTRL-4)."""
    gate(policies.may_distribute(request.user))
    copy = _copy(pk)
    form = ReplaceForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                copy_replace_damaged(copy=copy, by=request.user, note=form.cleaned_data["note"])
            except DocumentsRefused as refusal:
                refusal_to_message(request, refusal)
            else:
                messages.success(request, _("Copy %(number)s is replaced under the same number.") % {
                    "number": copy.control_number})
            return _back(copy)
    else:
        refused = _not_possible(request, copy, policies.may_replace_damaged(request.user, copy), _(
            "Copy %(number)s cannot be replaced: %(state)s."))
        if refused:
            return refused
    return render(request, "documents/desk_copy_replace.html", {"copy": copy, "form": form})
