"""Lending tells nobody more than they may see (R-ACCESS, R-LEND-4):

- asking by archive number answers alike for a number no record has and
  for a record the asker may not see (same page, same message, same
  status), and the request reaches the archive, which decides;
- an approver is told the number, not the title, of a record they may not
  see;
- a confidential view in place opens when the archivist hands it over and
  closes when it is handed back, for at most LendingPolicy.view_grant_hours.
"""
import datetime
import re
from urllib.parse import quote

import pytest
from django.utils import translation
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notice
from lending import services
from lending.exceptions import LendingRefused
from lending.models import LendingPolicy, Loan, LoanRequest, RequestKind, RequestState
from records.models import AccessGrant, Medium, RecordStatus, SecurityLevel
from records.selectors import visible_records
from tests.conftest import speak_english
from tests.lending.support import approve_all, make_outside_head

C, I = SecurityLevel.CONFIDENTIAL, SecurityLevel.INTERNAL
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def as_user(client, user):
    client.force_login(user)
    speak_english(client)
    return client


def shown(response, number):
    """What the user sees, with the number they typed (also as it appears
    in a link) and the CSRF token (new on every page) taken out."""
    text = CSRF.sub("", response.content.decode()).replace(number, "<number>").replace(quote(number), "<number>")
    messages = [str(message).replace(number, "<number>") for message in response.context["messages"]]
    return response.status_code, text, messages


def ask_by_number(client, number):
    """The asker's whole journey: the form, a form error, and the request sent."""
    url = reverse("lending_request")
    data = {"archive_number": number, "kind": RequestKind.VIEW, "days": "1"}
    form = client.get(url, {"archive_number": number})
    error = client.post(url, {**data, "purpose": ""})
    sent = client.post(url, {**data, "purpose": "核对合同条款"})
    assert sent.status_code == 302
    followed = client.get(sent["Location"])
    return [shown(form, number), shown(error, number), (sent.status_code, sent["Location"]), shown(followed, number)]


def view_request(requester, record):
    return services.request_create(requester=requester, record=record, kind=RequestKind.VIEW, days=1, purpose="核对")


# --- asking by archive number ------------------------------------------------------------------


@pytest.mark.parametrize(
    "asker, level", [("staff", C), ("outside_staff", I), ("outside_staff", C)], ids=["confidential", "internal", "both"]
)
def test_r_access_a_hidden_record_and_no_record_are_answered_alike(
    client, request, archivist, department_head, filed_record, asker, level
):
    make_outside_head()
    user = request.getfixturevalue(asker)
    record = filed_record(title="董事会机密纪要", security_level=level)
    assert not visible_records(user).filter(pk=record.pk).exists()
    # A number no record has, shaped like the real one.
    missing = record.archive_number[:-4] + "9999"
    as_user(client, user)

    nobody = ask_by_number(client, missing)
    hidden = ask_by_number(client, record.archive_number)

    assert hidden == nobody
    everything = "".join(text for step in hidden if len(step) == 3 for text in [step[1], *step[2]])
    for secret in ("董事会机密纪要", "Confidential", "Internal", "badge--level", "Not open to your department"):
        assert secret not in everything
    # The request reached the archive all the same: it waits for its signatures.
    loan_request = LoanRequest.objects.get()
    assert (loan_request.record, loan_request.state) == (record, RequestState.PENDING)
    texts = list(Notice.objects.filter(user=archivist).order_by("pk").values_list("text", flat=True))
    assert len(texts) == 2
    assert missing in texts[0] and "No record has this archive number." in texts[0]
    assert record.archive_number in texts[1] and "waits for its approvals" in texts[1]


def test_r_access_a_waiting_request_for_a_hidden_record_cannot_be_found_by_its_id(
    client, staff, department_head, filed_record
):
    record = filed_record(title="董事会机密纪要", security_level=C)
    loan_request = services.request_by_number(
        requester=staff, archive_number=record.archive_number, kind=RequestKind.VIEW, days=1, purpose="核对"
    )
    response = as_user(client, staff).post(reverse("lending_request_cancel", args=[loan_request.pk]))
    assert response.status_code == 404
    loan_request.refresh_from_db()
    assert loan_request.state == RequestState.PENDING

    # Once decided, it is the asker's again, by its number only.
    services.request_decide(request=loan_request, approver=department_head, approve=True)
    page = client.get(reverse("lending_mine")).content.decode()
    assert f'id="request-{loan_request.pk}"' in page
    assert record.archive_number in page and "董事会机密纪要" not in page and "badge--level" not in page


