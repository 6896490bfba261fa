"""The lending back office: read-only lists with history, limited to records
the user may see (R-LEND-4), no deletion, approvals only through
lending.services, and the loan rules as policy values a department head
changes with history (R-LEND-2)."""
import datetime

import pytest
from django.contrib import messages
from django.utils import timezone, translation

from lending import policies, services
from lending.models import (
    Approval,
    ApprovalStep,
    Extension,
    ExtensionState,
    Incident,
    IncidentKind,
    LendingPolicy,
    Loan,
    LoanRequest,
    RequestKind,
    RequestState,
)
from records.models import SecurityLevel
from tests.conftest import speak_english
from tests.admin_support import admin_url, form_data, messages_of, staff_user_with_perms
from tests.lending.support import approved_request, make_outside_head, snapshot

LENDING_MODELS = [LoanRequest, Loan, Extension, Incident]
C = SecurityLevel.CONFIDENTIAL


@pytest.fixture(autouse=True)
def english(client):
    speak_english(client)
    with translation.override("en"):
        yield


@pytest.fixture
def superuser(db):
    return staff_user_with_perms("root", is_superuser=True)


@pytest.fixture
def lending_rows(staff, archivist, department_head, filed_record):
    """One of everything: a pending request, a loan with an extension, a
    returned damaged loan with its incident."""
    pending = services.request_create(requester=staff, record=filed_record(title="待审批"), kind=RequestKind.BORROW,
                                      days=5, purpose="年度总结")
    loan = services.loan_check_out(request=approved_request(staff, filed_record(title="借出中")), by=archivist)
    extension = services.extension_request(loan=loan, by=staff, new_due_at=loan.due_at + datetime.timedelta(days=2),
                                           reason="仍需使用")
    damaged = services.loan_check_out(request=approved_request(staff, filed_record(title="已损坏", pages=6)),
                                      by=archivist)
    damaged = services.loan_return(loan=damaged, by=archivist, pages_returned=5, copies_returned=1, damaged=True,
                                   notes="缺页")
    return {"pending": pending, "loan": loan, "extension": extension, "damaged": damaged,
            "incident": Incident.objects.get(loan=damaged)}


def detail_url(obj):
    return admin_url(type(obj), "change", obj.pk)


def action_names(response):
    """The actions offered on a change list (none: no action form)."""
    form = response.context["action_form"]
    return [name for name, _label in form.fields["action"].choices] if form is not None else []


# --- who may open what ------------------------------------------------------------------


@pytest.mark.parametrize("model", LENDING_MODELS)
@pytest.mark.parametrize("role, expected", [("archivist", 200), ("department_head", 200), ("sysadmin", 403)])
def test_lending_changelists_by_role(client, request, lending_rows, model, role, expected):
    client.force_login(request.getfixturevalue(role))
    response = client.get(admin_url(model))
    assert response.status_code == expected
    if expected == 200:
        assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("model", LENDING_MODELS)
def test_staff_without_back_office_access_is_sent_to_admin_login(client, staff, lending_rows, model):
    client.force_login(staff)
    response = client.get(admin_url(model), follow=True)
    [(url, status)] = response.redirect_chain
    assert status == 302 and url.startswith("/admin/login/")
    page = response.content.decode()
    assert "not authorized to access this page" in page
    for title in ("待审批", "借出中", "已损坏"):
        assert title not in page


@pytest.mark.parametrize("role", ["archivist", "department_head", "superuser"])
def test_every_lending_page_opens_with_its_history(client, request, lending_rows, role):
    """Each page names its record; its history lists who wrote it."""
    client.force_login(request.getfixturevalue(role))
    rows = lending_rows
    shown = {
        "pending": ("待审批", rows["pending"].requester),
        "loan": ("借出中", rows["loan"].handed_out_by),
        "extension": ("借出中", rows["extension"].requested_by),
        "damaged": ("已损坏", rows["damaged"].taken_back_by),
        "incident": ("已损坏", rows["incident"].opened_by),
    }
    for key, (title, author) in shown.items():
        obj = rows[key]
        page = client.get(detail_url(obj))
        assert page.status_code == 200 and title in page.content.decode(), key
        history = client.get(admin_url(type(obj), "history", obj.pk)).content.decode()
        # The header names the signed-in user: look at the history table only.
        history = history[history.index('id="content"'):]
        assert "Created" in history and str(author) in history, key


