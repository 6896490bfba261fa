"""The requester's screens: ask to view or borrow a record, follow one's
requests and loans, cancel, ask for a longer loan. 我的借阅 shows the
newest unread notices (accounts.notices); the notices page is accounts'."""
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.notices import unread_of
from core.views import refusal_to_form, refusal_to_message
from lending import policies, selectors, services
from lending.exceptions import LendingRefused
from lending.facts import ApprovalFacts
from lending.forms import ExtensionForm, FindRecordForm, RequestForm
from lending.models import ExtensionState, Loan, RequestKind, RequestState
from lending.paging import paginate
from lending.views.common import GET_OR_POST, approval_lines, draft_options, form_errors_to_messages
from lending.views.panel import requestable_kinds
from records.access_log import log_access_many
from records.models import AccessAction
from records.selectors import visible_records

@require_safe
def my_lending(request):
    """我的借阅: requests with their state and approvals, loans with their
    due dates (20 of each a page: requests newest first, loans soonest due
    first), incidents in my name (R-LEND-5), unread notices. The waiting
    requests of the page are weighed together (policies.required_approvals_of)."""
    user = request.user
    requests = paginate(request, _requests_shown(user).select_related("loan"), anchor="requests")
    loans = paginate(
        request,
        selectors.open_loans_of(user).prefetch_related("extensions"),
        param="loans_page",
        anchor="loans",
    )
    _describe_requests(user, requests)
    _describe_loans(user, loans)
    # Confidential records named on the page leave a line each (R-ACCESS).
    named = {item.record_id: item.record for item in requests if item.shown}
    named.update((loan.record_id, loan.record) for loan in loans)
    where = f"{_('My lending')} · {request.path}"
    log_access_many(user=user, records=named.values(), action=AccessAction.LISTED, where=where)
    return render(
        request,
        "lending/my_lending.html",
        {
            "requests": requests,
            "loans": loans,
            "incidents": selectors.open_incidents(borrower=user).select_related("record"),
            "notices": unread_of(user)[:5],
            "find_form": FindRecordForm(auto_id="find_%s"),
            "now": timezone.now(),
        },
    )


def _describe_requests(user, requests):
    """What the page shows of each request: its approval lines (the waiting
    ones weighed together), whether it may be cancelled, whether its record
    is named (R-ACCESS), its loan."""
    waiting = [loan_request for loan_request in requests if loan_request.state == RequestState.PENDING]
    required = policies.required_approvals_of(waiting) if waiting else {}
    seen = set(
        visible_records(user)
        .filter(pk__in={loan_request.record_id for loan_request in requests})
        .values_list("pk", flat=True)
    )
    for loan_request in requests:
        loan_request.lines = approval_lines(loan_request, required.get(loan_request.pk))
        loan_request.cancellable = policies.may_cancel(user, loan_request)
        loan_request.shown = loan_request.record_id in seen
        loan_request.loan_row = _loan_of(loan_request)


def _describe_loans(user, loans):
    """Each loan's pending later due date, or the form to ask for one."""
    for loan in loans:
        loan.pending_extension = next(
            (extension for extension in loan.extensions.all() if extension.state == ExtensionState.PENDING), None
        )
        loan.extension_form = (
            ExtensionForm(loan=loan, auto_id=f"extend_{loan.pk}_%s")
            if policies.may_request_extension(user, loan)
            else None  # a view in place is handed back, not extended
        )


def _requests_shown(user):
    """One's requests, less those for a record one cannot open that still
    wait for their approvals: until decided they are with the archive, like
    a request for a number no record has (R-ACCESS, request_by_number)."""
    waiting_unseen = Q(state=RequestState.PENDING) & ~Q(record__in=visible_records(user).values("pk"))
    return selectors.requests_of(user).exclude(waiting_unseen)


def _loan_of(loan_request):
    """The request's loan (due date while out, return date after), if any."""
    try:
        return loan_request.loan
    except Loan.DoesNotExist:
        return None


def _record_shown(user, record):
    """The record if `user` may see it, else None (no such record, or one
    not open to them: the two are answered alike, R-ACCESS)."""
    if record is None:
        return None
    return visible_records(user).filter(pk=record.pk).first()


