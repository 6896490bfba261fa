"""Requests, signatures, hand-out, return, extensions and incidents through
lending.services (R-LEND-1..6, R-ACCESS). Every refusal is checked for its
message and for leaving every row as it was."""
import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from accounts.models import Department, Notice
from accounts.roles import Role
from lending import selectors, services
from lending.exceptions import LendingRefused
from lending.models import (
    Approval,
    ApprovalStep,
    ExtensionState,
    Incident,
    IncidentKind,
    LendingPolicy,
    Loan,
    RequestKind,
    RequestState,
)
from records.models import AccessGrant, Medium, Record, RecordStatus, SecurityLevel
from records.selectors import visible_records
from tests.conftest import make_user
from tests.lending.support import approved_request, make_outside_head, snapshot

BORROW, VIEW = RequestKind.BORROW, RequestKind.VIEW


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def refused(match, action, **kwargs):
    """Run a service that must refuse: the message matches, nothing changed."""
    before = snapshot()
    with pytest.raises(LendingRefused, match=match):
        action(**kwargs)
    assert snapshot() == before


def set_status(record, status):
    record.status = status
    record.save()
    return record


@pytest.fixture
def loan(staff, archivist, filed_record):
    request = approved_request(staff, filed_record(pages=10, copies=2), days=2)
    return services.loan_check_out(request=request, by=archivist)


# --- R-LEND-1: the archivist hands out and takes back ---------------------------------


def test_r_lend_1_request_within_the_period_is_approved_at_once(staff, filed_record):
    request = services.request_create(requester=staff, record=filed_record(), kind=BORROW, days=2, purpose="做方案")
    assert request.state == RequestState.APPROVED and request.decided_at is not None
    assert not request.approvals.exists()
    assert request.history.first().history_change_reason == "loan_approved"


def test_r_lend_1_check_out_records_who_when_and_due(staff, archivist, filed_record):
    record = filed_record()
    request = approved_request(staff, record, days=2)
    before = timezone.now()
    loan = services.loan_check_out(request=request, by=archivist)
    assert loan.borrower == staff and loan.handed_out_by == archivist and loan.is_open
    assert before <= loan.out_at <= timezone.now()
    assert loan.due_at == loan.out_at + datetime.timedelta(days=2)
    record.refresh_from_db()
    request.refresh_from_db()
    assert record.status == RecordStatus.ON_LOAN and request.state == RequestState.OUT
    entry = record.history.first()
    assert entry.history_change_reason == "checked_out" and entry.history_user == archivist
    assert selectors.open_loan_for(record) == loan
    assert list(selectors.open_loans_of(staff)) == [loan]


def test_r_lend_1_return_puts_the_record_back(loan, archivist):
    loan = services.loan_return(loan=loan, by=archivist, pages_returned=10, copies_returned=2)
    assert loan.returned_at is not None and loan.taken_back_by == archivist
    assert (loan.pages_returned, loan.copies_returned, loan.damaged) == (10, 2, False)
    loan.record.refresh_from_db()
    loan.request.refresh_from_db()
    assert loan.record.status == RecordStatus.FILED and loan.request.state == RequestState.DONE
    assert not Incident.objects.exists()
    assert selectors.open_loan_for(loan.record) is None


def test_r_lend_1_only_the_archivist_hands_out(staff, department_head, filed_record):
    request = approved_request(staff, filed_record())
    refused("Only the archivist", services.loan_check_out, request=request, by=department_head)
    refused("Only the archivist", services.loan_check_out, request=request, by=staff)


@pytest.mark.parametrize(
    "status", [RecordStatus.MISSING, RecordStatus.VOID, RecordStatus.WRITTEN_OFF, RecordStatus.DESTROYED]
)
def test_r_lend_1_record_off_the_shelf_is_not_lent(staff, archivist, filed_record, status):
    record = filed_record()
    request = approved_request(staff, record)
    set_status(record, status)
    label = str(RecordStatus(status).label)
    refused(f"is {label} and cannot be lent", services.loan_check_out, request=request, by=archivist)


