"""Many lending rows made fast (bulk_create, no history: history is not what
the query-count tests are about), for pages measured at 10 and at 1,000 rows.

Each pending request to borrow comes from its own requester, so a page that
still asked something per requester (their department, its head, the
holders of a permission) would grow with the rows too. Requests to view
come from a few people here; whether each may see a record is asked for all
of them at once (records.selectors.visible_pairs, through lending.facts),
and tests/lending/test_query_counts.py also measures 1,000 different
viewers."""
import datetime
import itertools

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import Department, Notice, User
from accounts.roles import Role
from lending.models import (
    Approval,
    ApprovalStep,
    Extension,
    Incident,
    IncidentKind,
    Loan,
    LoanRequest,
    RequestKind,
    RequestState,
)
from records.models import Record, RecordStatus, SecurityLevel
from tests.factories import category, marketing_department

_numbers = itertools.count(1)
ONE_DAY = datetime.timedelta(days=1)


def records(count, *, level=SecurityLevel.INTERNAL, status=RecordStatus.FILED):
    """`count` filed records (archive numbers VOL-…), in one insert."""
    now = timezone.now()
    plan, department = category(), marketing_department()  # looked up once, not per row
    rows = []
    for _index in range(count):
        number = next(_numbers)
        rows.append(
            Record(
                archive_number=f"VOL-{number:06d}",
                title=f"批量档案{number}",
                category=plan,
                year=2024,
                security_level=level,
                status=status,
                department=department,
                filed_at=now,
            )
        )
    return Record.objects.bulk_create(rows)


def people(count, *, department, role):
    """`count` users of `department` holding `role`, in two inserts."""
    rows = []
    for _index in range(count):
        number = next(_numbers)
        rows.append(
            User(username=f"vol{number}", full_name=f"批量用户{number}", department=department, password="!")
        )
    users = User.objects.bulk_create(rows)
    group = Group.objects.get(name=role.group_name)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=user.pk, group_id=group.pk) for user in users]
    )
    return users


def _outside_department():
    department, _created = Department.objects.get_or_create(code="CWB", defaults={"name": "财务部"})
    return department


def _request(requester, record, kind, *, state=RequestState.PENDING, days=2, created_at=None):
    return LoanRequest(
        requester=requester, record=record, kind=kind, purpose="批量", days=days, state=state, created_at=created_at
    )


def _insert_requests(rows):
    """bulk_create sets auto_now_add itself; rows that name a time keep it."""
    times = [row.created_at for row in rows]
    created = LoanRequest.objects.bulk_create(rows)
    if any(times):
        for row, at in zip(created, times):
            row.created_at = at or row.created_at
        LoanRequest.objects.bulk_update(created, ["created_at"])
    return created


def outsiders(count):
    """`count` people of the other department (财务部)."""
    return people(count, department=_outside_department(), role=Role.OUTSIDE_STAFF)


def asked_for_confidential(count):
    """`count` members of the archive's department, each asking to borrow a
    confidential record: all wait for the archive's head (R-LEND-4).
    Returns the requests, oldest first."""
    rows = [
        _request(user, record, RequestKind.BORROW)
        for user, record in zip(
            people(count, department=marketing_department(), role=Role.STAFF),
            records(count, level=SecurityLevel.CONFIDENTIAL),
        )
    ]
    start = timezone.now() - datetime.timedelta(days=1)
    for index, row in enumerate(rows):
        row.created_at = start + datetime.timedelta(seconds=index)
    return _insert_requests(rows)


