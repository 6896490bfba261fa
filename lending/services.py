"""Every write of lending: requests, signatures, hand-out, return,
extensions and incidents (R-LEND-1..6, R-ACCESS). Each service runs in one
transaction, re-reads and locks its rows (select_for_update; on SQLite the
IMMEDIATE transaction serialises writers instead), asks lending.policies
again, writes history with a reason (records.history.ChangeReason) and
sends its notices after commit (lending.notices). A refusal raises
LendingRefused with a message for the user, and changes nothing.

Where this differs from the shared contract (the contract's names all work):

- Approved VIEW of a record the requester may not otherwise see: an
  AccessGrant for Policy.view_grant_hours is created; the request becomes
  DONE when the record is electronic only, and stays APPROVED for a paper
  record so that the archivist can still show the paper (view_hand_over).
- view_hand_over writes a Loan row that is closed at once (out and back in
  the same moment, no custody change) so that the lending register lists
  views in place like loans (R-LEND-1: every view is written in the
  register). These rows never count as open loans.
- Signatures are given in order: the borrower's department head first, then
  the archive's head; request_decide(step=None) signs the next step.
- loan_check_out re-checks the signatures: when the rules now ask for one
  more (the record became confidential, the policy changed), the request is
  sent back to PENDING, its next signers are notified, and LendingRefused
  says so. That change is kept (committed) although the call raises.
- loan_return takes back at least one copy; nothing back is a loss
  (incident_open(kind=LOST)). Fewer pages or damage opens a DAMAGED
  incident, fewer copies a LOST incident, a return after due_at a LATE one.
- A refusal (request_decide, extension_decide) needs a reason; incident_open
  needs a description and incident_resolve a resolution; each refuses with a
  message when it is empty.
- Approvers come from Department.head (see lending.policies); a step that
  nobody but the requester could sign is refused when the request is made.
"""
import contextlib
import datetime
from types import SimpleNamespace

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.models import HistoricalRecords

from lending import notices, policies
from lending.exceptions import LendingRefused
from lending.models import (
    Approval,
    Extension,
    ExtensionState,
    Incident,
    IncidentKind,
    Loan,
    LoanRequest,
    RequestKind,
    RequestState,
)
from records.exceptions import RecordActionRefused
from records.history import ChangeReason
from records.models import AccessGrant, Medium, Policy, Record, RecordStatus
from records.services import record_check_in, record_check_out, record_mark_missing

TEXT_MAX_LENGTH = 300


@contextlib.contextmanager
def _acting_as(user):
    """Name `user` in the history rows written inside the block, as
    simple-history's middleware does in a web request (services also run
    from commands, the admin and tests)."""
    context = HistoricalRecords.context
    if user is None or getattr(context, "request", None) is not None:
        yield
        return
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        del context.request


def _save(obj, reason, by=None):
    obj._change_reason = reason
    if by is not None:
        obj._history_user = by
    obj.save()
    return obj


def _text(value, label, *, required=True):
    value = (value or "").strip()
    if required and not value:
        raise LendingRefused(label)
    if len(value) > TEXT_MAX_LENGTH:
        raise LendingRefused(_("Keep it under %(limit)d characters.") % {"limit": TEXT_MAX_LENGTH})
    return value


def _locked_request(request):
    # of=("self",): PostgreSQL locks no joined row, and refuses FOR UPDATE on
    # the nullable side of a join (the requester's department).
    related = LoanRequest.objects.select_related("requester__department", "record")
    return related.select_for_update(of=("self",)).get(pk=request.pk)


def _locked_loan(loan):
    related = Loan.objects.select_related("borrower", "record", "request")
    return related.select_for_update(of=("self",)).get(pk=loan.pk)


def _locked_record(record_id):
    return Record.objects.select_for_update().get(pk=record_id)


def _refuse_state(request, message):
    raise LendingRefused(message % {"state": request.get_state_display(), "record": request.record})


def _require_handler(by):
    if not policies.may_handle(by):
        raise LendingRefused(_("Only the archivist hands records out and takes them back (R-LEND-1)."))


def _as_int(value, label):
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise LendingRefused(_("%(field)s: enter a whole number.") % {"field": label}) from None
    if number < 0:
        raise LendingRefused(_("%(field)s: not below zero.") % {"field": label})
    return number


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# --- requests -----------------------------------------------------------------------


@transaction.atomic
def request_create(*, requester, record, kind, days, purpose):
    """Ask to view in place or to borrow a record. The request shows which
    signatures it needs and why (lending.policies.required_approvals); one
    that needs none is approved at once."""
    purpose = _text(purpose, _("Purpose: say what the record is needed for."))
    if kind == RequestKind.VIEW and not days:
        days = 1
    days = _as_int(days, _("Days"))
    with _acting_as(requester):
        # Lock the record so that two identical requests cannot both pass
        # the "already asked" check.
        record = _locked_record(record.pk)
        policies.may_request(requester, record, kind, days)
        request = LoanRequest(requester=requester, record=record, kind=kind, days=days, purpose=purpose)
        _save(request, ChangeReason.LOAN_REQUESTED, requester)
        if not policies.required_approvals(request):
            _finish_approval(request, by=None)
        else:
            notices.approval_needed(request)
    return request


