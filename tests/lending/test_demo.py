"""`manage.py seed_demo_lending`: requests in each state, loans out, due
tomorrow and overdue, returns and an open incident, all made through
lending.services, with the department heads named; a second run changes
nothing.

seed_demo and seed_demo_lending run once for the module, inside a
transaction rolled back at the end, so other modules start empty."""
import datetime
import io
import re
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Max
from django.test import RequestFactory
from django.utils import timezone, translation

from accounts.demo import DEMO_PASSWORD
from accounts.models import Department, User
from accounts.roles import Role
from lending import demo as lending_demo
from lending import policies, selectors
from lending.models import (
    ApprovalStep,
    Incident,
    IncidentKind,
    Loan,
    LoanRequest,
    RequestKind,
    RequestState,
)
from lending.reasons import LendingReason
from records.demo_loans import DEMO_LOANS, LENT_TO
from records.history import ChangeReason
from records.models import Record, RecordStatus, SecurityLevel
from tests.demo_support import demo_settings



@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock(), demo_settings(tmp_path_factory):
        with transaction.atomic():
            with translation.override("en"):
                seed_output, lending_output = io.StringIO(), io.StringIO()
                call_command("seed_demo", stdout=seed_output)
                on_loan = Record.objects.filter(status=RecordStatus.ON_LOAN)
                lent_by_seed_demo = list(on_loan.values_list("pk", flat=True))
                call_command("seed_demo_lending", stdout=lending_output)
            yield SimpleNamespace(
                seed_output=seed_output.getvalue(),
                output=lending_output.getvalue(),
                lent_by_seed_demo=lent_by_seed_demo,
            )
            transaction.set_rollback(True)


def test_needs_seed_demo_first(db):
    # First in the module: it runs before the module's demo data exists.
    with translation.override("en"), pytest.raises(CommandError, match="seed_demo"):
        call_command("seed_demo_lending", stdout=io.StringIO())
    assert not LoanRequest.objects.exists()


def user(username):
    return User.objects.get(username=username)


def demo_request(key):
    scenario = next(scenario for scenario in lending_demo.SCENARIOS if scenario.key == key)
    return LoanRequest.objects.get(requester__username=scenario.requester, purpose=scenario.purpose)


def row_counts():
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_seeding_reports_what_it_played(demo, db):
    assert f"Lending: {len(lending_demo.SCENARIOS)} demo requests played" in demo.output
    assert "Lending demo data loaded" in demo.output


def test_department_heads_are_named_and_the_finance_head_can_log_in(demo, db):
    head, finance_head = user("head"), user("cwhead")
    assert Department.objects.get(code="SCB").head == head
    assert Department.objects.get(code="CWB").head == finance_head
    assert finance_head.full_name == "钱峰" and finance_head.department.code == "CWB"
    assert [group.name for group in finance_head.groups.all()] == [Role.OUTSIDE_STAFF.group_name]
    assert not finance_head.is_staff and not finance_head.get_all_permissions()  # no archive rights
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="cwhead", password=DEMO_PASSWORD) == finance_head
    assert re.search(r"^\s+cwhead\s+钱峰\s", demo.seed_output, re.MULTILINE)


def test_r_lend_4_staff_view_of_a_confidential_record_waits_for_the_head(demo, db):
    request = demo_request("confidential_view")
    assert request.kind == RequestKind.VIEW and request.state == RequestState.PENDING
    assert request.record.security_level == SecurityLevel.CONFIDENTIAL
    assert [item.step for item in policies.required_approvals(request)] == [ApprovalStep.ARCHIVE_HEAD]
    assert request in selectors.waiting_for(user("head")).requests
    assert not request.approvals.exists()


def test_r_lend_3_outsider_borrow_waits_for_both_heads(demo, db):
    request = demo_request("outsider_borrow")
    assert request.kind == RequestKind.BORROW and request.state == RequestState.PENDING
    assert [item.step for item in policies.required_approvals(request)] == [
        ApprovalStep.BORROWER_HEAD, ApprovalStep.ARCHIVE_HEAD]
    assert request in selectors.waiting_for(user("cwhead")).requests  # the finance head signs first
    assert request not in selectors.waiting_for(user("head")).requests
    assert not request.approvals.exists()


def test_r_lend_2_long_loan_signed_by_the_head_waits_for_the_archivist(demo, db):
    request = demo_request("long_loan")
    assert request.state == RequestState.APPROVED and request.days > 2
    assert list(request.approvals.values_list("step", "approver__username", "approved")) == [
        (ApprovalStep.ARCHIVE_HEAD, "head", True)]
    assert request in selectors.desk()["to_hand_out"]