def test_r_lend_1_record_on_loan_is_not_lent_twice(staff, leadership, archivist, filed_record):
    record = filed_record()
    first = services.loan_check_out(request=approved_request(staff, record), by=archivist)
    second = approved_request(leadership, record)
    assert second.state == RequestState.APPROVED
    due = timezone.localtime(first.due_at).strftime("%Y-%m-%d %H:%M")
    refused(
        f"is already out: {staff.display_name} has it until {due}",
        services.loan_check_out,
        request=second,
        by=archivist,
    )


def test_r_lend_1_database_refuses_a_second_open_loan(loan, leadership, archivist):
    request = approved_request(leadership, loan.record)
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.create(
            request=request, record=loan.record, borrower=leadership, handed_out_by=archivist,
            out_at=timezone.now(), due_at=timezone.now(),
        )


def test_r_lend_1_request_twice_handed_out_is_refused(staff, archivist, filed_record):
    request = approved_request(staff, filed_record())
    services.loan_check_out(request=request, by=archivist)
    refused("only an approved request is handed out", services.loan_check_out, request=request, by=archivist)


def test_r_lend_1_pending_request_is_not_handed_out(staff, archivist, department_head, filed_record):
    request = services.request_create(requester=staff, record=filed_record(), kind=BORROW, days=5, purpose="x")
    assert request.state == RequestState.PENDING
    refused("Waiting for approval; only an approved request", services.loan_check_out, request=request, by=archivist)


def test_r_lend_1_view_in_place_is_shown_not_lent(staff, archivist, filed_record):
    record = filed_record()
    request = approved_request(staff, record, kind=VIEW, days=1)
    refused("request to view in place", services.loan_check_out, request=request, by=archivist)
    shown = services.view_hand_over(request=request, by=archivist)
    # Written in the register as a loan closed at once; custody unchanged.
    assert shown.out_at == shown.returned_at and shown.handed_out_by == archivist
    record.refresh_from_db()
    request.refresh_from_db()
    assert record.status == RecordStatus.FILED and request.state == RequestState.DONE
    assert selectors.open_loan_for(record) is None
    today = timezone.localdate()
    assert list(selectors.lending_register_rows(archivist, today, today)) == [shown]


def test_r_lend_1_borrow_request_is_not_shown_in_place(staff, archivist, filed_record):
    request = approved_request(staff, filed_record())
    refused("request to borrow", services.view_hand_over, request=request, by=archivist)


def test_r_lend_1_rules_are_checked_again_at_hand_out(staff, archivist, department_head, filed_record):
    record = filed_record()
    request = approved_request(staff, record)
    record.security_level = SecurityLevel.CONFIDENTIAL
    record.save()
    with pytest.raises(LendingRefused, match="now also needs the signature of Head of the archive's department"):
        services.loan_check_out(request=request, by=archivist)
    request.refresh_from_db()
    assert request.state == RequestState.PENDING and not Loan.objects.exists()
    assert Notice.objects.filter(user=department_head).exists()
    services.request_decide(request=request, approver=department_head, approve=True)
    assert services.loan_check_out(request=request, by=archivist).is_open


# --- R-LEND-2: the loan period and extensions -----------------------------------------


def test_r_lend_2_longer_loan_needs_the_head(staff, archivist, department_head, filed_record):
    request = services.request_create(requester=staff, record=filed_record(), kind=BORROW, days=5, purpose="x")
    assert request.state == RequestState.PENDING
    assert selectors.waiting_for(department_head).requests == [request]
    services.request_decide(request=request, approver=department_head, approve=True, reason="同意")
    request.refresh_from_db()
    assert request.state == RequestState.APPROVED
    [signature] = request.approvals.all()
    assert (signature.step, signature.approver, signature.approved) == (
        ApprovalStep.ARCHIVE_HEAD, department_head, True,
    )
    loan = services.loan_check_out(request=request, by=archivist)
    assert loan.due_at - loan.out_at == datetime.timedelta(days=5)


