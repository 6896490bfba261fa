"""Handled items leave the counters (issue 16 point 4): a request asked by
archive number (R-ACCESS) tells every archivist; once it is settled by
anyone (approved, refused, withdrawn, handed out), the notice leaves every
archivist's counter and the header's count. While it still waits between
two signatures, it stays."""
import pytest

from accounts.models import Notice
from accounts.notices import unread_count
from accounts.roles import Role
from lending import notices as lending_notices
from lending import services
from lending.models import RequestKind, RequestState
from records.models import SecurityLevel
from tests.conftest import make_user
from tests.lending.support import make_outside_head
from tests.notices_support import header_notice_count


@pytest.fixture
def archivists(archivist):
    return [archivist, make_user(Role.ARCHIVIST, "archivist2")]


def asked(requester, record, kind=RequestKind.BORROW):
    return services.request_by_number(
        requester=requester, archive_number=record.archive_number, kind=kind, days=1, purpose="核对合同"
    )


def archivists_notices(archivists):
    return Notice.objects.filter(user__in=archivists)


def confidential(filed_record):
    return filed_record(security_level=SecurityLevel.CONFIDENTIAL)


def test_r_access_an_approved_request_clears_every_archivists_notice_and_header(
    client, staff, department_head, archivists, filed_record
):
    request = asked(staff, confidential(filed_record))
    assert request.state == RequestState.PENDING
    assert [unread_count(user) for user in archivists] == [1, 1]
    assert {notice.subject for notice in archivists_notices(archivists)} == {lending_notices.asked_subject(request)}
    assert header_notice_count(client, archivists[1]) == 1

    services.request_decide(request=request, approver=department_head, approve=True)
    assert [unread_count(user) for user in archivists] == [0, 0]
    assert header_notice_count(client, archivists[1]) == 0
    # The requester's news (approved) is not a task: it stays unread.
    assert unread_count(staff) == 1


@pytest.mark.parametrize("settle", ["refused", "withdrawn"])
def test_r_access_a_refused_or_withdrawn_request_clears_every_archivists_notice(
    settle, staff, department_head, archivists, filed_record
):
    request = asked(staff, confidential(filed_record))
    other = asked(staff, confidential(filed_record))
    if settle == "refused":
        services.request_decide(request=request, approver=department_head, approve=False, reason="不外借")
    else:
        services.request_cancel(request=request, by=staff)
    for archivist in archivists:
        [left] = Notice.objects.filter(user=archivist, read_at=None)
        assert left.subject == lending_notices.asked_subject(other)


def test_r_lend_3_the_notice_stays_between_two_signatures(outside_staff, department_head, archivists, filed_record):
    outside_head = make_outside_head()
    request = asked(outside_staff, filed_record())
    services.request_decide(request=request, approver=outside_head, approve=True)
    request.refresh_from_db()
    assert request.state == RequestState.PENDING  # the archive's head signs next (R-LEND-3)
    assert [unread_count(user) for user in archivists] == [1, 1]
    services.request_decide(request=request, approver=department_head, approve=True)
    assert [unread_count(user) for user in archivists] == [0, 0]


def test_r_lend_1_handing_out_a_request_approved_at_once_clears_the_other_archivists_notice(
    client, staff, archivists, filed_record
):
    # Internal, two days at most: approved at once, it waits for the archivist (R-LEND-1, R-LEND-2).
    request = asked(staff, filed_record(security_level=SecurityLevel.INTERNAL))
    assert request.state == RequestState.APPROVED
    assert [unread_count(user) for user in archivists] == [1, 1]
    # The notice says what is next: handing it out, not approvals that will never come.
    assert all("无需签批，可直接办理" in notice.text for notice in archivists_notices(archivists))
    services.loan_check_out(request=request, by=archivists[0])
    assert [unread_count(user) for user in archivists] == [0, 0]
    assert header_notice_count(client, archivists[1]) == 0


def test_r_lend_1_showing_a_view_clears_the_archivists_notices(staff, department_head, archivists, filed_record):
    request = asked(staff, confidential(filed_record), kind=RequestKind.VIEW)
    services.request_decide(request=request, approver=department_head, approve=True)
    Notice.objects.filter(user__in=archivists).update(read_at=None)  # as if read nowhere yet
    services.view_hand_over(request=request, by=archivists[1])
    assert [unread_count(user) for user in archivists] == [0, 0]


def test_r_access_no_request_made_leaves_the_please_answer_notice(staff, archivists, db):
    services.request_by_number(
        requester=staff, archive_number="NO-SUCH-1", kind=RequestKind.VIEW, days=1, purpose="核对"
    )
    assert [unread_count(user) for user in archivists] == [1, 1]
    assert set(archivists_notices(archivists).values_list("subject", flat=True)) == {""}