def test_r_lend_1_loans_due_tomorrow_and_overdue(demo, db):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    due_tomorrow = demo_request("due_tomorrow").loan
    assert due_tomorrow.is_open and timezone.localdate(due_tomorrow.due_at) == tomorrow
    assert due_tomorrow in selectors.open_loans_of(user("staff"))
    overdue = demo_request("overdue").loan
    assert overdue.is_open and overdue.due_at < timezone.now()
    assert list(selectors.desk()["overdue"]) == [overdue]
    assert list(overdue.request.approvals.values_list("step", "approver__username")) == [
        (ApprovalStep.BORROWER_HEAD, "cwhead"), (ApprovalStep.ARCHIVE_HEAD, "head")]
    assert overdue.request.created_at < overdue.request.decided_at < overdue.out_at


def test_r_lend_5_r_lend_6_returned_loans_and_an_open_incident(demo, db):
    returned = demo_request("returned").loan
    assert not returned.is_open and not returned.damaged
    assert returned.out_at < returned.returned_at <= returned.due_at
    assert returned.pages_returned == returned.record.pages and not returned.incidents.exists()

    damaged = demo_request("damaged").loan
    assert not damaged.is_open and damaged.damaged and damaged.pages_returned < damaged.record.pages
    incident = Incident.objects.get(loan=damaged)
    assert (incident.kind, incident.borrower.username, incident.resolved_at) == (IncidentKind.DAMAGED, "staff", None)
    assert list(selectors.open_incidents(borrower=user("staff"))) == [incident]
    assert list(selectors.open_incidents(record=damaged.record)) == [incident]
    assert damaged.record.status == RecordStatus.FILED

    shown = demo_request("viewed")
    assert shown.state == RequestState.DONE and shown.loan.request.kind == RequestKind.VIEW


def test_r_lend_1_every_record_out_has_exactly_one_open_loan(demo, db):
    open_loans = Loan.objects.filter(returned_at__isnull=True)
    on_loan = Record.objects.filter(status=RecordStatus.ON_LOAN)
    assert set(open_loans.values_list("record_id", flat=True)) == set(on_loan.values_list("pk", flat=True))
    assert not open_loans.values("record").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert open_loans.count() >= 3


def test_records_seed_demo_put_on_loan_have_their_loan_with_the_same_borrower(demo, db):
    # records.demo_loans.DEMO_LOANS says who each one went to; lending.demo reads
    # that mapping, not the history's text.
    lent = Record.objects.filter(pk__in=demo.lent_by_seed_demo)
    assert sorted(lent.values_list("archive_number", flat=True)) == sorted(DEMO_LOANS)
    for record in lent:
        borrower = user(DEMO_LOANS[record.archive_number])
        assert record.history.filter(history_change_reason=f"{LENT_TO}{borrower.display_name}").exists()
        assert record.history.filter(history_change_reason=lending_demo.LEGACY_CHECK_IN).exists()
        assert record.status == RecordStatus.ON_LOAN
        loan = Loan.objects.get(record=record, returned_at__isnull=True)
        assert (loan.borrower, loan.request.purpose) == (borrower, lending_demo.LEGACY_PURPOSE)


def test_everything_went_through_the_services(demo, db):
    archivist = user("archivist")
    for request in LoanRequest.objects.all():
        created = request.history.earliest()
        assert (created.history_change_reason, created.history_user) == (LendingReason.LOAN_REQUESTED,
                                                                          request.requester)
    for loan in Loan.objects.all():
        created = loan.history.earliest()
        assert created.history_change_reason in (ChangeReason.CHECKED_OUT, LendingReason.VIEW_SHOWN)
        assert created.history_user == archivist
        assert loan.record.history.filter(history_change_reason=ChangeReason.CHECKED_OUT).exists() or (
            loan.request.kind == RequestKind.VIEW)
    moved = Loan.history.filter(history_change_reason=lending_demo.DATES_MOVED)
    assert set(moved.values_list("history_user", flat=True)) == {archivist.pk}
    assert moved.values("id").distinct().count() == 3  # overdue, returned, damaged


def test_a_second_run_changes_nothing(demo, db):
    before = row_counts()
    last_change = Loan.history.aggregate(Max("history_date"))
    output = io.StringIO()
    with translation.override("en"):
        call_command("seed_demo_lending", stdout=output)
    assert "already exists" in output.getvalue()
    assert row_counts() == before
    assert Loan.history.aggregate(Max("history_date")) == last_change
    assert lending_demo.is_seeded()


def test_refused_in_production_and_nothing_changes(demo, db, settings):
    settings.PRODUCTION = True
    before = row_counts()
    with translation.override("en"), pytest.raises(CommandError, match="production"):
        call_command("seed_demo_lending", stdout=io.StringIO())
    assert row_counts() == before
