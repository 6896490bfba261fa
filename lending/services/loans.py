"""Hand-out and return: lending a record, showing it in place, and taking it
back checked for completeness (R-LEND-1, R-LEND-5, R-LEND-6). Custody moves
through the records services (record_check_out, record_check_in).

Where this differs from the shared contract:

- view_hand_over writes a Loan row (no custody change) so that the lending
  register lists views in place like loans (R-LEND-1: every view is written
  in the register). A record the viewer may see anyway is shown and given
  back at once: the row is closed in the same moment. A record they may not
  otherwise see (confidential, R-LEND-4; not open to their department,
  R-ACCESS) is opened for them by an AccessGrant from the hand-over, for at
  most LendingPolicy.view_grant_hours (the row's due time); loan_return
  closes the row and ends the grant when it is handed back.
- loan_check_out re-checks the signatures: when the rules now ask for one
  more (the record became confidential, the policy changed), the request is
  sent back to PENDING, its next signers are notified, and LendingRefused
  says so. That change is kept (committed) although the call raises.
- loan_return takes back at least one copy; nothing back is a loss
  (incident_open(kind=LOST)). Fewer pages or damage opens a DAMAGED
  incident, fewer copies a LOST incident, a return after due_at a LATE one.
"""
import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import acting_as, save_with_history
from lending import notices, policies
from lending.exceptions import LendingRefused
from lending.models import IncidentKind, LendingPolicy, Loan, RequestKind, RequestState
from lending.services._common import (
    TEXT_MAX_LENGTH,
    _as_int,
    _local,
    _locked_loan,
    _locked_record,
    _locked_request,
    _refuse_state,
    _require_handler,
    _text,
)
from lending.services.incidents import _open_incident
from records.exceptions import RecordActionRefused
from lending.reasons import LendingReason
from records.history import ChangeReason
from records.models import AccessGrant, RecordStatus
from records.services import record_check_in, record_check_out


def loan_check_out(*, request, by):
    """The archivist hands out an approved loan (R-LEND-1): who, when, due
    (now + the days asked for). The record must be on the shelf: not out,
    missing, void, written off or destroyed. Two hand-outs of one record
    cannot both succeed: the record row is locked before the checks, and the
    one_open_loan_per_record constraint is the last line of defence."""
    loan, sent_back = _check_out(request=request, by=by)
    if sent_back is not None:
        raise LendingRefused(
            _("The rules changed since this request was approved: it now also needs the signature of %(step)s "
              "(%(reason)s). It has been sent back for approval.")
            % {"step": sent_back.label, "reason": sent_back.reason}
        )
    return loan


@transaction.atomic
def _check_out(*, request, by):
    _require_handler(by)
    request = _locked_request(request)
    record = _locked_record(request.record_id)
    if request.kind != RequestKind.BORROW:
        raise LendingRefused(_("This is a request to view in place: show the record, do not lend it."))
    if request.state != RequestState.APPROVED:
        _refuse_state(request, _("This request is %(state)s; only an approved request is handed out."))
    current = Loan.objects.filter(record=record, returned_at__isnull=True).select_related("borrower").first()
    if current is not None:
        raise _already_out(record, current)
    if record.status != RecordStatus.FILED:
        raise LendingRefused(
            _("«%(record)s» is %(status)s and cannot be lent.")
            % {"record": record, "status": record.get_status_display()}
        )
    missing = policies.missing_approvals(request)
    with acting_as(by):
        if missing:
            request.state = RequestState.PENDING
            request.decided_at = None
            save_with_history(request, by=by, reason=LendingReason.LOAN_SENT_BACK)
            notices.approval_needed(request)
            return None, missing[0]
        now = timezone.now()
        loan = Loan(
            request=request,
            record=record,
            borrower=request.requester,
            handed_out_by=by,
            out_at=now,
            due_at=now + datetime.timedelta(days=request.days),
        )
        try:
            with transaction.atomic():
                save_with_history(loan, by=by, reason=ChangeReason.CHECKED_OUT)
        except IntegrityError:
            raise _already_out(record, None) from None
        try:
            record_check_out(record=record, reason=ChangeReason.CHECKED_OUT, by=by)
        except RecordActionRefused as exc:
            raise LendingRefused(str(exc)) from None
        request.state = RequestState.OUT
        save_with_history(request, by=by, reason=ChangeReason.CHECKED_OUT)
        notices.request_settled(request)
    return loan, None