def _finish_approval(request, *, by):
    """All signatures are there: approve, and open the record for a viewer
    who may not otherwise see it (R-LEND-4, R-ACCESS)."""
    now = timezone.now()
    request.state = RequestState.APPROVED
    request.decided_at = now
    record = request.record
    if request.kind == RequestKind.VIEW and not policies.can_see(request.requester, record):
        hours = Policy.current().view_grant_hours
        grant = AccessGrant(
            user=request.requester,
            record=record,
            starts_at=now,
            ends_at=now + datetime.timedelta(hours=hours),
            reason=_("Request %(number)d to view: %(purpose)s")
            % {"number": request.pk, "purpose": request.purpose},
            granted_by=by or request.requester,
        )
        grant.reason = grant.reason[:TEXT_MAX_LENGTH]
        _save(grant, ChangeReason.VIEW_GRANTED, by)
        if record.medium == Medium.ELECTRONIC:
            request.state = RequestState.DONE
    _save(request, ChangeReason.LOAN_APPROVED, by)
    if by is not None:
        notices.request_approved(request)
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
    with _acting_as(by):
        _save(request, ChangeReason.LOAN_CANCELLED, by)
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
        with _acting_as(approver):
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
            % {"step": pending.label, "who": ", ".join(user.display_name for user in pending.approvers)}
        )
    with _acting_as(approver):
        signature = Approval(request=request, step=pending.step, approver=approver, approved=approve, reason=reason)
        _save(signature, ChangeReason.LOAN_SIGNED if approve else ChangeReason.LOAN_REFUSED, approver)
        if not approve:
            return _refuse(request, approver, reason)
        if policies.next_approval(request) is None:
            return _finish_approval(request, by=approver)
        _save(request, ChangeReason.LOAN_SIGNED, approver)
        notices.approval_needed(request)
    return request


def _refuse(request, approver, reason):
    request.state = RequestState.REFUSED
    request.decided_at = timezone.now()
    _save(request, ChangeReason.LOAN_REFUSED, approver)
    notices.request_refused(request, approver, reason)
    return request


