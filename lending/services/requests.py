"""Loan and view requests: asking, withdrawing, and the signatures that
approve or refuse them (R-LEND-2, R-LEND-3, R-LEND-4, R-ACCESS).

Where this differs from the shared contract:

- Approving a VIEW opens nothing: a record the requester may not otherwise
  see is opened when the archivist hands it over and closed when it is
  handed back (lending.services.loans.view_hand_over, loan_return).
- Signatures are given in order: the borrower's department head first, then
  the archive's head; request_decide(step=None) signs the next step.
- A record the requester cannot open is asked for by its archive number
  through request_by_number, whose outcome tells the asker nothing about
  the record (R-ACCESS).
"""
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import acting_as, save_with_history
from core.text import join_items
from lending import notices, policies
from lending.exceptions import LendingRefused
from lending.models import Approval, LoanRequest, RequestKind, RequestState
from lending.services._common import (
    _as_int,
    _locked_record,
    _locked_request,
    _refuse_state,
    _text,
)
from lending.reasons import LendingReason
from records.models import Record, RecordStatus


@transaction.atomic
def request_create(*, requester, record, kind, days, purpose):
    """Ask to view in place or to borrow a record. The request shows which
    signatures it needs and why (lending.policies.required_approvals); one
    that needs none is approved at once."""
    purpose = _text(purpose, _("Purpose: say what the record is needed for."))
    if kind == RequestKind.VIEW and not days:
        days = 1
    days = _as_int(days, _("Days"))
    with acting_as(requester):
        # Lock the record so that two identical requests cannot both pass
        # the "already asked" check.
        record = _locked_record(record.pk)
        policies.may_request(requester, record, kind, days)
        request = LoanRequest(requester=requester, record=record, kind=kind, days=days, purpose=purpose)
        save_with_history(request, by=requester, reason=LendingReason.LOAN_REQUESTED)
        if not policies.required_approvals(request):
            _finish_approval(request, by=None)
        else:
            notices.approval_needed(request)
    return request


def _finish_approval(request, *, by):
    """All signatures are there: the request waits for the archivist
    (R-LEND-1), who hands the record out or shows it."""
    request.state = RequestState.APPROVED
    request.decided_at = timezone.now()
    save_with_history(request, by=by, reason=LendingReason.LOAN_APPROVED)
    notices.request_settled(request)
    if by is not None:
        notices.request_approved(request)
    return request


@transaction.atomic
def request_by_number(*, requester, archive_number, kind, days, purpose):
    """Ask by its archive number for a record one cannot open (R-ACCESS).
    Whether such a record exists, its level and the rules' answer stay with
    the archive: the archivists are told of every such request; when the
    record exists and `requester` may ask for it, the request is made and
    waits for its signatures (R-LEND-3, R-LEND-4), otherwise nothing is made
    and the archivist answers the requester. Returns the request or None;
    only the input itself (purpose, days) is refused, the same way whatever
    the number."""
    purpose = _text(purpose, _("Purpose: say what the record is needed for."))
    days = _as_int(days or 1, _("Days"))
    record = Record.objects.filter(archive_number=archive_number, status__in=RecordStatus.catalogued()).first()
    request, why = None, _("No record has this archive number.")
    if record is not None:
        try:
            # request_create's own transaction rolls back alone on a refusal.
            request = request_create(requester=requester, record=record, kind=kind, days=days, purpose=purpose)
        except LendingRefused as refusal:
            why = refusal.message
    notices.asked_by_number(
        requester=requester, archive_number=archive_number, kind=kind, purpose=purpose, request=request, why=why
    )
    return request


@transaction.atomic
def request_cancel(*, request, by):
    """The requester withdraws a request not yet handed out."""
    request = _locked_request(request)
    if request.requester_id != by.pk:
        raise LendingRefused(_("Only the person who asked can cancel this request."))
    if request.state not in (RequestState.PENDING, RequestState.APPROVED):
        _refuse_state(request, _("This request is %(state)s and can no longer be cancelled."))
    request.state = RequestState.CANCELLED
    with acting_as(by):
        save_with_history(request, by=by, reason=LendingReason.LOAN_CANCELLED)
    notices.request_settled(request)
    return request


@transaction.atomic
def request_decide(*, request, approver, step=None, approve, reason=""):
    """Sign or refuse the next step of a request (R-LEND-2, R-LEND-3,
    R-LEND-4). The signatures needed are computed again now; a refusal
    needs a reason and ends the request; the last signature approves it.
    The requester never signs their own request."""
    reason = _text(reason, "", required=False)
    request = _locked_request(request)
    if request.requester_id == approver.pk:
        raise LendingRefused(_("You cannot decide on your own request."))
    if request.state != RequestState.PENDING:
        _refuse_state(request, _("This request is %(state)s, not waiting for a decision."))
    if not approve and not reason:
        raise LendingRefused(_("Reason: say why the request is refused."))
    pending = policies.next_approval(request)
    if pending is None:
        # The rules ask for fewer signatures than when the request was made.
        if not (approver.has_perm(policies.APPROVE_PERMISSION) or policies.may_handle(approver)):
            raise LendingRefused(_("You cannot decide on this request."))
        with acting_as(approver):
            if approve:
                return _finish_approval(request, by=approver)
            return _refuse(request, approver, reason)
    if step is not None and step != pending.step:
        if Approval.objects.filter(request=request, step=step).exists():
            raise LendingRefused(_("This step is already signed."))
        raise LendingRefused(
            _("The request first needs the signature of %(step)s.") % {"step": pending.label}
        )
    if not policies.may_approve(approver, request, pending.step):
        raise LendingRefused(
            _("This request waits for the signature of %(step)s: %(who)s.")
            % {"step": pending.label, "who": join_items(user.display_name for user in pending.approvers)}
        )
    with acting_as(approver):
        signature = Approval(request=request, step=pending.step, approver=approver, approved=approve, reason=reason)
        decision = LendingReason.LOAN_SIGNED if approve else LendingReason.LOAN_REFUSED
        save_with_history(signature, by=approver, reason=decision)
        if not approve:
            return _refuse(request, approver, reason)
        if policies.next_approval(request) is None:
            return _finish_approval(request, by=approver)
        save_with_history(request, by=approver, reason=LendingReason.LOAN_SIGNED)
        notices.approval_needed(request)
    return request


def _refuse(request, approver, reason):
    request.state = RequestState.REFUSED
    request.decided_at = timezone.now()
    save_with_history(request, by=approver, reason=LendingReason.LOAN_REFUSED)
    notices.request_settled(request)
    notices.request_refused(request, approver, reason)
    return request