def test_request_page_shows_who_must_sign_and_who_signed(client, department_head, lending_rows):
    pending = lending_rows["pending"]
    services.request_decide(request=pending, approver=department_head, approve=True)
    department_head.full_name = "刘洋"
    department_head.save()
    client.force_login(department_head)
    page = client.get(detail_url(pending)).content.decode()
    assert "Longer than the loan period of 2 days" in page
    assert "刘洋" in page and "Head of the archive&#x27;s department" in page


# --- nothing is added, changed or deleted here ------------------------------------------


@pytest.mark.parametrize("model", LENDING_MODELS)
def test_no_add_change_or_delete_even_for_a_superuser(client, superuser, lending_rows, model):
    obj = model.objects.order_by("pk").first()
    client.force_login(superuser)
    assert client.get(admin_url(model, "add")).status_code == 403
    assert client.get(admin_url(model, "delete", obj.pk)).status_code == 403
    assert "delete_selected" not in action_names(client.get(admin_url(model)))
    page = client.get(detail_url(obj))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    before = snapshot()
    client.post(detail_url(obj), {"state": "done", "due_at_0": "2030-01-01", "returned_at_0": "2030-01-01"})
    assert snapshot() == before


# --- R-LEND-4: only what the user may see --------------------------------------------------


def test_r_lend_4_confidential_lending_rows_are_hidden_from_a_reader_without_clearance(
    client, staff, archivist, department_head, filed_record
):
    reader = staff_user_with_perms(
        "lending_reader", "lending.view_loanrequest", "lending.view_loan", "lending.view_extension",
        "lending.view_incident", "lending.view_approval",
    )
    open_loan = services.loan_check_out(request=approved_request(staff, filed_record(title="公开的统计表")),
                                        by=archivist)
    secret_loan = services.loan_check_out(
        request=approved_request(staff, filed_record(title="重点客户价格底线", security_level=C)), by=archivist
    )
    services.incident_open(loan=secret_loan, by=archivist, kind=IncidentKind.LATE, description="逾期")
    client.force_login(reader)

    for model, shown in [(Loan, open_loan), (LoanRequest, open_loan.request)]:
        listed = list(client.get(admin_url(model)).context["cl"].result_list)
        assert listed == [shown]
    assert list(client.get(admin_url(Incident)).context["cl"].result_list) == []
    for hidden in (secret_loan, secret_loan.request, Incident.objects.get(loan=secret_loan)):
        assert client.get(detail_url(hidden)).status_code == 302  # "doesn't exist", back to the index
        assert client.get(admin_url(type(hidden), "history", hidden.pk)).status_code == 404
    search = client.get(admin_url(Loan) + "?q=价格底线")
    assert search.context["cl"].result_count == 0
    client.force_login(department_head)
    assert client.get(admin_url(Loan)).context["cl"].result_count == 2


# --- actions go through the services ---------------------------------------------------


def test_r_lend_2_head_approves_requests_in_bulk_through_the_service(client, staff, department_head, filed_record):
    first = services.request_create(requester=staff, record=filed_record(), kind=RequestKind.BORROW, days=5,
                                    purpose="年度总结")
    second = services.request_create(requester=staff, record=filed_record(), kind=RequestKind.BORROW, days=6,
                                     purpose="对照原件")
    client.force_login(department_head)
    response = client.post(admin_url(LoanRequest), {"action": "approve_selected", "_selected_action": [first.pk,
                                                                                                    second.pk]},
                           follow=True)
    for request in (first, second):
        request.refresh_from_db()
        assert request.state == RequestState.APPROVED
        approval = Approval.objects.get(request=request)
        assert (approval.step, approval.approver, approval.approved) == (
            ApprovalStep.ARCHIVE_HEAD, department_head, True)
        assert request.history.latest().history_user == department_head
    assert (messages.SUCCESS, "2 requests signed.") in messages_of(response)