# --- hand-out and return ------------------------------------------------------------


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
    with _acting_as(by):
        if missing:
            request.state = RequestState.PENDING
            request.decided_at = None
            _save(request, ChangeReason.LOAN_SENT_BACK, by)
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
                _save(loan, ChangeReason.CHECKED_OUT, by)
        except IntegrityError:
            raise _already_out(record, None) from None
        try:
            record_check_out(record=record, reason=ChangeReason.CHECKED_OUT)
        except RecordActionRefused as exc:
            raise LendingRefused(str(exc)) from None
        request.state = RequestState.OUT
        _save(request, ChangeReason.CHECKED_OUT, by)
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
    as a Loan row closed at once, so the lending register lists it; custody
    does not change. The request is then DONE."""
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
    now = timezone.now()
    with _acting_as(by):
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
        _save(loan, ChangeReason.VIEW_SHOWN, by)
        request.state = RequestState.DONE
        _save(request, ChangeReason.VIEW_SHOWN, by)
    return loan


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
    if damaged and not notes:
        raise LendingRefused(_("Condition: say what is damaged."))

    now = timezone.now()
    with _acting_as(by):
        loan.returned_at = now
        loan.taken_back_by = by
        loan.pages_returned = pages
        loan.copies_returned = copies
        loan.damaged = bool(damaged)
        loan.condition_notes = notes
        _save(loan, ChangeReason.LOAN_RETURNED, by)
        try:
            record_check_in(record=record, reason=ChangeReason.CHECKED_IN)
        except RecordActionRefused as exc:
            raise LendingRefused(str(exc)) from None
        request = loan.request
        request.state = RequestState.DONE
        _save(request, ChangeReason.LOAN_RETURNED, by)

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
        if now > loan.due_at:
            _open_incident(
                loan,
                by,
                IncidentKind.LATE,
                _("Due %(due)s, returned %(returned)s.") % {"due": _local(loan.due_at), "returned": _local(now)},
            )
    return loan


# --- extensions (R-LEND-2) ----------------------------------------------------------------


@transaction.atomic
def extension_request(*, loan, by, new_due_at, reason):
    """The borrower (or the archivist for them) asks to keep a record
    longer; the archive's head decides. Never beyond Policy.max_loan_days
    from the hand-out."""
    reason = _text(reason, _("Reason: say why the record is needed longer."))
    loan = _locked_loan(loan)
    if not policies.may_request_extension(by, loan):
        if not loan.is_open:
            raise LendingRefused(_("This loan is closed; there is nothing to extend."))
        raise LendingRefused(_("Only the borrower or the archivist can ask to extend this loan."))
    if new_due_at <= loan.due_at:
        raise LendingRefused(
            _("New due date: choose a time after the current one, %(due)s.") % {"due": _local(loan.due_at)}
        )
    latest = policies.latest_due_at(loan)
    if new_due_at > latest:
        raise LendingRefused(
            _("New due date: at most %(latest)s, %(days)d days after the hand-out (R-LEND-2).")
            % {"latest": _local(latest), "days": Policy.current().max_loan_days}
        )
    if loan.extensions.filter(state=ExtensionState.PENDING).exists():
        raise LendingRefused(_("An extension of this loan is already waiting for a decision."))
    if not policies.extension_approvers(loan):
        raise LendingRefused(_("Nobody can decide this extension; ask the administrator to name the head."))
    with _acting_as(by):
        extension = Extension(loan=loan, requested_by=by, new_due_at=new_due_at, reason=reason)
        _save(extension, ChangeReason.EXTENSION_REQUESTED, by)
        notices.extension_needed(extension)
    return extension


@transaction.atomic
def extension_decide(*, extension, by, approve, reason=""):
    """The archive's head extends a loan or refuses with a reason
    (R-LEND-2); the limit is checked again."""
    reason = _text(reason, "", required=False)
    extension = Extension.objects.select_for_update(of=("self",)).select_related("loan").get(pk=extension.pk)
    loan = _locked_loan(extension.loan)
    extension.loan = loan
    if by.pk in (loan.borrower_id, extension.requested_by_id):
        raise LendingRefused(_("You cannot decide on your own extension."))
    if extension.state != ExtensionState.PENDING:
        raise LendingRefused(
            _("This extension is %(state)s, not waiting for a decision.") % {"state": extension.get_state_display()}
        )
    if not policies.may_decide_extension(by, extension):
        raise LendingRefused(_("Only the head of the archive's department decides extensions (R-LEND-2)."))
    if not approve and not reason:
        raise LendingRefused(_("Reason: say why the extension is refused."))
    if approve:
        if not loan.is_open:
            raise LendingRefused(_("This loan is closed; there is nothing to extend."))
        latest = policies.latest_due_at(loan)
        if extension.new_due_at > latest:
            raise LendingRefused(
                _("New due date: at most %(latest)s, %(days)d days after the hand-out (R-LEND-2).")
                % {"latest": _local(latest), "days": Policy.current().max_loan_days}
            )
    with _acting_as(by):
        extension.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
        extension.decided_by = by
        extension.decision_reason = reason
        _save(extension, ChangeReason.EXTENSION_APPROVED if approve else ChangeReason.EXTENSION_REFUSED, by)
        if approve:
            loan.due_at = extension.new_due_at
            _save(loan, ChangeReason.EXTENSION_APPROVED, by)
        notices.extension_decided(extension)
    return extension


# --- incidents (R-LEND-5) -----------------------------------------------------------------


def _open_incident(loan, by, kind, description):
    incident = Incident(
        loan=loan, record_id=loan.record_id, borrower_id=loan.borrower_id, kind=kind,
        description=description, opened_by=by,
    )
    _save(incident, ChangeReason.INCIDENT_OPENED, by)
    notices.incident_opened(incident)
    return incident


@transaction.atomic
def incident_open(*, loan, by, kind, description=""):
    """The archivist records a late return, damage or loss, naming the
    borrower (R-LEND-5). A loss moves the record to missing."""
    _require_handler(by)
    if kind not in IncidentKind.values:
        raise LendingRefused(_("Choose what happened: late, damaged or lost."))
    description = (description or "").strip()
    if not description:
        raise LendingRefused(_("Description: say what happened."))
    loan = _locked_loan(loan)
    if Incident.objects.filter(loan=loan, kind=kind, resolved_at__isnull=True).exists():
        raise LendingRefused(
            _("This loan already has an open incident of this kind (%(kind)s).")
            % {"kind": IncidentKind(kind).label}
        )
    with _acting_as(by):
        if kind == IncidentKind.LOST:
            if not loan.is_open:
                raise LendingRefused(_("This loan is closed: the record came back, so it is not lost on this loan."))
            try:
                record_mark_missing(record=loan.record, reason=ChangeReason.MARKED_MISSING, by=by)
            except RecordActionRefused as exc:
                raise LendingRefused(str(exc)) from None
        return _open_incident(loan, by, kind, description)


@transaction.atomic
def incident_resolve(*, incident, by, resolution):
    """Close an incident with what was done about it."""
    _require_handler(by)
    resolution = (resolution or "").strip()
    if not resolution:
        raise LendingRefused(_("Resolution: say how the incident was settled."))
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.resolved_at is not None:
        raise LendingRefused(
            _("This incident was resolved on %(date)s.") % {"date": _local(incident.resolved_at)}
        )
    with _acting_as(by):
        incident.resolved_at = timezone.now()
        incident.resolution = resolution
        _save(incident, ChangeReason.INCIDENT_RESOLVED, by)
    return incident