def test_r_lend_2_extension_approved_by_the_head(loan, staff, department_head):
    new_due = loan.due_at + datetime.timedelta(days=3)
    extension = services.extension_request(loan=loan, by=staff, new_due_at=new_due, reason="项目延期")
    assert selectors.waiting_for(department_head).extensions == [extension]
    services.extension_decide(extension=extension, by=department_head, approve=True)
    loan.refresh_from_db()
    extension.refresh_from_db()
    assert extension.state == ExtensionState.APPROVED and extension.decided_by == department_head
    assert loan.due_at == new_due


def test_r_lend_2_extension_beyond_the_longest_loan_is_refused(loan, staff):
    too_late = loan.out_at + datetime.timedelta(days=30, minutes=1)
    refused(
        r"New due date: at most .*, 30 days after the hand-out\.$",
        services.extension_request, loan=loan, by=staff, new_due_at=too_late, reason="x",
    )


def test_r_lend_2_extension_before_the_current_due_is_refused(loan, staff):
    refused(
        "choose a time after the current one",
        services.extension_request, loan=loan, by=staff, new_due_at=loan.due_at, reason="x",
    )


def test_r_lend_2_extension_needs_a_reason(loan, staff):
    refused(
        "Reason: say why the record is needed longer",
        services.extension_request, loan=loan, by=staff, new_due_at=loan.due_at + datetime.timedelta(days=1),
        reason="  ",
    )


def test_r_lend_2_extension_is_not_decided_by_the_borrower_or_staff(loan, staff, outside_staff, department_head):
    extension = services.extension_request(
        loan=loan, by=staff, new_due_at=loan.due_at + datetime.timedelta(days=1), reason="x"
    )
    refused("cannot decide on your own extension", services.extension_decide, extension=extension, by=staff,
            approve=True)
    refused("Only the head of the archive's department decides extensions", services.extension_decide,
            extension=extension, by=outside_staff, approve=True)
    refused("Reason: say why the extension is refused", services.extension_decide, extension=extension,
            by=department_head, approve=False)
    services.extension_decide(extension=extension, by=department_head, approve=False, reason="需按时归还")
    extension.refresh_from_db()
    assert extension.state == ExtensionState.REFUSED
    refused("is Refused, not waiting", services.extension_decide, extension=extension, by=department_head,
            approve=True)


def test_r_lend_2_extension_limit_is_checked_again_at_the_decision(loan, staff, department_head):
    extension = services.extension_request(
        loan=loan, by=staff, new_due_at=loan.out_at + datetime.timedelta(days=20), reason="x"
    )
    policy = LendingPolicy.current()
    policy.max_loan_days = 10
    policy.save()
    refused("at most", services.extension_decide, extension=extension, by=department_head, approve=True)


# --- R-LEND-3: other departments borrow on an IOU signed by both heads -------------------


def test_r_lend_3_outsider_needs_both_heads_in_order(outside_staff, department_head, archivist, filed_record):
    outside_head = make_outside_head()
    record = filed_record(security_level=SecurityLevel.PUBLIC)
    request = services.request_create(requester=outside_staff, record=record, kind=BORROW, days=2, purpose="审计")
    assert request.state == RequestState.PENDING
    assert selectors.waiting_for(department_head).requests == []
    refused(
        "first needs the signature of Head of the borrower's department",
        services.request_decide, request=request, approver=department_head,
        step=ApprovalStep.ARCHIVE_HEAD, approve=True,
    )
    refused(
        "waits for the signature of Head of the borrower's department",
        services.request_decide, request=request, approver=department_head, approve=True,
    )
    services.request_decide(request=request, approver=outside_head, approve=True)
    request.refresh_from_db()
    assert request.state == RequestState.PENDING
    assert selectors.waiting_for(department_head).requests == [request]
    services.request_decide(request=request, approver=department_head, approve=True)
    request.refresh_from_db()
    assert request.state == RequestState.APPROVED
    assert list(request.approvals.values_list("step", "approver", "approved")) == [
        (ApprovalStep.BORROWER_HEAD, outside_head.pk, True),
        (ApprovalStep.ARCHIVE_HEAD, department_head.pk, True),
    ]
    assert services.loan_check_out(request=request, by=archivist).borrower == outside_staff


