"""The lending screens (lending.views): who gets 200, 403 or 404, anonymous
users are sent to log in, actions refuse the wrong method, and each screen
does what it says through lending.services. A refusal (LendingRefused)
shows its message and changes nothing.

Requests ask for English (the language cookie) where a test reads a message."""
import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notice
from accounts.notices import notice_mark_read, notify
from accounts.roles import Role
from lending import services
from lending.models import (
    Extension,
    ExtensionState,
    Incident,
    IncidentKind,
    Loan,
    LoanRequest,
    RequestState,
)
from records.models import AccessGrant, Medium, RecordStatus, SecurityLevel
from tests.conftest import make_user, speak_english
from tests.lending.support import approved_request, make_outside_head, snapshot
from tests.records.test_filing_services import submitted

PUBLIC, INTERNAL, CONFIDENTIAL = SecurityLevel.PUBLIC, SecurityLevel.INTERNAL, SecurityLevel.CONFIDENTIAL
S, O, A, H, L, SYS = (
    Role.STAFF,
    Role.OUTSIDE_STAFF,
    Role.ARCHIVIST,
    Role.DEPARTMENT_HEAD,
    Role.LEADERSHIP,
    Role.SYSADMIN,
)
ALL_ROLES = [S, O, A, H, L, SYS]


def as_user(client, user):
    client.force_login(user)
    speak_english(client)
    return client


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


def followed_messages(response):
    """Messages shown on the page a redirect led to."""
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def record(filed_record):
    return filed_record(title="华东区代理商协议", security_level=INTERNAL, pages=12, copies=2)


@pytest.fixture
def colleague(db):
    """Another member of the marketing department."""
    return make_user(Role.STAFF, "colleague")


def out_on_loan(requester, record, archivist, days=2):
    request = approved_request(requester, record, days=days)
    return services.loan_check_out(request=request, by=archivist)


# --- anonymous, wrong method ---------------------------------------------------------

PAGES = [
    ("lending_mine", False),
    ("lending_inbox", False),
    ("lending_desk", False),
    ("lending_request", False),
    ("lending_return", True),
    ("lending_extension_request", True),
]
ACTIONS = [
    ("lending_request_cancel", True),
    ("lending_bulk_approve", False),
    ("lending_request_decide", True),
    ("lending_extension_decide", True),
    ("lending_hand_out", True),
    ("lending_view_shown", True),
    ("lending_lost", True),
    ("lending_incident_resolve", True),
]


def _url(name, needs_pk):
    return reverse(name, args=[1]) if needs_pk else reverse(name)


@pytest.mark.parametrize("name, needs_pk", PAGES + ACTIONS)
def test_anonymous_is_sent_to_login(client, db, name, needs_pk):
    url = _url(name, needs_pk)
    response = client.post(url) if (name, needs_pk) in ACTIONS else client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.fixture
def one_of_each(staff, archivist, department_head, filed_record):
    """A row for every action to name: a request waiting for a signature, an
    approved one, a loan with an extension asked for and an incident."""
    loan = out_on_loan(staff, filed_record(title="借出中"), archivist)
    return {
        "pending": services.request_create(
            requester=staff, record=filed_record(title="待审批"), kind="borrow", days=5, purpose="年度分析"
        ),
        "approved": approved_request(staff, filed_record(title="待借出")),
        "loan": loan,
        "extension": services.extension_request(
            loan=loan, by=staff, new_due_at=loan.due_at + datetime.timedelta(days=1), reason="仍需使用"
        ),
        "incident": services.incident_open(loan=loan, by=archivist, kind=IncidentKind.DAMAGED, description="污损"),
    }


# The row each action names, and who could post it.
ACTION_ROWS = {
    "lending_request_cancel": ("pending", S),
    "lending_bulk_approve": (None, H),
    "lending_request_decide": ("pending", H),
    "lending_extension_decide": ("extension", H),
    "lending_hand_out": ("approved", A),
    "lending_view_shown": ("approved", A),
    "lending_lost": ("loan", A),
    "lending_incident_resolve": ("incident", A),
}


@pytest.mark.parametrize("name", [name for name, _needs_pk in ACTIONS])
def test_actions_refuse_get(client, role_users, one_of_each, name):
    row, role = ACTION_ROWS[name]
    url = reverse(name, args=[one_of_each[row].pk]) if row else reverse(name)
    before = snapshot()
    response = as_user(client, role_users[role]).get(url)
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert snapshot() == before