def test_r_lend_3_bulk_approval_refuses_what_the_head_may_not_sign_and_changes_nothing(
    client, outside_staff, department_head, filed_record
):
    make_outside_head()
    request = services.request_create(requester=outside_staff, record=filed_record(security_level="public"),
                                      kind=RequestKind.BORROW, days=2, purpose="核对费用")
    # The borrower's own head signs first (R-LEND-3); the archive's head must wait.
    assert policies.next_approval(request).step == ApprovalStep.BORROWER_HEAD
    before = snapshot()
    client.force_login(department_head)
    response = client.post(admin_url(LoanRequest), {"action": "approve_selected", "_selected_action": [request.pk]},
                           follow=True)
    assert snapshot() == before
    warnings = [text for level, text in messages_of(response) if level == messages.WARNING]
    assert len(warnings) == 1 and str(request) in warnings[0]


def test_approve_action_is_offered_only_to_approvers(client, archivist, department_head, lending_rows):
    client.force_login(archivist)
    assert "approve_selected" not in action_names(client.get(admin_url(LoanRequest)))
    pending = lending_rows["pending"]
    client.post(admin_url(LoanRequest), {"action": "approve_selected", "_selected_action": [pending.pk]})
    pending.refresh_from_db()
    assert pending.state == RequestState.PENDING
    client.force_login(department_head)
    assert "approve_selected" in action_names(client.get(admin_url(LoanRequest)))


def test_r_lend_2_head_approves_an_extension_through_the_service(client, department_head, lending_rows):
    extension, loan = lending_rows["extension"], lending_rows["loan"]
    client.force_login(department_head)
    response = client.post(admin_url(Extension), {"action": "approve_selected", "_selected_action": [extension.pk]},
                           follow=True)
    extension.refresh_from_db()
    loan.refresh_from_db()
    assert extension.state == ExtensionState.APPROVED and extension.decided_by == department_head
    assert loan.due_at == extension.new_due_at
    assert (messages.SUCCESS, "1 extension approved.") in messages_of(response)


def test_list_filters_find_overdue_loans_and_open_incidents(client, archivist, lending_rows):
    loan = lending_rows["loan"]
    loan.due_at = timezone.now() - datetime.timedelta(hours=1)
    loan.save()
    client.force_login(archivist)
    assert list(client.get(admin_url(Loan) + "?state=overdue").context["cl"].result_list) == [loan]
    assert list(client.get(admin_url(Loan) + "?state=returned").context["cl"].result_list) == [lending_rows["damaged"]]
    assert list(client.get(admin_url(Incident) + "?state=open").context["cl"].result_list) == [lending_rows["incident"]]
    assert list(client.get(admin_url(Incident) + "?state=closed").context["cl"].result_list) == []


# --- R-LEND-2: loan rules are policy values the head changes, with history -----------------


def test_r_lend_2_head_changes_the_loan_rules_and_history_shows_who(client, staff, department_head, filed_record):
    policy = LendingPolicy.current()
    client.force_login(department_head)
    url = admin_url(LendingPolicy, "change", policy.pk)
    page = client.get(url)
    for name in ("loan_period_days", "view_grant_hours", "max_loan_days"):
        assert name in page.context["adminform"].form.fields, name
    response = client.post(url, form_data(page, loan_period_days="5", view_grant_hours="48", max_loan_days="20"))
    assert response.status_code == 302

    policy.refresh_from_db()
    assert (policy.loan_period_days, policy.view_grant_hours, policy.max_loan_days) == (5, 48, 20)
    latest = policy.history.latest()
    assert latest.history_user == department_head
    assert latest.prev_record.loan_period_days == 2
    history = client.get(admin_url(LendingPolicy, "history", policy.pk)).content.decode()
    assert department_head.username in history or str(department_head) in history
    # The new period is the rule from now on: five days need no signature.
    request = services.request_create(requester=staff, record=filed_record(), kind=RequestKind.BORROW, days=5,
                                      purpose="对照原件")
    assert request.state == RequestState.APPROVED and not request.approvals.exists()


def test_r_lend_2_archivist_cannot_change_the_loan_rules(client, archivist):
    policy = LendingPolicy.current()
    history_before = policy.history.count()
    client.force_login(archivist)
    url = admin_url(LendingPolicy, "change", policy.pk)
    assert client.get(url).status_code == 200
    response = client.post(url, {"loan_period_days": "9", "view_grant_hours": "99", "max_loan_days": "90"})
    assert response.status_code == 403
    policy.refresh_from_db()
    assert (policy.loan_period_days, policy.view_grant_hours, policy.max_loan_days) == (2, 24, 30)
    assert policy.history.count() == history_before