def _already_out(record, loan):
    if loan is None:
        return LendingRefused(_("«%(record)s» is already out.") % {"record": record})
    return LendingRefused(
        _("«%(record)s» is already out: %(borrower)s has it until %(due)s.")
        % {"record": record, "borrower": loan.borrower.display_name, "due": _local(loan.due_at)}
    )


@transaction.atomic
def view_hand_over(*, request, by):
    """The archivist shows an approved record in place (R-LEND-1). Written
    as a Loan row, so the lending register lists it; custody does not
    change. A record the viewer may see anyway is given back at once (the
    row is closed, the request DONE); one they may not is opened for them
    until it is handed back (loan_return), for at most
    LendingPolicy.view_grant_hours (R-LEND-4, R-ACCESS)."""
    _require_handler(by)
    request = _locked_request(request)
    record = _locked_record(request.record_id)
    if request.kind != RequestKind.VIEW:
        raise LendingRefused(_("This is a request to borrow: hand the record out instead."))
    if request.state != RequestState.APPROVED:
        _refuse_state(request, _("This request is %(state)s; only an approved request is shown."))
    if record.status != RecordStatus.FILED:
        raise LendingRefused(
            _("«%(record)s» is %(status)s and cannot be shown now.")
            % {"record": record, "status": record.get_status_display()}
        )
    missing = policies.missing_approvals(request)
    if missing:
        raise LendingRefused(
            _("The rules changed since this request was approved: it now also needs the signature of %(step)s.")
            % {"step": missing[0].label}
        )
    current = Loan.objects.filter(record=record, returned_at__isnull=True).select_related("borrower").first()
    if current is not None:
        raise _already_out(record, current)
    with acting_as(by):
        notices.request_settled(request)
        if policies.can_see(request.requester, record):
            return _show_and_take_back(request, record, by=by)
        return _open_for_viewing(request, record, by=by)


def _show_and_take_back(request, record, *, by):
    now = timezone.now()
    loan = Loan(
        request=request,
        record=record,
        borrower=request.requester,
        handed_out_by=by,
        out_at=now,
        due_at=now,
        returned_at=now,
        taken_back_by=by,
        pages_returned=record.pages,
        copies_returned=record.copies,
    )
    save_with_history(loan, by=by, reason=LendingReason.VIEW_SHOWN)
    request.state = RequestState.DONE
    save_with_history(request, by=by, reason=LendingReason.VIEW_SHOWN)
    return loan


def _open_for_viewing(request, record, *, by):
    """The viewer may see the record from now until it is handed back, at
    most view_grant_hours; the row stays open until then."""
    now = timezone.now()
    until = now + datetime.timedelta(hours=LendingPolicy.current().view_grant_hours)
    loan = Loan(request=request, record=record, borrower=request.requester, handed_out_by=by, out_at=now, due_at=until)
    save_with_history(loan, by=by, reason=LendingReason.VIEW_SHOWN)
    reason = _("Request %(number)d to view: %(purpose)s") % {"number": request.pk, "purpose": request.purpose}
    grant = AccessGrant(
        user=request.requester, record=record, starts_at=now, ends_at=until, reason=reason[:TEXT_MAX_LENGTH],
        granted_by=by,
    )
    save_with_history(grant, by=by, reason=LendingReason.VIEW_GRANTED)
    request.state = RequestState.OUT
    save_with_history(request, by=by, reason=LendingReason.VIEW_SHOWN)
    return loan


def _end_viewing(loan, *, by):
    """The grant opened at the hand-over of this view ends at the hand-back."""
    now = timezone.now()
    grants = AccessGrant.objects.select_for_update().filter(
        user_id=loan.borrower_id, record_id=loan.record_id, starts_at=loan.out_at, ends_at__gt=now, revoked_at=None
    )
    for grant in grants:
        grant.ends_at = max(now, grant.starts_at + datetime.timedelta(microseconds=1))
        save_with_history(grant, by=by, reason=LendingReason.LOAN_RETURNED)