def test_r_lend_3_refusal_by_one_head_ends_the_request(outside_staff, department_head, filed_record):
    outside_head = make_outside_head()
    request = services.request_create(requester=outside_staff, record=filed_record(), kind=BORROW, days=1, purpose="x")
    services.request_decide(request=request, approver=outside_head, approve=False, reason="无需借阅")
    request.refresh_from_db()
    assert request.state == RequestState.REFUSED and request.decided_at is not None
    assert Notice.objects.filter(user=outside_staff, text__contains="无需借阅").exists()
    refused("is Refused, not waiting", services.request_decide, request=request, approver=department_head,
            approve=True)


# --- R-LEND-4 / R-ACCESS: confidential records, grants -------------------------------------


@pytest.mark.parametrize("medium", [Medium.ELECTRONIC, Medium.PAPER])
def test_r_lend_4_approved_view_opens_at_hand_over_for_a_time(staff, department_head, archivist, filed_record, medium):
    """Approving opens nothing; the hand-over opens the record for at most
    view_grant_hours (R-LEND-4, R-ACCESS)."""
    record = filed_record(security_level=SecurityLevel.CONFIDENTIAL, medium=medium)
    request = services.request_create(requester=staff, record=record, kind=VIEW, days=1, purpose="核对条款")
    assert request.state == RequestState.PENDING
    assert not visible_records(staff).filter(pk=record.pk).exists()
    services.request_decide(request=request, approver=department_head, approve=True)
    request.refresh_from_db()
    assert request.state == RequestState.APPROVED
    assert not AccessGrant.objects.exists()
    assert not visible_records(staff).filter(pk=record.pk).exists()

    before = timezone.now()
    services.view_hand_over(request=request, by=archivist)
    grant = AccessGrant.objects.get(user=staff, record=record)
    assert grant.granted_by == archivist
    assert before + datetime.timedelta(hours=24) <= grant.ends_at <= timezone.now() + datetime.timedelta(hours=24)
    assert visible_records(staff).filter(pk=record.pk).exists()


def test_r_access_grant_expires_by_itself(staff, department_head, archivist, filed_record):
    record = filed_record(security_level=SecurityLevel.CONFIDENTIAL, medium=Medium.ELECTRONIC)
    request = services.request_create(requester=staff, record=record, kind=VIEW, days=1, purpose="x")
    services.request_decide(request=request, approver=department_head, approve=True)
    services.view_hand_over(request=request, by=archivist)
    grant = AccessGrant.objects.get(user=staff, record=record)
    grant.starts_at -= datetime.timedelta(days=2)
    grant.ends_at = timezone.now() - datetime.timedelta(seconds=1)
    grant.save()
    assert not visible_records(staff).filter(pk=record.pk).exists()


def test_r_access_outsider_views_an_internal_record_with_both_heads(
    outside_staff, department_head, archivist, filed_record
):
    outside_head = make_outside_head()
    record = filed_record(security_level=SecurityLevel.INTERNAL, medium=Medium.ELECTRONIC)
    request = services.request_create(requester=outside_staff, record=record, kind=VIEW, days=1, purpose="x")
    services.request_decide(request=request, approver=outside_head, approve=True)
    assert not visible_records(outside_staff).filter(pk=record.pk).exists()
    services.request_decide(request=request, approver=department_head, approve=True)
    assert not visible_records(outside_staff).filter(pk=record.pk).exists()  # until it is handed over
    services.view_hand_over(request=request, by=archivist)
    assert visible_records(outside_staff).filter(pk=record.pk).exists()


