"""What every holder of controlled copies does, without any grant
(R-CTRL-2..5):

- documents_my_copies: the copies addressed to me, or to my department
  and not yet signed for, or signed for by me; the ones to sign for and to
  hand back first; sign for, download once signed, report lost or damaged.
- documents_copy_sign: sign for a copy (distribution.copy_sign).
- documents_copy_report: report a copy lost (copies.copy_report_lost) or
  damaged (copies.copy_report_damaged).
- documents_valid_list: the 受控文件清单, the controlled documents in
  force, with the number of copies out and links to its register.

Another person's copy is not found (404): its number, holder and state are
not theirs to see. Views stay thin: gate, form, service, refusal to the
form or a message (core.views)."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.views import gate, refusal_to_form, refusal_to_message
from documents import policies, selectors
from documents.exceptions import DocumentsRefused
from documents.forms_copies import LOST, CopyReportForm, ValidSearchForm
from documents.models import CopyState
from documents.services.copies import copy_report_damaged, copy_report_lost
from documents.services.distribution import copy_sign
from records.paging import page_of

GET_OR_POST = ["GET", "HEAD", "POST"]
# Copies that are no longer the holder's to keep: shown greyed.
ENDED_STATES = (CopyState.LAPSED, CopyState.RETURNED, CopyState.DESTROYED, CopyState.REFERENCE, CopyState.LOST)


def _may_hold(user):
    """Every signed-in active user may hold copies: no grant is needed."""
    return user.is_authenticated and user.is_active


def _copy_rows(user, copies):
    """Each copy with what its row offers the user (asked of documents.policies)."""
    return [
        {
            "copy": copy,
            "may_sign": policies.may_sign_for(user, copy),
            "may_download": policies.may_download(user, copy),
            "may_report": policies.may_report(user, copy),
            "recalled": copy.state == CopyState.RECALLED,
            "ended": copy.state in ENDED_STATES,
        }
        for copy in copies
    ]


@require_safe
def my_copies(request):
    """My controlled copies, those waiting for me first, 20 a page."""
    user = request.user
    gate(_may_hold(user))
    page = page_of(request, selectors.my_copies_listed(user))
    rows = _copy_rows(user, page.object_list)
    return render(
        request,
        "documents/copies_mine.html",
        {
            "page_obj": page,
            "rows": rows,
            "to_return": selectors.copies_to_return(user).count(),
        },
    )


@require_POST
def copy_sign_view(request, pk):
    """Sign for a copy addressed to me or to my department (R-CTRL-2)."""
    user = request.user
    gate(_may_hold(user))
    copy = get_object_or_404(selectors.my_copies(user), pk=pk)
    try:
        copy = copy_sign(copy=copy, by=user)
    except DocumentsRefused as refusal:
        refusal_to_message(request, refusal)
    else:
        messages.success(
            request,
            _("You signed for copy %(number)s of “%(title)s”.")
            % {"number": copy.control_number, "title": copy.document.title},
        )
    return redirect("documents_my_copies")


def _report(form, copy, user):
    """Call the service the form asks for; the copy as saved."""
    data = form.cleaned_data
    if data["which"] == LOST:
        return copy_report_lost(copy=copy, by=user, lost_on=data["lost_on"] or None, note=data["note"])
    return copy_report_damaged(copy=copy, by=user, note=data["note"])


def _reported_message(which, copy):
    if which == LOST:
        return _("Copy %(number)s is reported lost; the archivist issues a new copy under a new number.") % {
            "number": copy.control_number
        }
    return _("Copy %(number)s is reported damaged; the archivist replaces it under the same number.") % {
        "number": copy.control_number
    }


@require_http_methods(GET_OR_POST)
def copy_report(request, pk):
    """Report my copy lost (R-CTRL-3) or damaged (R-CTRL-4)."""
    user = request.user
    gate(_may_hold(user))
    copy = get_object_or_404(
        selectors.my_copies(user).select_related("document", "recipient_user", "recipient_department", "holder"),
        pk=pk,
    )
    form = CopyReportForm(request.POST if request.method == "POST" else None, initial={"which": LOST})
    if request.method == "POST" and form.is_valid():
        try:
            copy = _report(form, copy, user)
        except DocumentsRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _reported_message(form.cleaned_data["which"], copy))
            return redirect("documents_my_copies")
    return render(
        request,
        "documents/copies_report.html",
        {
            "copy": copy,
            "form": form,
            "may_report": policies.may_report(user, copy),
            "recalled": copy.state == CopyState.RECALLED,
            "today": timezone.localdate(),
        },
    )


@require_safe
def valid_list(request):
    """The 受控文件清单: the controlled documents in force, 20 a page."""
    gate(_may_hold(request.user))
    form = ValidSearchForm(request.GET or None)
    query = form.query()
    today = timezone.localdate()
    page = page_of(request, selectors.valid_documents_listed(today, query))
    return render(
        request,
        "documents/valid_list.html",
        {"form": form, "query": query, "page_obj": page, "documents": list(page.object_list), "today": today},
    )
