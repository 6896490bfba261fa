"""The archivist's desk (R-LEND-1): approved requests to hand out, loans
out, due today and overdue; check-out in one click and a confirmation,
return with the condition check (R-LEND-6), incidents opened and resolved,
overdue borrowers reminded (催还) (R-LEND-5). Only holders of lending.handle_loan (lending.policies.may_handle)."""
import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.views import gate, refusal_to_form, refusal_to_message
from lending import policies, selectors, services
from lending.exceptions import LendingRefused
from lending.forms import LostForm, ResolveForm, ReturnForm
from lending.models import Incident, IncidentKind, Loan, LoanRequest
from lending.paging import paginate
from lending.views.common import GET_OR_POST, back, form_errors_to_messages


# The desk's lists: name, section of the page, parameter of its page number.
DESK_LISTS = (
    ("to_hand_out", "to-hand-out", "to_hand_out_page"),
    ("due_today", "due-today", "due_today_page"),
    ("overdue", "overdue", "overdue_page"),
    ("out", "out", "out_page"),
    ("incidents", "incidents", "incidents_page"),
)


@require_safe
def desk(request):
    """Each list of the desk 20 rows a page, paged on its own; the counts
    above them are of the whole lists."""
    gate(policies.may_handle(request.user))
    now = timezone.now()
    lists = {**selectors.desk(now), "incidents": selectors.open_incidents()}
    pages = {name: paginate(request, lists[name], param=param, anchor=anchor) for name, anchor, param in DESK_LISTS}
    for loan_request in pages["to_hand_out"]:
        # What the confirmation shows; the service sets the same from the hand-out time.
        loan_request.due_if_now = now + datetime.timedelta(days=loan_request.days)
    return render(request, "lending/desk.html", {**pages, "now": now})


@require_POST
def hand_out(request, pk):
    """Check-out of an approved loan: who, when, due (R-LEND-1)."""
    gate(policies.may_handle(request.user))
    loan_request = get_object_or_404(LoanRequest.objects.select_related("record", "requester"), pk=pk)
    try:
        loan = services.loan_check_out(request=loan_request, by=request.user)
    except LendingRefused as refusal:
        refusal_to_message(request, refusal)
    else:
        messages.success(
            request,
            _("«%(title)s» was handed out to %(name)s, due %(due)s.")
            % {
                "title": loan.record.title,
                "name": loan.borrower.display_name,
                "due": timezone.localtime(loan.due_at).strftime("%Y-%m-%d %H:%M"),
            },
        )
    return back(request, "lending_desk")


@require_POST
def view_shown(request, pk):
    """An approved view in place: the archivist showed the record."""
    gate(policies.may_handle(request.user))
    loan_request = get_object_or_404(LoanRequest.objects.select_related("record", "requester"), pk=pk)
    try:
        services.view_hand_over(request=loan_request, by=request.user)
    except LendingRefused as refusal:
        refusal_to_message(request, refusal)
    else:
        messages.success(
            request,
            _("«%(title)s» was shown to %(name)s.")
            % {"title": loan_request.record.title, "name": loan_request.requester.display_name},
        )
    return back(request, "lending_desk")


@require_http_methods(GET_OR_POST)
def loan_return(request, pk):
    """Take a record back after counting pages and copies and looking for
    damage (R-LEND-6); short, damaged or late opens an incident (R-LEND-5)."""
    gate(policies.may_handle(request.user))
    loan = get_object_or_404(Loan.objects.select_related("record", "borrower"), pk=pk, returned_at=None)
    record = loan.record
    form = ReturnForm(
        request.POST if request.method == "POST" else None,
        initial={"pages_returned": record.pages, "copies_returned": record.copies},
    )
    if request.method == "POST" and form.is_valid():
        before = set(loan.incidents.values_list("pk", flat=True))
        try:
            services.loan_return(
                loan=loan,
                by=request.user,
                pages_returned=form.cleaned_data["pages_returned"],
                copies_returned=form.cleaned_data["copies_returned"],
                damaged=form.cleaned_data["damaged"],
                notes=form.cleaned_data["notes"],
            )
        except LendingRefused as refusal:
            refusal_to_form(form, refusal)
        else:
            messages.success(
                request,
                _("«%(title)s» was taken back from %(name)s.")
                % {"title": record.title, "name": loan.borrower.display_name},
            )
            for incident in loan.incidents.exclude(pk__in=before):
                messages.warning(
                    request,
                    _("An incident was opened: %(kind)s. It shows on the record and on %(name)s's page until resolved.")
                    % {"kind": incident.get_kind_display(), "name": loan.borrower.display_name},
                )
            return redirect("lending_desk")
    return render(
        request, "lending/loan_return.html", {"form": form, "loan": loan, "record": record, "now": timezone.now()}
    )


@require_POST
def loan_lost(request, pk):
    """The record is lost: an incident on the loan, the record goes missing
    (R-LEND-5)."""
    gate(policies.may_handle(request.user))
    loan = get_object_or_404(Loan.objects.select_related("record", "borrower"), pk=pk, returned_at=None)
    form = LostForm(request.POST)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return back(request, "lending_desk")
    try:
        services.incident_open(
            loan=loan, by=request.user, kind=IncidentKind.LOST, description=form.cleaned_data["description"]
        )
    except LendingRefused as refusal:
        refusal_to_message(request, refusal)
    else:
        messages.warning(
            request,
            _("«%(title)s» is recorded as lost by %(name)s; the record is now missing.")
            % {"title": loan.record.title, "name": loan.borrower.display_name},
        )
    return back(request, "lending_desk")


@require_POST
def loan_remind(request, pk):
    """催还: remind the borrower of an overdue loan, once a day (R-LEND-5)."""
    gate(policies.may_handle(request.user))
    loan = get_object_or_404(Loan.objects.select_related("record", "borrower"), pk=pk, returned_at=None)
    try:
        services.loan_remind(loan=loan, by=request.user)
    except LendingRefused as refusal:
        refusal_to_message(request, refusal)
    else:
        if loan.borrower.email:
            text = _("%(name)s was reminded to return «%(title)s», in the app and by mail.")
        else:
            text = _("%(name)s was reminded to return «%(title)s» in the app; they have no e-mail address.")
        messages.success(request, text % {"name": loan.borrower.display_name, "title": loan.record.title})
    return back(request, "lending_desk")


@require_POST
def incident_resolve(request, pk):
    gate(policies.may_handle(request.user))
    incident = get_object_or_404(Incident.objects.select_related("record"), pk=pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        form_errors_to_messages(request, form)
        return back(request, "lending_desk")
    try:
        services.incident_resolve(incident=incident, by=request.user, resolution=form.cleaned_data["resolution"])
    except LendingRefused as refusal:
        refusal_to_message(request, refusal)
    else:
        messages.success(
            request,
            _("The incident on «%(title)s» was resolved.") % {"title": incident.record.title},
        )
    return back(request, "lending_desk")
