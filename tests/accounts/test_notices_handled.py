"""Handled items leave the counters (issue 16): a notice that asks someone
to act carries a subject; once the thing is handled, by whoever, every
unread notice about it is marked read for everyone it went to, so the
navigation count and 我的借阅's new notices show only what still waits.
Before, the head kept 5 unread approval notices after signing them all.
Lending's requests, extensions and loans, and disposal's lists."""
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notice
from accounts.notices import notices_resolve, notify, unread_count
from disposal import services as disposal_services
from lending import notices as lending_notices
from lending import services
from lending.models import Loan
from records.models import SecurityLevel
from tests.conftest import speak_english
from tests.disposal.support import due_record, submitted
from tests.lending.support import approved_request, make_outside_head


def unread_texts(user):
    return list(Notice.objects.filter(user=user, read_at=None).values_list("text", flat=True))


def confidential_request(staff, filed_record):
    """A confidential record: the department head signs (R-LEND-4)."""
    record = filed_record(security_level=SecurityLevel.CONFIDENTIAL)
    return services.request_create(requester=staff, record=record, kind="borrow", days=1, purpose="市场分析")


# --- the mechanism -------------------------------------------------------------------


def test_resolve_clears_the_subject_for_every_recipient_and_nothing_else(staff, archivist, department_head):
    notify(staff, "甲", "/a/", "thing:1")
    notify(archivist, "甲", "/a/", "thing:1")
    notify(archivist, "乙", "/b/", "thing:2")
    notify(department_head, "丙", "/c/")
    assert notices_resolve(subject="thing:1") == 2
    assert unread_texts(staff) == [] and unread_texts(archivist) == ["乙"]
    assert unread_texts(department_head) == ["丙"]


def test_resolve_keeps_the_first_reading_time_and_ignores_an_empty_subject(staff):
    read = notify(staff, "已读", "", "thing:1")
    earlier = timezone.now() - datetime.timedelta(days=3)
    Notice.objects.filter(pk=read.pk).update(read_at=earlier)
    notify(staff, "无主题", "")
    assert notices_resolve(subject="thing:1") == 0
    assert notices_resolve(subject="") == 0
    read.refresh_from_db()
    assert read.read_at == earlier and unread_texts(staff) == ["无主题"]


# --- lending: approvals, extensions, loans ------------------------------------------


def test_the_head_signing_clears_their_approval_notice_from_the_counter_and_my_lending(
    client, staff, department_head, filed_record
):
    requests = [confidential_request(staff, filed_record) for _index in range(3)]
    assert unread_count(department_head) == 3
    for request in requests:
        services.request_decide(request=request, approver=department_head, approve=True)
    assert unread_count(department_head) == 0
    client.force_login(department_head)
    speak_english(client)
    response = client.get(reverse("lending_mine"))
    assert response.context["notices_nav"].unread == 0
    assert list(response.context["notices"]) == []
    assert "your signature as" not in response.content.decode()
    # The requester's own notices (approved) are news, not tasks: they stay.
    assert len(unread_texts(staff)) == 3


def test_a_refused_or_withdrawn_request_clears_the_signers_notices(staff, department_head, filed_record):
    refused, withdrawn, waiting = (confidential_request(staff, filed_record) for _index in range(3))
    services.request_decide(request=refused, approver=department_head, approve=False, reason="不外借")
    services.request_cancel(request=withdrawn, by=staff)
    [left] = Notice.objects.filter(user=department_head, read_at=None)
    assert left.subject == lending_notices.request_subject(waiting)


def test_a_signed_step_clears_it_for_its_signer_and_asks_the_next(
    outside_staff, department_head, filed_record
):
    outside_head = make_outside_head()
    request = services.request_create(
        requester=outside_staff, record=filed_record(), kind="borrow", days=1, purpose="审计"
    )
    assert unread_count(outside_head) == 1 and unread_count(department_head) == 0
    services.request_decide(request=request, approver=outside_head, approve=True)
    assert unread_count(outside_head) == 0 and unread_count(department_head) == 1
    services.request_decide(request=request, approver=department_head, approve=True)
    assert unread_count(department_head) == 0


def test_a_decided_extension_clears_the_heads_notice(staff, archivist, department_head, filed_record):
    loan = services.loan_check_out(request=approved_request(staff, filed_record()), by=archivist)
    Notice.objects.update(read_at=timezone.now())
    extension = services.extension_request(
        loan=loan, by=staff, new_due_at=loan.due_at + datetime.timedelta(days=1), reason="项目延期"
    )
    assert unread_count(department_head) == 1
    services.extension_decide(extension=extension, by=department_head, approve=False, reason="不行")
    assert unread_count(department_head) == 0


def test_a_returned_loan_clears_its_overdue_notices(staff, archivist, filed_record):
    record = filed_record()
    loan = services.loan_check_out(request=approved_request(staff, record), by=archivist)
    Loan.objects.filter(pk=loan.pk).update(due_at=timezone.now() - datetime.timedelta(days=2))
    Notice.objects.update(read_at=timezone.now())
    loan.refresh_from_db()
    lending_notices.overdue(loan)
    assert unread_count(archivist) == 1 and unread_count(staff) == 1
    services.loan_return(loan=loan, by=archivist, pages_returned=record.pages, copies_returned=record.copies)
    assert unread_count(archivist) == 0
    # The late-return incident is news for the borrower; the overdue reminder is settled.
    assert all("overdue" not in text for text in unread_texts(staff))


# --- disposal: a list's signatures ---------------------------------------------------


def test_a_signed_or_returned_disposal_list_clears_its_approvers_notices(
    archivist, department_head, leadership, filed_record
):
    disposal_list = submitted(archivist, [due_record(filed_record)])
    assert unread_count(department_head) == 1
    disposal_list = disposal_services.list_approve(disposal_list=disposal_list, by=department_head)
    assert unread_count(department_head) == 0 and unread_count(leadership) == 1
    disposal_services.list_return(disposal_list=disposal_list, by=leadership, reason="请补充鉴定意见")
    assert unread_count(leadership) == 0