@pytest.mark.parametrize("name", ["lending_mine", "lending_inbox", "lending_desk"])
def test_lists_refuse_post(client, role_users, one_of_each, name):
    user = {"lending_inbox": role_users[H], "lending_desk": role_users[A]}.get(name, role_users[S])
    before = snapshot()
    response = as_user(client, user).post(reverse(name))
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert snapshot() == before


# --- who may open which page ---------------------------------------------------------

EXPECTED_STATUS = {
    # page: {role: status}; missing roles get 403
    "lending_mine": dict.fromkeys(ALL_ROLES, 200),
    # Approvers: the archive's department head (lending.approve_loan).
    "lending_inbox": {H: 200},
    # The archivist (lending.handle_loan).
    "lending_desk": {A: 200},
}


@pytest.mark.parametrize("name", EXPECTED_STATUS)
@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_page_answers_its_roles(client, role_users, name, role):
    response = as_user(client, role_users[role]).get(reverse(name))
    expected = EXPECTED_STATUS[name].get(role, 403)
    assert response.status_code == expected
    heading = f"<h1>{PAGE_HEADINGS[name]}</h1>"
    assert (heading in response.content.decode()) == (expected == 200)


PAGE_HEADINGS = {
    "lending_mine": "My lending",
    "lending_inbox": "Approvals",
    "lending_desk": "Lending desk",
}


