"""Reads for the lending screens, registers and commands. Lists that show
records to a person start from records.selectors.visible_records; the
archivist's desk lists everything, as the keeper sees every record."""
import collections
import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from lending import policies
from lending.facts import ApprovalFacts
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
# What the signature rules read of a request (policies.required_approvals);
# at 1,000 waiting requests the rest is not worth reading for a count.
_WEIGHED = (
    "kind",
    "days",
    "state",
    "created_at",
    "requester__is_active",
    "requester__is_superuser",
    "requester__department__owns_archive",
    "record__security_level",
)


def _with_signers():
    """A request's signatures, with who gave them (approval lines name the signer)."""
    return Prefetch("approvals", queryset=Approval.objects.select_related("approver"))


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


def waiting_for(user, *, record=None):
    """Requests and extensions `user` may decide now, newest first (each
    request with `next_step` and `required`). The signatures each request
    needs are computed again here, so the inbox follows the rules as they
    stand, for all waiting requests together (policies.required_approvals_of):
    a fixed number of queries however many wait. Only what the rules read
    is read (_WEIGHED); `with_details` reads the rows a page shows.
    `record` narrows both to one record (its page)."""
    if not policies.is_active_user(user):
        return WaitingFor([], [])
    pending = (
        LoanRequest.objects.filter(state=RequestState.PENDING)
        .exclude(requester=user)
        .select_related(*_REQUEST_RELATED)
        .only(*_WEIGHED)
        .order_by("-created_at", "-pk")
    )
    extensions = (
        Extension.objects.filter(state=ExtensionState.PENDING, loan__returned_at__isnull=True)
        .select_related("loan")
        .only("created_at", "requested_by", "loan__borrower")
        .order_by("-created_at", "-pk")
    )
    if record is not None:
        pending = pending.filter(record=record)
        extensions = extensions.filter(loan__record=record)
    signed = collections.defaultdict(set)
    for request_id, step in Approval.objects.filter(request__in=pending, approved=True).values_list("request", "step"):
        signed[request_id].add(step)
    pending = list(pending)
    facts = ApprovalFacts.for_requests(pending)
    required = policies.required_approvals_of(pending, facts)
    requests = []
    for request in pending:
        next_step = policies.next_approval(request, required[request.pk], signed=signed[request.pk])
        if next_step is not None and any(approver.pk == user.pk for approver in next_step.approvers):
            request.next_step = next_step
            request.required = required[request.pk]
            requests.append(request)
    extensions = [extension for extension in extensions if policies.may_decide_extension(user, extension, facts)]
    return WaitingFor(requests, extensions)


def with_details(requests):
    """The requests of waiting_for a page shows, read in full (requester and
    department, record, signatures and signers), in the same order and
    keeping `next_step` and `required`."""
    full = (
        LoanRequest.objects.select_related(*_REQUEST_RELATED)
        .prefetch_related(_with_signers())
        .in_bulk([request.pk for request in requests])
    )
    for request in requests:
        full[request.pk].next_step, full[request.pk].required = request.next_step, request.required
    return [full[request.pk] for request in requests]


def extensions_with_details(extensions):
    """The extensions of waiting_for a page shows, read in full, in order."""
    full = Extension.objects.select_related(
        "loan__borrower__department", "loan__record", "requested_by"
    ).in_bulk([extension.pk for extension in extensions])
    return [full[extension.pk] for extension in extensions]


def requests_of(user):
    """A person's own requests, newest first, with their loan if any."""
    return (
        LoanRequest.objects.filter(requester=user)
        .select_related(*_REQUEST_RELATED)
        .prefetch_related(_with_signers())
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