def test_r_access_request_by_number_refuses_only_the_input(staff, archivist, db):
    with translation.override("en"), pytest.raises(LendingRefused, match="Purpose"):
        services.request_by_number(requester=staff, archive_number="NO-SUCH", kind=RequestKind.VIEW, days=1,
                                   purpose=" ")
    assert not Notice.objects.exists()


def test_r_access_a_record_one_may_see_is_asked_for_as_before(client, staff, filed_record):
    record = filed_record(title="华东区代理商协议", security_level=I)
    page = as_user(client, staff).get(reverse("lending_request"), {"archive_number": record.archive_number})
    html = page.content.decode()
    assert "华东区代理商协议" in html and "approval-options" in html and 'name="preview"' in html


# --- approvers are told the number of a record they may not see --------------------------------


def test_r_access_an_outside_head_approving_is_told_the_number_only(
    client, outside_staff, department_head, filed_record
):
    outside_head = make_outside_head()
    record = filed_record(title="内部价格底线", security_level=I)
    loan_request = services.request_create(
        requester=outside_staff, record=record, kind=RequestKind.BORROW, days=1, purpose="审计"
    )
    assert not visible_records(outside_head).filter(pk=record.pk).exists()

    response = as_user(client, outside_head).post(
        reverse("lending_request_decide", args=[loan_request.pk]), {"approve": "1", "reason": ""}, follow=True
    )

    messages = [str(message) for message in response.context["messages"]]
    assert messages == [f"You approved the request of {outside_staff.display_name} for «{record.archive_number}»."]
    assert "内部价格底线" not in response.content.decode()


def test_r_access_an_outside_head_refusing_is_told_the_number_only(
    client, outside_staff, department_head, filed_record
):
    outside_head = make_outside_head()
    record = filed_record(title="内部价格底线", security_level=I)
    loan_request = services.request_create(
        requester=outside_staff, record=record, kind=RequestKind.BORROW, days=1, purpose="审计"
    )
    response = as_user(client, outside_head).post(
        reverse("lending_request_decide", args=[loan_request.pk]),
        {"refuse": "1", "reason": "无需借阅"},
        follow=True,
    )
    messages = [str(message) for message in response.context["messages"]]
    assert messages == [f"You refused the request of {outside_staff.display_name} for «{record.archive_number}»."]
    assert "内部价格底线" not in response.content.decode()


def test_the_head_who_may_see_the_record_is_told_its_title(client, staff, department_head, filed_record):
    record = filed_record(title="董事会机密纪要", security_level=C)
    loan_request = view_request(staff, record)
    response = as_user(client, department_head).post(
        reverse("lending_request_decide", args=[loan_request.pk]), {"approve": "1"}, follow=True
    )
    assert f"You approved the request of {staff.display_name} for «董事会机密纪要»." in [
        str(message) for message in response.context["messages"]
    ]


# --- a confidential view in place: opened at hand-over, closed at hand-back ----------------------


@pytest.fixture
def approved_view(staff, department_head, filed_record):
    record = filed_record(title="董事会机密纪要", security_level=C, medium=Medium.PAPER, pages=6, copies=1)
    loan_request = view_request(staff, record)
    services.request_decide(request=loan_request, approver=department_head, approve=True)
    loan_request.refresh_from_db()
    return loan_request


def sees(user, record):
    return visible_records(user).filter(pk=record.pk).exists()


def test_r_lend_4_approval_opens_nothing(staff, approved_view):
    assert approved_view.state == RequestState.APPROVED
    assert not AccessGrant.objects.exists()
    assert not sees(staff, approved_view.record)


