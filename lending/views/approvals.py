"""The approvers' inbox: requests and extensions waiting for this user
(lending.selectors.waiting_for), approved or refused with a reason, or
approved several at once. The archive's department head signs confidential
access, long loans and extensions (R-LEND-2, R-LEND-4); every department
head signs for their own people's outside loans (R-LEND-3)."""
from django.contrib import messages
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from core.views import gate, refusal_to_message
from lending import selectors, services
from lending.exceptions import LendingRefused
from lending.forms import BulkApproveForm, DecisionForm
from lending.models import Extension, LoanRequest
from lending.paging import paginate
from lending.policies import may_approve_anything
from lending.views.common import approval_lines, back, form_errors_to_messages
from records.access_log import log_access_many
from records.models import AccessAction
from records.selectors import visible_records


@require_safe
def inbox(request):
    """What waits for this user, newest first, 20 requests and 20 later due
    dates a page; the rules are weighed for all waiting requests at once
    (selectors.waiting_for), so the page asks a fixed number of queries."""
    gate(may_approve_anything(request.user))
    waiting = selectors.waiting_for(request.user)
    request.lending_waiting = waiting  # the navigation bar counts the same (lending.context_processors)
    requests = paginate(request, waiting.requests, anchor="requests")
    requests.object_list = selectors.with_details(requests.object_list)
    extensions = paginate(request, waiting.extensions, param="extensions_page", anchor="extensions")
    extensions.object_list = selectors.extensions_with_details(extensions.object_list)
    # An outside head signs for records they may not open: those are named
    # by archive number only, as in their notices (R-ACCESS).
    seen = set(
        visible_records(request.user)
        .filter(pk__in=[item.record_id for item in requests] + [item.loan.record_id for item in extensions])
        .values_list("pk", flat=True)
    )
    for loan_request in requests:
        loan_request.lines = approval_lines(loan_request, loan_request.required)
        loan_request.shown = loan_request.record_id in seen
    for extension in extensions:
        extension.shown = extension.loan.record_id in seen
    named = [item.record for item in requests if item.shown] + [item.loan.record for item in extensions if item.shown]
    # Confidential records named on this page leave a line each (R-ACCESS).
    log_access_many(
        user=request.user, records=named, action=AccessAction.LISTED, where=f"{_('Approvals')} · {request.path}"
    )
    return render(request, "lending/inbox.html", {"requests": requests, "extensions": extensions})


def _named(user, record):
    """A record as a message to `user` names it: by its title when they may
    see it, else by its archive number only, as in the inbox (R-ACCESS)."""
    if visible_records(user).filter(pk=record.pk).exists():
        return record.title
    return record.archive_number


def _decision(request):
    """(approve, form) from the posted button and reason."""
    approve = "approve" in request.POST
    form = DecisionForm(request.POST, refusing=not approve)
    return approve, form


@require_POST
def request_decide(request, pk):
    """Approve or refuse one request; a refusal needs a reason."""
    gate(may_approve_anything(request.user))
    loan_request = get_object_or_404(LoanRequest.objects.select_related("record", "requester"), pk=pk)
    approve, form = _decision(request)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return back(request, "lending_inbox")
    try:
        services.request_decide(
            request=loan_request,
            approver=request.user,
            step=request.POST.get("step") or None,
            approve=approve,
            reason=form.cleaned_data["reason"],
        )
    except LendingRefused as refusal:
        refusal_to_message(request, refusal)
    else:
        text = (
            _("You approved the request of %(name)s for «%(title)s».")
            if approve
            else _("You refused the request of %(name)s for «%(title)s».")
        )
        messages.success(
            request,
            text % {"name": loan_request.requester.display_name, "title": _named(request.user, loan_request.record)},
        )
    return back(request, "lending_inbox")


@require_POST
def extension_decide(request, pk):
    """Approve or refuse a later due date (R-LEND-2)."""
    gate(may_approve_anything(request.user))
    extension = get_object_or_404(Extension.objects.select_related("loan__record", "loan__borrower"), pk=pk)
    approve, form = _decision(request)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return back(request, "lending_inbox")
    try:
        services.extension_decide(
            extension=extension, by=request.user, approve=approve, reason=form.cleaned_data["reason"]
        )
    except LendingRefused as refusal:
        refusal_to_message(request, refusal)
    else:
        text = (
            _("You approved the later due date of «%(title)s» for %(name)s.")
            if approve
            else _("You refused the later due date of «%(title)s» for %(name)s.")
        )
        messages.success(
            request,
            text % {"name": extension.loan.borrower.display_name, "title": _named(request.user, extension.loan.record)},
        )
    return back(request, "lending_inbox")


@require_POST
def bulk_approve(request):
    """Approve the chosen requests and extensions, each through its service
    (each re-checked on its own: one refusal does not stop the others)."""
    gate(may_approve_anything(request.user))
    requests, extensions = selectors.waiting_for(request.user)
    form = BulkApproveForm(
        request.POST,
        requests=LoanRequest.objects.filter(pk__in=[item.pk for item in requests]).select_related("record"),
        extensions=Extension.objects.filter(pk__in=[item.pk for item in extensions]).select_related("loan__record"),
    )
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return back(request, "lending_inbox")
    approved = 0
    for loan_request in form.cleaned_data["requests"]:
        try:
            services.request_decide(request=loan_request, approver=request.user, approve=True)
        except LendingRefused as refusal:
            refusal_to_message(request, _about(_named(request.user, loan_request.record), refusal))
        else:
            approved += 1
    for extension in form.cleaned_data["extensions"]:
        try:
            services.extension_decide(extension=extension, by=request.user, approve=True)
        except LendingRefused as refusal:
            refusal_to_message(request, _about(_named(request.user, extension.loan.record), refusal))
        else:
            approved += 1
    if approved:
        messages.success(
            request,
            ngettext("You approved %(count)d item.", "You approved %(count)d items.", approved) % {"count": approved},
        )
    return back(request, "lending_inbox")


def _about(name, refusal):
    """One refusal among several decided at once, naming the record it is
    about (by title or number, _named)."""
    return LendingRefused(f"{name}: {refusal.message}", field=refusal.field)