@require_http_methods(GET_OR_POST)
def request_create(request):
    """Ask to view in place or borrow the record with the given archive
    number. GET shows the form and the approvals each choice needs; POST
    with `preview` shows the approvals of exactly what was filled in; POST
    sends the request (lending.services.request_create re-checks). A number
    the user cannot open (hidden, or no such record) gets the same plain
    form and the same answer (_ask_unseen)."""
    posted = request.POST if request.method == "POST" else None
    finder = FindRecordForm(posted or request.GET)
    if not finder.is_valid():
        form_errors_to_messages(request, finder)
        return redirect("lending_mine")
    record = _record_shown(request.user, finder.record)
    if record is None:
        return _ask_unseen(request, finder.cleaned_data["archive_number"], posted)
    facts = ApprovalFacts()  # the policy row and the heads, read once for the page
    kinds, refusals = requestable_kinds(request.user, record, facts)
    if not kinds:
        for refusal in refusals:
            refusal_to_message(request, refusal)
        return redirect("record_detail", record.pk)
    # The form offers the kinds allowed now; a posted kind is left to the
    # service, which refuses with its reason (it re-checks anyway).
    form = RequestForm(posted, kinds=None if posted is not None else kinds, policy=facts.policy)
    preview = None
    if posted is not None and form.is_valid():
        if "preview" not in posted:
            return _send(request, form, record)
        draft = form.draft(request.user, record)
        try:
            policies.may_request(request.user, record, draft.kind, draft.days, facts=facts)
        except LendingRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            preview = policies.approval_summary(draft, facts)
    form.fields["kind"].choices = [choice for choice in form.fields["kind"].choices if choice[0] in kinds]
    return render(
        request,
        "lending/request_form.html",
        {
            "form": form,
            "record": record,
            "number": record.archive_number,
            "options": draft_options(request.user, record, kinds, facts),
            "preview": preview,
        },
    )


def _ask_unseen(request, number, posted):
    """A number the user cannot open: whether a record has it, its level and
    the approvals it would need are not shown; the request goes to the
    archive (lending.services.request_by_number) and the answer is the same
    whatever the number (R-ACCESS)."""
    form = RequestForm(posted)
    if posted is not None and "preview" not in posted and form.is_valid():
        try:
            services.request_by_number(
                requester=request.user,
                archive_number=number,
                kind=form.cleaned_data["kind"],
                days=form.cleaned_data["days"],
                purpose=form.cleaned_data["purpose"],
            )
        except LendingRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(
                request,
                _("Your request for %(number)s was passed to the archive; you will be told the answer.")
                % {"number": number},
            )
            return redirect("lending_mine")
    return render(request, "lending/request_form.html", {"form": form, "record": None, "number": number})


def _send(request, form, record):
    try:
        loan_request = services.request_create(
            requester=request.user,
            record=record,
            kind=form.cleaned_data["kind"],
            days=form.cleaned_data["days"],
            purpose=form.cleaned_data["purpose"],
        )
    except LendingRefused as refusal:
        refusal_to_message(request, refusal)
        return redirect("record_detail", record.pk)
    if loan_request.state == RequestState.PENDING:
        summary = policies.approval_summary(loan_request)
        messages.success(request, _("Your request was sent. %(summary)s") % {"summary": summary})
    else:
        messages.success(request, _("Your request needs no approval: the archivist will hand the record over."))
    return redirect("lending_mine")


@require_POST
def request_cancel(request, pk):
    """Withdraw one's own request while it waits (POST after confirmation)."""
    loan_request = get_object_or_404(_requests_shown(request.user), pk=pk)
    try:
        services.request_cancel(request=loan_request, by=request.user)
    except LendingRefused as refusal:
        refusal_to_message(request, refusal)
    else:
        messages.success(
            request, _("Your request for %(number)s was cancelled.") % {"number": loan_request.record.archive_number}
        )
    return redirect("lending_mine")


@require_http_methods(GET_OR_POST)
def extension_create(request, pk):
    """Ask for a later due date; the department head decides (R-LEND-2)."""
    loans = selectors.open_loans_of(request.user).filter(request__kind=RequestKind.BORROW)
    loan = get_object_or_404(loans.select_related("record"), pk=pk)
    form = ExtensionForm(request.POST if request.method == "POST" else None, loan=loan)
    if request.method == "POST" and form.is_valid():
        try:
            services.extension_request(
                loan=loan, by=request.user, new_due_at=form.new_due_at, reason=form.cleaned_data["reason"]
            )
        except LendingRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(request, _("Your request for a later due date was sent to the department head."))
            return redirect("lending_mine")
    return render(request, "lending/extension_form.html", {"form": form, "loan": loan})