def test_r_lend_4_the_view_opens_at_hand_over_for_at_most_the_policy_hours(staff, archivist, approved_view):
    policy = LendingPolicy.current()
    policy.view_grant_hours = 3
    policy.save()
    before = timezone.now()

    loan = services.view_hand_over(request=approved_view, by=archivist)

    record = approved_view.record
    approved_view.refresh_from_db()
    record.refresh_from_db()
    grant = AccessGrant.objects.get()
    assert (grant.user, grant.record, grant.granted_by) == (staff, record, archivist)
    assert grant.starts_at == loan.out_at and before <= grant.starts_at <= timezone.now()
    assert grant.ends_at == grant.starts_at + datetime.timedelta(hours=3) == loan.due_at
    assert sees(staff, record)
    # Open until handed back; custody does not move.
    assert loan.is_open and approved_view.state == RequestState.OUT
    assert record.status == RecordStatus.FILED


def test_r_lend_4_the_view_closes_at_hand_back(staff, archivist, department_head, approved_view):
    record = approved_view.record
    loan = services.view_hand_over(request=approved_view, by=archivist)
    # A grant the head gave for another reason is not this view's to end.
    other = AccessGrant.objects.create(
        user=staff, record=record, starts_at=timezone.now() - datetime.timedelta(hours=1),
        ends_at=timezone.now() + datetime.timedelta(days=5), reason="另行授权", granted_by=department_head,
    )

    services.loan_return(loan=loan, by=archivist, pages_returned=6, copies_returned=1)

    loan.refresh_from_db()
    approved_view.refresh_from_db()
    record.refresh_from_db()
    view_grant = AccessGrant.objects.exclude(pk=other.pk).get()
    assert view_grant.ends_at <= timezone.now() and not view_grant.is_active
    assert view_grant.ends_at >= loan.out_at
    assert AccessGrant.objects.get(pk=other.pk).is_active
    assert loan.returned_at is not None and loan.taken_back_by == archivist
    assert approved_view.state == RequestState.DONE
    assert record.status == RecordStatus.FILED
    assert not loan.incidents.exists()

    other.revoked_at = timezone.now()
    other.save()
    assert not sees(staff, record)


def test_r_lend_4_a_view_out_is_not_extended_nor_lent_twice(client, staff, archivist, leadership, approved_view):
    loan = services.view_hand_over(request=approved_view, by=archivist)
    with pytest.raises(LendingRefused):
        services.extension_request(
            loan=loan, by=staff, new_due_at=loan.due_at + datetime.timedelta(hours=1), reason="还没看完"
        )
    page = as_user(client, staff).get(reverse("lending_mine")).content.decode()
    assert f"extend_{loan.pk}_" not in page
    # The paper is at the reading desk: it cannot be handed out meanwhile.
    borrow = approve_all(services.request_create(
        requester=leadership, record=approved_view.record, kind=RequestKind.BORROW, days=1, purpose="审阅"
    ))
    assert borrow.state == RequestState.APPROVED
    with pytest.raises(LendingRefused, match="already out"):
        services.loan_check_out(request=borrow, by=archivist)
    assert Loan.objects.count() == 1


def test_r_lend_1_a_view_of_a_record_one_sees_anyway_still_closes_at_once(staff, archivist, filed_record):
    record = filed_record(security_level=I)
    loan_request = view_request(staff, record)
    loan = services.view_hand_over(request=loan_request, by=archivist)
    assert loan.out_at == loan.returned_at and not AccessGrant.objects.exists()


# --- lending lists that name confidential records log them ---------------------------------------


def test_r_access_the_inbox_and_my_lending_log_the_confidential_records_they_name(
    client, staff, department_head, archivist, filed_record
):
    from records.models import AccessLog

    record = filed_record(title="董事会机密纪要", security_level=C)
    loan_request = view_request(staff, record)

    inbox = as_user(client, department_head).get(reverse("lending_inbox")).content.decode()
    assert "董事会机密纪要" in inbox
    assert list(AccessLog.objects.values_list("user", "record", "action")) == [
        (department_head.pk, record.pk, "listed")
    ]

    services.request_decide(request=loan_request, approver=department_head, approve=True)
    services.view_hand_over(request=loan_request, by=archivist)
    AccessLog.objects.all().delete()
    mine = as_user(client, staff).get(reverse("lending_mine")).content.decode()
    assert "董事会机密纪要" in mine  # open to them while handed over
    assert list(AccessLog.objects.values_list("user", "record", "action")) == [(staff.pk, record.pk, "listed")]