def test_r_lend_3_the_other_departments_head_has_an_inbox(client, outside_staff, department_head, filed_record):
    """A department head signs their own people's IOUs (R-LEND-3) without
    the archive's lending.approve_loan permission."""
    head = make_outside_head()
    outside_staff.full_name = "李娜"
    outside_staff.save()
    record = filed_record(title="户外广告投放效果评审", security_level=PUBLIC)
    services.request_create(requester=outside_staff, record=record, kind="borrow", days=1, purpose="审计")
    response = as_user(client, head).get(reverse("lending_inbox"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Approvals</h1>" in page and "李娜" in page and record.title in page


def test_r_access_outside_head_signs_for_an_internal_record_by_its_number_only(
    client, outside_staff, department_head, filed_record
):
    """The head of another department sees public records only: the inbox
    names the record they sign for by archive number, not by title (R-LEND-3,
    R-ACCESS); the archive's head, who may open it, gets its title as a link."""
    head = make_outside_head()
    record = filed_record(title="渠道返利内部测算表", security_level=SecurityLevel.INTERNAL)
    services.request_create(requester=outside_staff, record=record, kind="borrow", days=1, purpose="审计")
    page = as_user(client, head).get(reverse("lending_inbox")).content.decode()
    assert record.archive_number in page and record.title not in page

    services.request_decide(request=record.loan_requests.get(), approver=head, approve=True)
    page = as_user(client, department_head).get(reverse("lending_inbox")).content.decode()
    assert f'<a href="{reverse("record_detail", args=[record.pk])}">{record.title}</a>' in page


@pytest.mark.parametrize("role", [S, O, H, L, SYS])
def test_desk_actions_are_the_archivists(client, role_users, record, staff, archivist, role):
    request = approved_request(staff, record)
    loan = out_on_loan(make_user(Role.STAFF, "other"), record_two(record), archivist)
    user = as_user(client, role_users[role])
    before = snapshot()
    assert user.post(reverse("lending_hand_out", args=[request.pk])).status_code == 403
    assert user.post(reverse("lending_view_shown", args=[request.pk])).status_code == 403
    assert user.get(reverse("lending_return", args=[loan.pk])).status_code == 403
    assert user.post(reverse("lending_return", args=[loan.pk]), {"pages_returned": 1}).status_code == 403
    assert user.post(reverse("lending_lost", args=[loan.pk]), {"description": "x"}).status_code == 403
    assert snapshot() == before


def record_two(record):
    """A second filed record like `record` (same class and year)."""
    from records.services import record_file
    from tests.factories import RecordFactory

    archivist = record.filed_by
    return record_file(record=RecordFactory(title="第二份协议", pages=4), by=archivist)


@pytest.mark.parametrize("role", [S, O, A, L, SYS])
def test_decisions_are_the_approvers(client, role_users, record, staff, role):
    request = services.request_create(requester=staff, record=record, kind="borrow", days=5, purpose="年度分析")
    user = as_user(client, role_users[role])
    before = snapshot()
    assert user.post(reverse("lending_request_decide", args=[request.pk]), {"approve": "1"}).status_code == 403
    assert user.post(reverse("lending_bulk_approve"), {"requests": [request.pk]}).status_code == 403
    assert snapshot() == before


def test_someone_elses_request_and_loan_are_not_found(
    client, staff, colleague, department_head, record, archivist
):
    loan = out_on_loan(staff, record, archivist)
    pending = services.request_create(
        requester=staff, record=record_two(record), kind="borrow", days=5, purpose="年度分析"
    )
    other = as_user(client, colleague)
    before = snapshot()
    assert other.post(reverse("lending_request_cancel", args=[pending.pk])).status_code == 404
    assert other.get(reverse("lending_extension_request", args=[loan.pk])).status_code == 404
    assert snapshot() == before


def test_return_of_a_closed_loan_is_not_found(client, staff, record, archivist):
    loan = out_on_loan(staff, record, archivist)
    services.loan_return(loan=loan, by=archivist, pages_returned=12, copies_returned=2)
    url = reverse("lending_return", args=[loan.pk])
    before = snapshot()
    page = as_user(client, archivist).get(url)
    assert page.status_code == 404 and b'name="pages_returned"' not in page.content
    posted = client.post(url, {"pages_returned": "10", "copies_returned": "1", "damaged": "on", "notes": "缺页"})
    assert posted.status_code == 404
    assert snapshot() == before


# --- the record page panel (R-LEND-1, R-LEND-5) --------------------------------------


def test_r_lend_1_record_page_shows_the_borrower_and_due_date_to_another_staff_user(
    client, staff, colleague, record, archivist
):
    staff.full_name = "张小梅"
    staff.save()
    loan = out_on_loan(staff, record, archivist)
    response = as_user(client, colleague).get(reverse("record_detail", args=[record.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    panel = html[html.index('data-panel="lending"'):]
    assert "张小梅" in panel
    assert timezone.localtime(loan.due_at).strftime("%Y-%m-%d %H:%M") in panel
    assert "badge--overdue" not in panel
    # The colleague may only ask to view it (the paper is out, borrowing waits).
    assert 'name="archive_number"' in panel


def test_r_lend_5_record_page_shows_overdue_and_open_incidents(client, staff, colleague, record, archivist):
    loan = out_on_loan(staff, record, archivist)
    Loan.objects.filter(pk=loan.pk).update(due_at=timezone.now() - datetime.timedelta(hours=3))
    services.incident_open(
        loan=loan, by=archivist, kind=IncidentKind.LOST, description="借阅人称文件遗失在出租车上"
    )
    response = as_user(client, colleague).get(reverse("record_detail", args=[record.pk]))
    html = response.content.decode()
    panel = html[html.index('data-panel="lending"'):]
    assert "badge--overdue" in panel
    assert "借阅人称文件遗失在出租车上" in panel
    assert 'class="badge badge--incident-lost"' in panel


def test_record_page_panel_is_not_shown_for_an_item_not_yet_filed(client, staff):
    item = submitted(staff, title="未归档的材料")
    response = as_user(client, staff).get(reverse("record_detail", args=[item.pk]))
    assert response.status_code == 200
    assert 'data-panel="lending"' not in response.content.decode()


@pytest.mark.parametrize(
    "level, kind_label, summary",
    [
        (INTERNAL, "View in place", "No approval needed"),
        (INTERNAL, "Borrow for up to 2 days", "No approval needed"),
        (
            INTERNAL,
            "Borrow for more than 2 days",
            "Needs approval of Head of the archive&#x27;s department: Longer than the loan period of 2 days",
        ),
    ],
)
def test_r_lend_2_record_page_shows_the_approvals_before_sending(
    client, staff, department_head, filed_record, level, kind_label, summary
):
    record = filed_record(security_level=level)
    html = as_user(client, staff).get(reverse("record_detail", args=[record.pk])).content.decode()
    options = html[html.index('class="approval-options"'):html.index('class="field field--kind"')]
    line = f'<strong>{kind_label}</strong>: <span class="approval-summary">{summary}</span>'
    assert line in options


def test_r_lend_4_confidential_record_page_shows_the_heads_approval(client, department_head, filed_record):
    """Leadership sees confidential records and views them directly, but
    borrowing one needs the department head (R-LEND-4)."""
    leader = make_user(Role.LEADERSHIP, "leader2")
    record = filed_record(security_level=CONFIDENTIAL)
    html = as_user(client, leader).get(reverse("record_detail", args=[record.pk])).content.decode()
    assert "Needs approval of Head of the archive&#x27;s department: Confidential record<" in html
    assert "R-LEND" not in html  # rule ids stay in the code


def test_record_page_says_why_one_cannot_ask(client, staff, filed_record):
    record = filed_record(medium=Medium.ELECTRONIC)
    services.request_create(requester=staff, record=record, kind="view", days=1, purpose="查阅")
    html = as_user(client, staff).get(reverse("record_detail", args=[record.pk])).content.decode()
    panel = html[html.index('data-panel="lending"'):]
    assert "lending-request-form" not in panel
    assert "exists only electronically" in panel


# --- asking (the requester) ----------------------------------------------------------


def test_r_lend_1_staff_request_from_the_record_page_needs_no_approval(client, staff, record):
    response = as_user(client, staff).post(
        reverse("lending_request"),
        {"archive_number": record.archive_number, "kind": "borrow", "days": "1", "purpose": "客户回访"},
        follow=True,
    )
    request = LoanRequest.objects.get()
    assert (request.requester, request.record, request.kind, request.days) == (staff, record, "borrow", 1)
    assert request.state == RequestState.APPROVED
    assert response.redirect_chain[-1][0] == reverse("lending_mine")
    assert "Your request needs no approval: the archivist will hand the record over." in followed_messages(response)


PASSED_TO_THE_ARCHIVE = "Your request for {number} was passed to the archive; you will be told the answer."


def test_r_lend_4_request_by_archive_number_for_a_record_one_cannot_open(
    client, staff, department_head, archivist, filed_record
):
    """A staff member cannot see a confidential record, but may ask to view
    it by its number (R-ACCESS); the page shows neither its title nor its
    level nor the approvals it needs, and the request waits for them."""
    record = filed_record(title="董事会机密纪要", security_level=CONFIDENTIAL)
    user = as_user(client, staff)
    assert user.get(reverse("record_detail", args=[record.pk])).status_code == 404
    page = user.get(reverse("lending_request"), {"archive_number": record.archive_number})
    assert page.status_code == 200
    html = page.content.decode()
    assert record.archive_number in html
    for hidden in ("董事会机密纪要", "Confidential", "badge--level", "approval-options", 'name="preview"'):
        assert hidden not in html

    response = user.post(
        reverse("lending_request"),
        {"archive_number": record.archive_number, "kind": "view", "days": "1", "purpose": "核对合同条款"},
        follow=True,
    )
    request = LoanRequest.objects.get()
    assert (request.requester, request.record, request.state) == (staff, record, RequestState.PENDING)
    assert followed_messages(response) == [PASSED_TO_THE_ARCHIVE.format(number=record.archive_number)]
    mine = response.content.decode()
    assert "董事会机密纪要" not in mine and "Confidential record" not in mine
    assert f'id="request-{request.pk}"' not in mine  # with the archive until decided
    assert Notice.objects.filter(user=department_head).exists()  # the head is asked to sign
    assert Notice.objects.filter(user=archivist, text__contains="waits for its approvals").exists()


def test_unknown_archive_number_is_passed_to_the_archive(client, staff, archivist, db):
    user = as_user(client, staff)
    page = user.get(reverse("lending_request"), {"archive_number": "NO-SUCH"})
    assert page.status_code == 200 and "NO-SUCH" in page.content.decode()
    response = user.post(
        reverse("lending_request"),
        {"archive_number": "NO-SUCH", "kind": "view", "days": "1", "purpose": "核对"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("lending_mine")
    assert followed_messages(response) == [PASSED_TO_THE_ARCHIVE.format(number="NO-SUCH")]
    assert not LoanRequest.objects.exists()
    assert Notice.objects.get(user=archivist).text.endswith(
        "No request was made; please answer them. Why: No record has this archive number."
    )


def test_refused_request_shows_the_reason_and_changes_nothing(client, staff, record):
    services.request_create(requester=staff, record=record, kind="borrow", days=1, purpose="第一次")
    before = snapshot()
    response = as_user(client, staff).post(
        reverse("lending_request"),
        {"archive_number": record.archive_number, "kind": "borrow", "days": "1", "purpose": "第二次"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("record_detail", args=[record.pk])
    assert any("You already have an open request" in message for message in followed_messages(response))
    assert snapshot() == before


def test_request_form_errors_keep_the_page(client, staff, record):
    response = as_user(client, staff).post(
        reverse("lending_request"),
        {"archive_number": record.archive_number, "kind": "borrow", "days": "99", "purpose": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"days", "purpose"}
    assert not LoanRequest.objects.exists()


def test_cancel_a_pending_request(client, staff, department_head, record):
    request = services.request_create(requester=staff, record=record, kind="borrow", days=5, purpose="年度分析")
    page = as_user(client, staff).get(reverse("lending_mine")).content.decode()
    assert reverse("lending_request_cancel", args=[request.pk]) in page
    response = client.post(reverse("lending_request_cancel", args=[request.pk]), follow=True)
    request.refresh_from_db()
    assert request.state == RequestState.CANCELLED
    assert f"Your request for {record.archive_number} was cancelled." in followed_messages(response)


def test_cancel_refused_once_handed_out_changes_nothing(client, staff, record, archivist):
    loan = out_on_loan(staff, record, archivist)
    before = snapshot()
    response = as_user(client, staff).post(reverse("lending_request_cancel", args=[loan.request.pk]), follow=True)
    assert any("can no longer be cancelled" in message for message in followed_messages(response))
    assert snapshot() == before


def test_my_lending_shows_states_due_dates_and_signatures(client, staff, department_head, record, archivist):
    loan = out_on_loan(staff, record, archivist)
    Loan.objects.filter(pk=loan.pk).update(due_at=timezone.now() - datetime.timedelta(days=1))
    long = services.request_create(requester=staff, record=record_two(record), kind="borrow", days=5, purpose="长期")
    services.request_decide(request=long, approver=department_head, approve=False, reason="期限过长")
    html = as_user(client, staff).get(reverse("lending_mine")).content.decode()
    loans = html[html.index("my-loans-table"):html.index("my-requests-table")]
    assert record.archive_number in loans
    assert "badge--overdue" in loans
    requests = html[html.index("my-requests-table"):]
    assert 'data-state="refused"' in requests and 'data-state="out"' in requests
    assert f"Refused by {department_head.display_name}" in requests
    assert "期限过长" in requests


def test_r_lend_2_extension_request_goes_to_the_inbox(client, staff, department_head, record, archivist):
    loan = out_on_loan(staff, record, archivist)
    new_date = (timezone.localtime(loan.due_at) + datetime.timedelta(days=3)).date()
    response = as_user(client, staff).post(
        reverse("lending_extension_request", args=[loan.pk]),
        {"new_due_date": new_date.isoformat(), "reason": "项目延期"},
        follow=True,
    )
    assert "Your request for a later due date was sent to the department head." in followed_messages(response)
    extension = Extension.objects.get()
    assert timezone.localtime(extension.new_due_at).date() == new_date
    assert timezone.localtime(extension.new_due_at).time() == timezone.localtime(loan.due_at).time()

    inbox = as_user(client, department_head).get(reverse("lending_inbox")).content.decode()
    assert f'data-extension="{extension.pk}"' in inbox and "项目延期" in inbox
    client.post(reverse("lending_extension_decide", args=[extension.pk]), {"approve": "1"})
    extension.refresh_from_db()
    loan.refresh_from_db()
    assert extension.state == ExtensionState.APPROVED
    assert loan.due_at == extension.new_due_at


def test_r_lend_2_extension_beyond_the_longest_loan_is_refused_on_the_form(
    client, staff, department_head, record, archivist
):
    loan = out_on_loan(staff, record, archivist)
    too_late = (timezone.localtime(loan.out_at) + datetime.timedelta(days=40)).date()
    before = snapshot()
    response = as_user(client, staff).post(
        reverse("lending_extension_request", args=[loan.pk]),
        {"new_due_date": too_late.isoformat(), "reason": "项目延期"},
    )
    assert response.status_code == 200
    assert any("at most" in error for error in response.context["form"].non_field_errors())
    assert snapshot() == before


def test_my_lending_shows_the_newest_unread_notices_of_every_app(client, staff, colleague):
    """我的借阅 lists one's unread notices (accounts.notices), whatever app
    sent them, and links to all of them."""
    notify(staff, "您的借阅申请已批准", reverse("lending_mine"))
    notify(staff, "请确认销毁监销")
    read = notify(staff, "已读的通知")
    notice_mark_read(notice=read)
    notify(colleague, "给同事的通知")
    page = as_user(client, staff).get(reverse("lending_mine")).content.decode()
    section = page[page.index('id="notices-heading"') :]
    assert "您的借阅申请已批准" in section and "请确认销毁监销" in section
    assert "已读的通知" not in page and "给同事的通知" not in page
    assert f'href="{reverse("notice_list")}"' in page


# --- approvers' inbox (R-LEND-2, R-LEND-3, R-LEND-4) ----------------------------------


def test_r_lend_4_inbox_shows_what_waits_with_its_reasons(client, staff, department_head, filed_record):
    staff.full_name = "张小梅"
    staff.save()
    record = filed_record(title="董事会机密纪要", security_level=CONFIDENTIAL)
    request = services.request_create(requester=staff, record=record, kind="view", days=1, purpose="核对合同条款")
    html = as_user(client, department_head).get(reverse("lending_inbox")).content.decode()
    item = html[html.index(f'data-request="{request.pk}"'):]
    for text in ("张小梅", "市场部", record.archive_number, "董事会机密纪要", "badge--level-confidential",
                 "View in place", "核对合同条款", "Confidential record"):
        assert text in item
    assert "R-LEND" not in item


def test_r_lend_4_approve_a_confidential_view_then_the_archivist_opens_and_closes_it(
    client, staff, department_head, archivist, filed_record
):
    record = filed_record(title="董事会机密纪要", security_level=CONFIDENTIAL, medium=Medium.ELECTRONIC)
    request = services.request_create(requester=staff, record=record, kind="view", days=1, purpose="核对合同条款")
    response = as_user(client, department_head).post(
        reverse("lending_request_decide", args=[request.pk]), {"approve": "1", "reason": ""}, follow=True
    )
    approved = f"You approved the request of {staff.display_name} for «董事会机密纪要»."
    assert approved in followed_messages(response)
    request.refresh_from_db()
    assert request.state == RequestState.APPROVED
    assert not AccessGrant.objects.exists()  # nothing opens before the hand-over
    assert as_user(client, staff).get(reverse("record_detail", args=[record.pk])).status_code == 404

    as_user(client, archivist).post(reverse("lending_view_shown", args=[request.pk]))
    assert AccessGrant.objects.active().filter(user=staff, record=record).exists()
    assert as_user(client, staff).get(reverse("record_detail", args=[record.pk])).status_code == 200

    loan = request.loan
    as_user(client, archivist).post(
        reverse("lending_return", args=[loan.pk]),
        {"pages_returned": record.pages, "copies_returned": record.copies, "notes": ""},
    )
    assert not AccessGrant.objects.active().exists()
    assert as_user(client, staff).get(reverse("record_detail", args=[record.pk])).status_code == 404


def test_refusal_needs_a_reason_and_changes_nothing_without_one(client, staff, department_head, record):
    request = services.request_create(requester=staff, record=record, kind="borrow", days=5, purpose="年度分析")
    before = snapshot()
    response = as_user(client, department_head).post(
        reverse("lending_request_decide", args=[request.pk]), {"refuse": "1", "reason": "  "}, follow=True
    )
    assert "Say why you refuse: the requester reads it." in followed_messages(response)
    assert snapshot() == before

    client.post(reverse("lending_request_decide", args=[request.pk]), {"refuse": "1", "reason": "期限过长"})
    request.refresh_from_db()
    assert request.state == RequestState.REFUSED
    assert request.approvals.get().reason == "期限过长"


def test_lending_refused_on_a_decided_request_shows_the_message_and_changes_nothing(
    client, staff, department_head, record
):
    request = services.request_create(requester=staff, record=record, kind="borrow", days=5, purpose="年度分析")
    services.request_decide(request=request, approver=department_head, approve=True)
    before = snapshot()
    response = as_user(client, department_head).post(
        reverse("lending_request_decide", args=[request.pk]), {"approve": "1"}, follow=True
    )
    assert any("not waiting for a decision" in message for message in followed_messages(response))
    assert snapshot() == before


def test_r_lend_2_4_bulk_approve_of_selected_items(client, staff, colleague, department_head, filed_record, archivist):
    long = services.request_create(requester=staff, record=filed_record(), kind="borrow", days=5, purpose="长期")
    secret = services.request_create(
        requester=colleague, record=filed_record(security_level=CONFIDENTIAL), kind="borrow", days=1, purpose="审计"
    )
    left = services.request_create(requester=colleague, record=filed_record(), kind="borrow", days=7, purpose="留着")
    loan = out_on_loan(staff, filed_record(), archivist)
    extension = services.extension_request(
        loan=loan, by=staff, new_due_at=loan.due_at + datetime.timedelta(days=2), reason="项目延期"
    )
    response = as_user(client, department_head).post(
        reverse("lending_bulk_approve"),
        {"requests": [long.pk, secret.pk], "extensions": [extension.pk]},
        follow=True,
    )
    assert "You approved 3 items." in followed_messages(response)
    for request in (long, secret, left):
        request.refresh_from_db()
    assert long.state == secret.state == RequestState.APPROVED
    assert left.state == RequestState.PENDING  # not chosen
    extension.refresh_from_db()
    assert extension.state == ExtensionState.APPROVED


def test_bulk_approve_refuses_items_not_waiting_for_the_user(client, staff, department_head, record):
    decided = services.request_create(requester=staff, record=record, kind="borrow", days=5, purpose="已批")
    services.request_decide(request=decided, approver=department_head, approve=True)
    other = services.request_create(requester=staff, record=record_two(record), kind="borrow", days=5, purpose="年度")
    before = snapshot()
    response = as_user(client, department_head).post(
        reverse("lending_bulk_approve"), {"requests": [decided.pk, other.pk]}, follow=True
    )
    assert any("no longer wait for you" in message for message in followed_messages(response))
    assert snapshot() == before


# --- the archivist's desk (R-LEND-1, R-LEND-5, R-LEND-6) -------------------------------


def test_r_lend_1_desk_lists_and_hands_out_with_the_due_date(client, staff, record, archivist):
    request = approved_request(staff, record, days=1)
    desk = as_user(client, archivist).get(reverse("lending_desk"))
    html = desk.content.decode()
    row = html[html.index(f'data-request="{request.pk}"'):]
    expected_due = timezone.localtime(timezone.now() + datetime.timedelta(days=1)).strftime("%Y-%m-%d")
    assert expected_due in row[: row.index("</tr>")]
    response = client.post(reverse("lending_hand_out", args=[request.pk]), follow=True)
    loan = Loan.objects.get()
    assert (loan.borrower, loan.handed_out_by, loan.record) == (staff, archivist, record)
    record.refresh_from_db()
    assert record.status == RecordStatus.ON_LOAN
    handed_out = "«华东区代理商协议» was handed out to"
    assert any(message.startswith(handed_out) for message in followed_messages(response))
    html = response.content.decode()
    assert f'data-loan="{loan.pk}"' in html[html.index('id="out"'):]


def test_r_lend_1_second_hand_out_of_the_same_record_is_refused_and_changes_nothing(
    client, staff, colleague, record, archivist
):
    first = approved_request(staff, record)
    second = approved_request(colleague, record)
    services.loan_check_out(request=first, by=archivist)
    before = snapshot()
    response = as_user(client, archivist).post(reverse("lending_hand_out", args=[second.pk]), follow=True)
    assert any("is already out" in message for message in followed_messages(response))
    assert snapshot() == before


def test_view_in_place_is_marked_shown(client, staff, record, archivist):
    request = approved_request(staff, record, kind="view", days=1)
    response = as_user(client, archivist).post(reverse("lending_view_shown", args=[request.pk]), follow=True)
    request.refresh_from_db()
    assert request.state == RequestState.DONE
    assert f"«华东区代理商协议» was shown to {staff.display_name}." in followed_messages(response)


def test_r_lend_6_return_form_is_prefilled_and_a_clean_return_closes_the_loan(client, staff, record, archivist):
    loan = out_on_loan(staff, record, archivist)
    page = as_user(client, archivist).get(reverse("lending_return", args=[loan.pk]))
    assert page.context["form"].initial == {"pages_returned": 12, "copies_returned": 2}
    response = client.post(
        reverse("lending_return", args=[loan.pk]),
        {"pages_returned": "12", "copies_returned": "2", "notes": ""},
        follow=True,
    )
    loan.refresh_from_db()
    record.refresh_from_db()
    assert loan.returned_at is not None and loan.taken_back_by == archivist
    assert record.status == RecordStatus.FILED
    assert f"«华东区代理商协议» was taken back from {staff.display_name}." in followed_messages(response)
    assert not Incident.objects.exists()


def test_r_lend_5_r_lend_6_short_late_return_opens_incidents_with_messages(client, staff, record, archivist):
    loan = out_on_loan(staff, record, archivist)
    Loan.objects.filter(pk=loan.pk).update(due_at=timezone.now() - datetime.timedelta(hours=1))
    response = as_user(client, archivist).post(
        reverse("lending_return", args=[loan.pk]),
        {"pages_returned": "10", "copies_returned": "2", "damaged": "on", "notes": "封面撕破"},
        follow=True,
    )
    kinds = set(Incident.objects.values_list("kind", flat=True))
    assert kinds == {IncidentKind.DAMAGED, IncidentKind.LATE}
    messages = followed_messages(response)
    assert sum("An incident was opened" in message for message in messages) == 2
    # The desk shows them until resolved, with the borrower named.
    incidents = response.content.decode()
    incidents = incidents[incidents.index('id="incidents"'):]
    assert staff.display_name in incidents and "封面撕破" in incidents


def test_r_lend_6_return_refused_changes_nothing(client, staff, record, archivist):
    loan = out_on_loan(staff, record, archivist)
    before = snapshot()
    response = as_user(client, archivist).post(
        reverse("lending_return", args=[loan.pk]), {"pages_returned": "13", "copies_returned": "2"}
    )
    assert response.status_code == 200
    assert any("count again" in error for error in response.context["form"].non_field_errors())
    assert snapshot() == before


def test_r_lend_5_lost_and_resolved(client, staff, record, archivist):
    loan = out_on_loan(staff, record, archivist)
    user = as_user(client, archivist)
    response = user.post(reverse("lending_lost", args=[loan.pk]), {"description": "遗失在出租车上"}, follow=True)
    record.refresh_from_db()
    assert record.status == RecordStatus.MISSING
    assert any("is recorded as lost" in message for message in followed_messages(response))
    incident = Incident.objects.get()
    assert incident.kind == IncidentKind.LOST and incident.borrower == staff

    before = snapshot()
    response = user.post(reverse("lending_incident_resolve", args=[incident.pk]), {"resolution": " "}, follow=True)
    assert snapshot() == before
    user.post(reverse("lending_incident_resolve", args=[incident.pk]), {"resolution": "借阅人赔偿复印件"})
    incident.refresh_from_db()
    assert incident.resolved_at is not None and incident.resolution == "借阅人赔偿复印件"


# --- navigation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, entries",
    [
        (S, {"lending_mine"}),
        (O, {"lending_mine"}),
        (A, {"lending_mine", "lending_desk"}),
        (H, {"lending_mine", "lending_inbox"}),
        (L, {"lending_mine"}),
    ],
)
def test_navigation_shows_the_lending_entries_of_each_role(client, role_users, role, entries):
    html = as_user(client, role_users[role]).get(reverse("home")).content.decode()
    nav = html[html.index('class="main-nav"'):html.index("</nav>")]
    for name in ("lending_mine", "lending_inbox", "lending_desk"):
        assert (f'href="{reverse(name)}"' in nav) == (name in entries)


def test_navigation_counts_what_waits_for_the_approver(client, staff, department_head, record):
    services.request_create(requester=staff, record=record, kind="borrow", days=5, purpose="年度分析")
    html = as_user(client, department_head).get(reverse("home")).content.decode()
    nav = html[html.index('class="main-nav"'):html.index("</nav>")]
    assert re.search(r'href="/lending/inbox/"[^>]*>Approvals <span class="nav-count"[^>]*>1</span>', nav)


# --- the record page's panel registry (records.panels) ---------------------------------


def test_record_panels_are_ordered_and_a_none_context_shows_nothing(rf, staff, record):
    from records.panels import record_panels, register_record_panel, unregister_record_panel

    register_record_panel("test/_late.html", lambda request, record: {"n": 2}, order=200)
    register_record_panel("test/_early.html", lambda request, record: {"n": 1}, order=10)
    register_record_panel("test/_nothing.html", lambda request, record: None, order=20)
    try:
        request = rf.get("/")
        request.user = staff
        panels = record_panels(request, record)
        names = [name for name, _context in panels]
        assert names == ["test/_early.html", "lending/_record_panel.html", "test/_late.html"]
        assert panels[0][1] == {"n": 1}
    finally:
        for name in ("test/_late.html", "test/_early.html", "test/_nothing.html"):
            unregister_record_panel(name)


def test_r_access_refusal_for_a_record_one_cannot_open_does_not_name_it(
    client, staff, department_head, archivist, filed_record
):
    record = filed_record(title="董事会机密纪要", security_level=CONFIDENTIAL)
    services.request_create(requester=staff, record=record, kind="view", days=1, purpose="核对")
    services.request_create(requester=staff, record=record, kind="borrow", days=1, purpose="核对")
    requests_before = list(LoanRequest.objects.values())
    response = as_user(client, staff).post(
        reverse("lending_request"),
        {"archive_number": record.archive_number, "kind": "view", "days": "1", "purpose": "再次核对"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("lending_mine")
    assert followed_messages(response) == [PASSED_TO_THE_ARCHIVE.format(number=record.archive_number)]
    assert "董事会机密纪要" not in response.content.decode()
    assert list(LoanRequest.objects.values()) == requests_before
    # The archivist is told why nothing was made, and answers.
    notice = Notice.objects.get(user=archivist)
    assert "please answer them. Why: You already have an open request for" in notice.text