@transaction.atomic
def loan_return(*, loan, by, pages_returned, copies_returned, damaged=False, notes=""):
    """The archivist takes a record back after checking it is complete
    (R-LEND-6): pages and copies against the record as filed, damaged or
    not. Missing pages or damage open a DAMAGED incident, missing copies a
    LOST one, a return after the due time a LATE one, each naming the
    borrower (R-LEND-5)."""
    _require_handler(by)
    notes = _text(notes, "", required=False)
    loan = _locked_loan(loan)
    if not loan.is_open:
        raise LendingRefused(
            _("This loan was closed on %(date)s.") % {"date": _local(loan.returned_at)}
        )
    record = _locked_record(loan.record_id)
    pages, copies = _counted_against(record, pages_returned, copies_returned)
    if damaged and not notes:
        raise LendingRefused(_("Condition: say what is damaged."))
    with acting_as(by):
        _take_back(loan, record, by=by, pages=pages, copies=copies, damaged=damaged, notes=notes)
        _open_return_incidents(loan, record, by=by, damaged=damaged, notes=notes)
    notices.loan_handled(loan)
    return loan


def _counted_against(record, pages_returned, copies_returned):
    """The pages and copies counted at the return, as whole numbers: at least
    one copy (nothing back is a loss, not a return), never more than the
    record was filed with (R-LEND-6)."""
    pages = _as_int(pages_returned, _("Pages returned"))
    copies = _as_int(copies_returned, _("Copies returned"))
    if copies < 1:
        raise LendingRefused(_("Copies returned: nothing came back, so open a loss incident instead."))
    if pages > record.pages:
        raise LendingRefused(
            _("Pages returned: %(counted)d, but the record was filed with %(filed)d; count again.")
            % {"counted": pages, "filed": record.pages}
        )
    if copies > record.copies:
        raise LendingRefused(
            _("Copies returned: %(counted)d, but the record was filed with %(filed)d; count again.")
            % {"counted": copies, "filed": record.copies}
        )
    return pages, copies


def _take_back(loan, record, *, by, pages, copies, damaged, notes):
    """Close the loan with what was counted, put the record back in the
    archive's custody and close the request."""
    loan.returned_at = timezone.now()
    loan.taken_back_by = by
    loan.pages_returned = pages
    loan.copies_returned = copies
    loan.damaged = bool(damaged)
    loan.condition_notes = notes
    save_with_history(loan, by=by, reason=LendingReason.LOAN_RETURNED)
    request = loan.request
    if request.kind == RequestKind.VIEW:
        # Shown in place: custody never moved; the viewer's access ends now.
        _end_viewing(loan, by=by)
    else:
        try:
            record_check_in(record=record, reason=ChangeReason.CHECKED_IN, by=by)
        except RecordActionRefused as exc:
            raise LendingRefused(str(exc)) from None
    request.state = RequestState.DONE
    save_with_history(request, by=by, reason=LendingReason.LOAN_RETURNED)


def _open_return_incidents(loan, record, *, by, damaged, notes):
    """What the return check found, each naming the borrower (R-LEND-5):
    missing pages or damage, missing copies, a return after the due time
    (R-LEND-6)."""
    pages, copies = loan.pages_returned, loan.copies_returned
    damage = []
    if pages < record.pages:
        damage.append(
            _("%(missing)d of %(filed)d pages missing.") % {"missing": record.pages - pages, "filed": record.pages}
        )
    if damaged:
        damage.append(_("Damaged: %(notes)s") % {"notes": notes})
    if damage:
        _open_incident(loan, by, IncidentKind.DAMAGED, " ".join(damage))
    if copies < record.copies:
        _open_incident(
            loan,
            by,
            IncidentKind.LOST,
            _("%(missing)d of %(filed)d copies not returned.")
            % {"missing": record.copies - copies, "filed": record.copies},
        )
    if loan.returned_at > loan.due_at:
        _open_incident(
            loan,
            by,
            IncidentKind.LATE,
            _("Due %(due)s, returned %(returned)s.")
            % {"due": _local(loan.due_at), "returned": _local(loan.returned_at)},
        )