def test_r_access_view_of_a_visible_record_needs_no_grant(staff, filed_record):
    request = services.request_create(requester=staff, record=filed_record(), kind=VIEW, days=1, purpose="x")
    assert request.state == RequestState.APPROVED
    assert not AccessGrant.objects.exists()


def test_r_access_leadership_views_confidential_without_approval(leadership, filed_record):
    record = filed_record(security_level=SecurityLevel.CONFIDENTIAL)
    request = services.request_create(requester=leadership, record=record, kind=VIEW, days=1, purpose="x")
    assert request.state == RequestState.APPROVED and not AccessGrant.objects.exists()


def test_r_lend_4_confidential_loan_needs_the_head(staff, department_head, archivist, filed_record):
    record = filed_record(security_level=SecurityLevel.CONFIDENTIAL)
    request = services.request_create(requester=staff, record=record, kind=BORROW, days=1, purpose="x")
    refused("only an approved request is handed out", services.loan_check_out, request=request, by=archivist)
    services.request_decide(request=request, approver=department_head, approve=True)
    assert services.loan_check_out(request=request, by=archivist).is_open


# --- refusals: self-approval, reasons, cancelling --------------------------------------------


def test_r_lend_4_requester_never_approves_own_request(department_head, filed_record):
    deputy = make_user(Role.DEPARTMENT_HEAD, "deputy")
    archive = Department.objects.get(owns_archive=True)
    archive.head = department_head
    archive.save()
    record = filed_record(security_level=SecurityLevel.CONFIDENTIAL)
    request = services.request_create(requester=department_head, record=record, kind=BORROW, days=1, purpose="x")
    refused("cannot decide on your own request", services.request_decide, request=request,
            approver=department_head, approve=True)
    services.request_decide(request=request, approver=deputy, approve=True)
    request.refresh_from_db()
    assert request.state == RequestState.APPROVED


def test_r_lend_4_other_staff_cannot_sign(staff, outside_staff, department_head, filed_record):
    request = services.request_create(requester=staff, record=filed_record(security_level=SecurityLevel.CONFIDENTIAL),
                                      kind=BORROW, days=1, purpose="x")
    refused("waits for the signature of Head of the archive's department", services.request_decide,
            request=request, approver=outside_staff, approve=True)


def test_r_lend_4_refusal_needs_a_reason(staff, department_head, filed_record):
    request = services.request_create(requester=staff, record=filed_record(security_level=SecurityLevel.CONFIDENTIAL),
                                      kind=BORROW, days=1, purpose="x")
    refused("Reason: say why the request is refused", services.request_decide, request=request,
            approver=department_head, approve=False, reason=" ")
    services.request_decide(request=request, approver=department_head, approve=False, reason="涉密")
    assert Approval.objects.get(request=request).reason == "涉密"


def test_r_lend_1_request_needs_a_purpose(staff, filed_record):
    refused("Purpose: say what the record is needed for", services.request_create, requester=staff,
            record=filed_record(), kind=BORROW, days=1, purpose="")


@pytest.mark.parametrize(
    "status", [RecordStatus.MISSING, RecordStatus.VOID, RecordStatus.WRITTEN_OFF, RecordStatus.DESTROYED]
)
def test_r_lend_1_request_for_a_record_off_the_shelf_is_refused(staff, filed_record, status):
    record = set_status(filed_record(), status)
    refused("cannot be viewed or borrowed", services.request_create, requester=staff, record=record,
            kind=BORROW, days=1, purpose="x")


def test_r_lend_1_cancel_only_by_the_requester(staff, leadership, department_head, filed_record):
    request = services.request_create(requester=staff, record=filed_record(), kind=BORROW, days=5, purpose="x")
    refused("Only the person who asked can cancel", services.request_cancel, request=request, by=leadership)
    refused("Only the person who asked can cancel", services.request_cancel, request=request, by=department_head)
    services.request_cancel(request=request, by=staff)
    request.refresh_from_db()
    assert request.state == RequestState.CANCELLED
    assert selectors.waiting_for(department_head).requests == []


