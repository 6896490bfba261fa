"""Reads for the lending screens, registers and commands. Lists that show
records to a person start from records.selectors.visible_records; the
archivist's desk lists everything, as the keeper sees every record."""
import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from lending import policies
from lending.models import (
    Approval,
    Extension,
    ExtensionState,
    Incident,
    Loan,
    LoanRequest,
    RequestState,
)
from records.selectors import visible_records

_REQUEST_RELATED = ("requester__department", "record")
_LOAN_RELATED = ("borrower__department", "record", "request", "handed_out_by", "taken_back_by")


@dataclass
class WaitingFor:
    """What one person may decide now: requests whose next signature is
    theirs (each with `next_step`), and extensions they decide (R-LEND-2).
    Unpacks as (requests, extensions)."""

    requests: list = field(default_factory=list)
    extensions: list = field(default_factory=list)

    def __len__(self):
        return len(self.requests) + len(self.extensions)

    def __iter__(self):
        return iter((self.requests, self.extensions))


def waiting_for(user):
    """Requests and extensions `user` may decide now, oldest first. The
    signatures each request needs are computed again here, so the inbox
    follows the rules as they stand."""
    if not policies.is_active_user(user):
        return WaitingFor([], [])
    pending = (
        LoanRequest.objects.filter(state=RequestState.PENDING)
        .exclude(requester=user)
        .select_related(*_REQUEST_RELATED)
        .prefetch_related("approvals")
        .order_by("created_at", "pk")
    )
    requests = []
    for request in pending:
        next_step = policies.next_approval(request)
        if next_step is not None and any(approver.pk == user.pk for approver in next_step.approvers):
            request.next_step = next_step
            requests.append(request)
    extensions = [
        extension
        for extension in Extension.objects.filter(state=ExtensionState.PENDING, loan__returned_at__isnull=True)
        .select_related("loan__borrower", "loan__record", "requested_by")
        .order_by("created_at", "pk")
        if policies.may_decide_extension(user, extension)
    ]
    return WaitingFor(requests, extensions)


def requests_of(user):
    """A person's own requests, newest first, with their loan if any."""
    return (
        LoanRequest.objects.filter(requester=user)
        .select_related(*_REQUEST_RELATED)
        .prefetch_related(Prefetch("approvals", queryset=Approval.objects.select_related("approver")))
        .order_by("-created_at", "-pk")
    )


def _open_loans():
    return Loan.objects.filter(returned_at__isnull=True).select_related(*_LOAN_RELATED)


def open_loans_of(user):
    return _open_loans().filter(borrower=user).order_by("due_at", "pk")


def _today_bounds(now=None):
    now = now or timezone.now()
    today = timezone.localdate(now)
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    return now, start, start + datetime.timedelta(days=1)


def desk(now=None):
    """The archivist's desk: approved requests to hand out or show, loans
    out, loans due later today, and overdue loans (due time passed)."""
    now, _start, tomorrow = _today_bounds(now)
    out = _open_loans().order_by("due_at", "pk")
    return {
        "to_hand_out": LoanRequest.objects.filter(state=RequestState.APPROVED)
        .select_related(*_REQUEST_RELATED)
        .order_by("decided_at", "pk"),
        "out": out,
        "due_today": out.filter(due_at__gte=now, due_at__lt=tomorrow),
        "overdue": out.filter(due_at__lt=now),
    }


def open_loan_for(record):
    """Who has the record and until when, or None (shown on the record page)."""
    return _open_loans().filter(record=record).first()


def open_incidents(record=None, borrower=None):
    """Unresolved incidents, for the record's and the borrower's page (R-LEND-5)."""
    incidents = Incident.objects.filter(resolved_at__isnull=True).select_related("record", "borrower", "loan")
    if record is not None:
        incidents = incidents.filter(record=record)
    if borrower is not None:
        incidents = incidents.filter(borrower=borrower)
    return incidents.order_by("-opened_at", "-pk")


def lending_register_rows(user, date_from, date_to):
    """The lending register (借阅登记表, R-LEND-1): loans and views in place
    handed out between the two dates (inclusive, local time) of records
    `user` may see, oldest first, with the signatures and incidents."""
    start = timezone.make_aware(datetime.datetime.combine(date_from, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min))
    return (
        Loan.objects.filter(out_at__gte=start, out_at__lt=end, record__in=visible_records(user))
        .select_related(*_LOAN_RELATED)
        .prefetch_related(
            Prefetch("request__approvals", queryset=Approval.objects.select_related("approver")),
            "incidents",
        )
        .order_by("out_at", "pk")
    )
