"""Lending's notices reach the right people with lending's wording
(approval needed, approved/refused, extensions, incidents). The mechanism
(row in the caller's transaction, mail after commit) is accounts.notices,
tested in tests/accounts/test_notices.py."""
import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.models import Notice
from lending import services
from lending.exceptions import LendingRefused
from lending.models import IncidentKind
from records.models import SecurityLevel
from tests.lending.support import approved_request, make_outside_head


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def with_email(*users):
    for user in users:
        user.email = f"{user.username}@example.com"
        user.save()


def recipients(text):
    return sorted(Notice.objects.filter(text__contains=text).values_list("user__username", flat=True))


def test_r_lend_3_approval_needed_goes_to_the_next_signers_in_turn(
    outside_staff, department_head, filed_record, run_jobs
):
    outside_head = make_outside_head()
    with_email(outside_head, department_head, outside_staff)
    record = filed_record()
    request = services.request_create(requester=outside_staff, record=record, kind="borrow", days=1,
                                      purpose="审计")
    run_jobs()
    assert recipients("your signature as") == [outside_head.username]
    notice = Notice.objects.get(user=outside_head)
    assert "Head of the borrower's department" in notice.text and "Borrower from another department" in notice.text
    assert notice.url == reverse("lending_inbox")
    # An outside head may not see an internal record's title: the notice names its number only.
    assert record.archive_number in notice.text and record.title not in notice.text
    assert [message.to for message in mail.outbox] == [["cwb_head@example.com"]]
    services.request_decide(request=request, approver=outside_head, approve=True)
    assert recipients("your signature as") == sorted([outside_head.username, department_head.username])
    services.request_decide(request=request, approver=department_head, approve=True)
    assert recipients("is approved") == [outside_staff.username]
    run_jobs()
    assert mail.outbox[-1].to == ["outsider@example.com"]


def test_r_lend_4_refusal_is_sent_to_the_requester_with_the_reason(staff, department_head, filed_record):
    request = services.request_create(requester=staff, record=filed_record(security_level=SecurityLevel.CONFIDENTIAL),
                                      kind="borrow", days=1, purpose="x")
    services.request_decide(request=request, approver=department_head, approve=False, reason="涉密文件不外借")
    [notice] = Notice.objects.filter(user=staff)
    assert "was refused by" in notice.text and notice.text.endswith("涉密文件不外借")


def test_request_approved_at_once_sends_nothing(staff, filed_record):
    services.request_create(requester=staff, record=filed_record(), kind="borrow", days=1, purpose="x")
    assert not Notice.objects.exists()


def test_r_lend_2_extension_notices(staff, archivist, department_head, filed_record):
    loan = services.loan_check_out(request=approved_request(staff, filed_record()), by=archivist)
    extension = services.extension_request(loan=loan, by=staff, new_due_at=loan.due_at + datetime.timedelta(days=2),
                                           reason="项目延期")
    assert recipients("asks to keep") == [department_head.username]
    services.extension_decide(extension=extension, by=department_head, approve=True)
    assert recipients("is extended until") == [staff.username]


def test_r_lend_5_incident_is_sent_to_the_borrower(staff, archivist, filed_record):
    loan = services.loan_check_out(request=approved_request(staff, filed_record()), by=archivist)
    services.incident_open(loan=loan, by=archivist, kind=IncidentKind.DAMAGED, description="水渍")
    [notice] = Notice.objects.filter(user=staff)
    assert notice.text.startswith("Damaged:") and "水渍" in notice.text


def test_refused_action_leaves_no_notice(staff, department_head, filed_record):
    request = services.request_create(requester=staff, record=filed_record(security_level=SecurityLevel.CONFIDENTIAL),
                                      kind="borrow", days=1, purpose="x")
    before = Notice.objects.count()
    with pytest.raises(LendingRefused):
        services.request_decide(request=request, approver=department_head, approve=False, reason="")
    assert Notice.objects.count() == before