def test_r_lend_1_cancel_after_hand_out_is_refused(loan, staff):
    refused("is Handed out and can no longer be cancelled", services.request_cancel, request=loan.request, by=staff)


# --- R-LEND-5 / R-LEND-6: the return check and incidents -------------------------------------


def test_r_lend_5_late_return_opens_a_late_incident(loan, staff, archivist):
    Loan.objects.filter(pk=loan.pk).update(due_at=timezone.now() - datetime.timedelta(hours=5))
    services.loan_return(loan=loan, by=archivist, pages_returned=10, copies_returned=2)
    [incident] = Incident.objects.all()
    assert (incident.kind, incident.borrower, incident.record, incident.loan) == (
        IncidentKind.LATE, staff, loan.record, loan,
    )
    assert list(selectors.open_incidents(record=loan.record)) == [incident]
    assert list(selectors.open_incidents(borrower=staff)) == [incident]


def test_r_lend_6_missing_pages_and_damage_open_a_damaged_incident(loan, archivist):
    loan = services.loan_return(loan=loan, by=archivist, pages_returned=8, copies_returned=2, damaged=True,
                                notes="封面撕裂")
    [incident] = Incident.objects.all()
    assert incident.kind == IncidentKind.DAMAGED
    assert "2 of 10 pages missing" in incident.description and "封面撕裂" in incident.description
    assert loan.damaged and loan.condition_notes == "封面撕裂"


@pytest.mark.parametrize(
    "pages_returned, incidents",
    [
        (9, [(IncidentKind.DAMAGED, "1 of 10 pages missing.")]),
        (10, []),
    ],
)
def test_r_lend_6_one_page_short_opens_a_damaged_incident_all_pages_do_not(loan, archivist, pages_returned,
                                                                          incidents):
    """The boundary of the page count: a single missing page, undamaged
    otherwise, is a shortfall; every page back is none."""
    loan = services.loan_return(loan=loan, by=archivist, pages_returned=pages_returned, copies_returned=2)
    assert not loan.damaged and loan.pages_returned == pages_returned
    assert [(incident.kind, incident.description) for incident in Incident.objects.filter(loan=loan)] == incidents


def test_r_lend_6_missing_copies_open_a_lost_incident(loan, archivist):
    services.loan_return(loan=loan, by=archivist, pages_returned=10, copies_returned=1)
    [incident] = Incident.objects.all()
    assert incident.kind == IncidentKind.LOST and "1 of 2 copies not returned" in incident.description
    loan.record.refresh_from_db()
    assert loan.record.status == RecordStatus.FILED


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"pages_returned": 11, "copies_returned": 2}, "Pages returned: 11, but the record was filed with 10"),
        ({"pages_returned": 10, "copies_returned": 3}, "Copies returned: 3, but the record was filed with 2"),
        ({"pages_returned": 10, "copies_returned": 0}, "nothing came back"),
        ({"pages_returned": -1, "copies_returned": 2}, "Pages returned: not below zero"),
        ({"pages_returned": "", "copies_returned": 2}, "Pages returned: enter a whole number"),
        ({"pages_returned": 10, "copies_returned": 2, "damaged": True}, "Condition: say what is damaged"),
    ],
)
def test_r_lend_6_incomplete_return_check_is_refused(loan, archivist, kwargs, match):
    refused(match, services.loan_return, loan=loan, by=archivist, **kwargs)


def test_r_lend_6_return_twice_or_by_staff_is_refused(loan, staff, archivist):
    refused("Only the archivist", services.loan_return, loan=loan, by=staff, pages_returned=10, copies_returned=2)
    services.loan_return(loan=loan, by=archivist, pages_returned=10, copies_returned=2)
    refused("This loan was closed on", services.loan_return, loan=loan, by=archivist, pages_returned=10,
            copies_returned=2)