def pending_requests(count, *, borrower_head, viewers):
    """`count` requests waiting for a signature, one requester each, in four
    shapes (R-LEND-2, R-LEND-3, R-LEND-4, R-ACCESS):

    - a member of the archive's department borrowing a confidential record
      (the archive's head signs);
    - an outsider borrowing (their head signs first, then the archive's);
    - the same, their head has signed (the archive's head is next);
    - one of `viewers` (outsiders, taken in turn) asking to view an
      internal record not open to them (both heads).
    The shapes take turns in time. Returns the requests, oldest first."""
    outside = _outside_department()
    shapes = [count // 4 + (1 if index < count % 4 else 0) for index in range(4)]
    insiders = people(shapes[0], department=marketing_department(), role=Role.STAFF)
    borrowers = people(shapes[1] + shapes[2], department=outside, role=Role.OUTSIDE_STAFF)
    requesters = borrowers + [viewers[index % len(viewers)] for index in range(shapes[3])]
    confidential = records(shapes[0], level=SecurityLevel.CONFIDENTIAL)
    internal = records(sum(shapes[1:]))
    start = timezone.now() - datetime.timedelta(days=1)
    rows = [_request(user, record, RequestKind.BORROW) for user, record in zip(insiders, confidential)]
    kinds = [RequestKind.BORROW] * (shapes[1] + shapes[2]) + [RequestKind.VIEW] * shapes[3]
    rows += [_request(user, record, kind) for user, record, kind in zip(requesters, internal, kinds)]
    turns = [turn for shape, size in enumerate(shapes) for turn in range(shape, 4 * size, 4)]
    for row, turn in zip(rows, turns):
        row.created_at = start + datetime.timedelta(seconds=turn)
    created = _insert_requests(rows)
    signed = created[shapes[0] + shapes[1] : shapes[0] + shapes[1] + shapes[2]]
    Approval.objects.bulk_create(
        [
            Approval(request=row, step=ApprovalStep.BORROWER_HEAD, approver=borrower_head, approved=True)
            for row in signed
        ]
    )
    return sorted(created, key=lambda row: row.created_at)


def open_loans(count, *, borrowers, handed_out_by, due_in=ONE_DAY):
    """`count` records out (one loan each), borrowers taken in turn, due
    `due_in` from now (negative: overdue)."""
    now = timezone.now()
    out = records(count, status=RecordStatus.ON_LOAN)
    requests = _insert_requests(
        [
            _request(borrowers[index % len(borrowers)], record, RequestKind.BORROW, state=RequestState.OUT)
            for index, record in enumerate(out)
        ]
    )
    return Loan.objects.bulk_create(
        [
            Loan(
                request=request,
                record=request.record,
                borrower=request.requester,
                handed_out_by=handed_out_by,
                out_at=now - datetime.timedelta(days=1),
                due_at=now + due_in,
            )
            for request in requests
        ]
    )


def pending_extensions(loans):
    return Extension.objects.bulk_create(
        [
            Extension(loan=loan, requested_by=loan.borrower, new_due_at=loan.due_at + 3 * ONE_DAY, reason="批量")
            for loan in loans
        ]
    )


def own_requests(count, *, requester, approver):
    """`count` requests of one person in every state, newer than any made
    before, newest last: waiting, approved (signed), refused, cancelled,
    handed back."""
    states = [
        RequestState.PENDING,
        RequestState.APPROVED,
        RequestState.REFUSED,
        RequestState.CANCELLED,
        RequestState.DONE,
    ]
    start = timezone.now()
    rows = [
        _request(
            requester,
            record,
            RequestKind.BORROW,
            state=states[index % len(states)],
            created_at=start + datetime.timedelta(seconds=index + 1),
        )
        for index, record in enumerate(records(count))
    ]
    created = _insert_requests(rows)
    Approval.objects.bulk_create(
        [
            Approval(
                request=row,
                step=ApprovalStep.ARCHIVE_HEAD,
                approver=approver,
                approved=row.state != RequestState.REFUSED,
                reason="" if row.state != RequestState.REFUSED else "不予批准",
            )
            for row in created
            if row.state in (RequestState.APPROVED, RequestState.REFUSED, RequestState.DONE)
        ]
    )
    now = timezone.now()
    Loan.objects.bulk_create(
        [
            Loan(
                request=row,
                record=row.record,
                borrower=requester,
                handed_out_by=approver,
                out_at=now - datetime.timedelta(days=3),
                due_at=now - datetime.timedelta(days=1),
                returned_at=now - datetime.timedelta(days=2),
                taken_back_by=approver,
            )
            for row in created
            if row.state == RequestState.DONE
        ]
    )
    return created


def approved_requests(count, *, requesters):
    rows = [
        _request(requesters[index % len(requesters)], record, RequestKind.BORROW, state=RequestState.APPROVED)
        for index, record in enumerate(records(count))
    ]
    created = _insert_requests(rows)
    LoanRequest.objects.filter(pk__in=[row.pk for row in created]).update(decided_at=timezone.now())
    return created


def incidents(loans, *, opened_by):
    return Incident.objects.bulk_create(
        [
            Incident(loan=loan, record=loan.record, borrower=loan.borrower, kind=IncidentKind.LATE, opened_by=opened_by)
            for loan in loans
        ]
    )


def notices(count, *, user):
    return Notice.objects.bulk_create(
        [Notice(user=user, text=f"通知{index}", url="/lending/") for index in range(count)]
    )