def test_r_lend_5_loss_marks_the_record_missing(loan, staff, archivist):
    incident = services.incident_open(loan=loan, by=archivist, kind=IncidentKind.LOST, description="借阅人遗失")
    record = Record.objects.get(pk=loan.record_id)
    assert record.status == RecordStatus.MISSING
    assert record.history.first().history_change_reason == "marked_missing"
    assert incident.borrower == staff and list(selectors.open_incidents(record=record)) == [incident]
    refused("cannot be viewed or borrowed", services.request_create, requester=staff, record=record,
            kind=BORROW, days=1, purpose="x")
    # Found again: taken back, on the shelf; the incident stays until resolved.
    services.loan_return(loan=loan, by=archivist, pages_returned=10, copies_returned=2)
    record.refresh_from_db()
    assert record.status == RecordStatus.FILED
    assert list(selectors.open_incidents(borrower=staff)) == [incident]
    services.incident_resolve(incident=incident, by=archivist, resolution="已找回")
    assert not selectors.open_incidents(borrower=staff).exists()


def test_r_lend_5_incident_refusals(loan, staff, archivist):
    refused("Only the archivist", services.incident_open, loan=loan, by=staff, kind=IncidentKind.DAMAGED,
            description="x")
    refused("Description: say what happened", services.incident_open, loan=loan, by=archivist,
            kind=IncidentKind.DAMAGED, description="")
    incident = services.incident_open(loan=loan, by=archivist, kind=IncidentKind.DAMAGED, description="水渍")
    refused("already has an open incident", services.incident_open, loan=loan, by=archivist,
            kind=IncidentKind.DAMAGED, description="again")
    refused("Resolution: say how", services.incident_resolve, incident=incident, by=archivist, resolution="")
    services.incident_resolve(incident=incident, by=archivist, resolution="已赔偿")
    refused("was resolved on", services.incident_resolve, incident=incident, by=archivist, resolution="x")
    services.loan_return(loan=loan, by=archivist, pages_returned=10, copies_returned=2)
    refused("This loan is closed", services.incident_open, loan=loan, by=archivist, kind=IncidentKind.LOST,
            description="x")


# --- selectors ------------------------------------------------------------------------------


def test_r_lend_1_desk_lists_what_to_hand_out_due_and_overdue(staff, leadership, archivist, filed_record):
    waiting = approved_request(staff, filed_record())
    due_today = services.loan_check_out(request=approved_request(staff, filed_record()), by=archivist)
    overdue = services.loan_check_out(request=approved_request(leadership, filed_record()), by=archivist)
    later = services.loan_check_out(request=approved_request(leadership, filed_record()), by=archivist)
    now = timezone.now()
    end_of_day = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(23, 59)))
    Loan.objects.filter(pk=due_today.pk).update(due_at=max(now + datetime.timedelta(seconds=30), end_of_day))
    Loan.objects.filter(pk=overdue.pk).update(due_at=now - datetime.timedelta(days=1))
    desk = selectors.desk()
    assert list(desk["to_hand_out"]) == [waiting]
    assert set(desk["out"]) == {due_today, overdue, later}
    assert list(desk["due_today"]) == [due_today]
    assert list(desk["overdue"]) == [overdue]


def test_r_access_register_rows_follow_visibility(staff, outside_staff, archivist, filed_record):
    public = services.loan_check_out(
        request=approved_request(staff, filed_record(security_level=SecurityLevel.PUBLIC)), by=archivist
    )
    internal = services.loan_check_out(request=approved_request(staff, filed_record()), by=archivist)
    today = timezone.localdate()
    assert set(selectors.lending_register_rows(archivist, today, today)) == {public, internal}
    assert list(selectors.lending_register_rows(outside_staff, today, today)) == [public]
    yesterday = today - datetime.timedelta(days=1)
    assert not selectors.lending_register_rows(archivist, yesterday, yesterday).exists()
