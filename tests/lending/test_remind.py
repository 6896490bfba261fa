"""催还 on the lending desk (issue 16, R-LEND-5): the archivist reminds the
borrower of an overdue loan with one button; the borrower gets a notice and
a mail, the loan a history line, and a second press the same day is refused
with the time of the first. Only overdue, open loans; only the archivist."""
import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Notice
from accounts.roles import Role
from lending import services
from lending.exceptions import LendingRefused
from lending.models import Loan
from lending.reasons import LendingReason
from tests.conftest import speak_english
from tests.lending.support import approved_request, snapshot


@pytest.fixture(autouse=True)
def english():
    """Service messages in English, as the pages the tests ask for."""
    with translation.override("en"):
        yield


def as_user(client, user):
    client.force_login(user)
    speak_english(client)
    return client


def followed_messages(response):
    return [str(message) for message in response.context["messages"]]


def lend(staff, archivist, record, *, overdue_by=datetime.timedelta(days=2)):
    loan = services.loan_check_out(request=approved_request(staff, record), by=archivist)
    Loan.objects.filter(pk=loan.pk).update(due_at=timezone.now() - overdue_by)
    # What lending the record said to whom is not under test here.
    Notice.objects.update(read_at=timezone.now())
    loan.refresh_from_db()
    return loan


@pytest.fixture
def overdue_loan(staff, archivist, filed_record):
    staff.email = "staff@example.com"
    staff.save()
    return lend(staff, archivist, filed_record(title="逾期合同"))


def remind_url(loan):
    return reverse("lending_remind", args=[loan.pk])


def section(html, anchor):
    """The HTML of one desk section (<section id=anchor> … </section>)."""
    return re.search(rf'<section[^>]*id="{anchor}".*?</section>', html, re.S).group(0)


def test_the_desk_offers_remind_on_overdue_loans_only(client, staff, archivist, filed_record, overdue_loan):
    not_due = lend(staff, archivist, filed_record(title="未到期"), overdue_by=-datetime.timedelta(days=1))
    html = as_user(client, archivist).get(reverse("lending_desk")).content.decode()
    overdue, out = section(html, "overdue"), section(html, "out")
    assert f'action="{remind_url(overdue_loan)}"' in overdue
    assert f'action="{remind_url(not_due)}"' not in html
    assert "remind/" not in out


def test_remind_sends_a_notice_and_a_mail_and_leaves_a_history_line(
    client, staff, archivist, overdue_loan, run_jobs
):
    response = as_user(client, archivist).post(remind_url(overdue_loan), follow=True)
    assert response.redirect_chain[-1][0] == reverse("lending_desk")
    assert followed_messages(response) == [f"{staff.display_name} was reminded to return «逾期合同», in the app and by mail."]
    [notice] = Notice.objects.filter(user=staff, read_at=None)
    assert overdue_loan.record.archive_number in notice.text and archivist.display_name in notice.text
    assert notice.url == reverse("lending_mine")
    assert run_jobs() == 1
    [message] = mail.outbox
    assert message.to == ["staff@example.com"] and overdue_loan.record.archive_number in message.body
    overdue_loan.refresh_from_db()
    assert overdue_loan.reminded_at is not None
    latest = overdue_loan.history.first()
    assert latest.history_change_reason == LendingReason.LOAN_REMINDED
    assert latest.history_user_id == archivist.pk
    # The desk says when the last reminder went.
    local = timezone.localtime(overdue_loan.reminded_at).strftime("%Y-%m-%d %H:%M")
    assert f"Last reminded {local}" in section(response.content.decode(), "overdue")


def test_a_second_press_the_same_day_says_when_the_first_went_and_sends_nothing(
    client, staff, archivist, overdue_loan
):
    user = as_user(client, archivist)
    user.post(remind_url(overdue_loan), follow=True)
    overdue_loan.refresh_from_db()
    before = snapshot()
    response = user.post(remind_url(overdue_loan), follow=True)
    first = timezone.localtime(overdue_loan.reminded_at).strftime("%H:%M")
    assert followed_messages(response) == [
        f"{staff.display_name} was already reminded today, at {first}. "
        "One reminder a day is enough; try again tomorrow."
    ]
    assert snapshot() == before


def test_a_borrower_without_an_address_is_reminded_in_the_app(client, staff, archivist, overdue_loan):
    staff.email = ""
    staff.save()
    response = as_user(client, archivist).post(remind_url(overdue_loan), follow=True)
    assert followed_messages(response) == [
        f"{staff.display_name} was reminded to return «逾期合同» in the app; they have no e-mail address."
    ]
    assert Notice.objects.filter(user=staff, read_at=None).count() == 1


def test_a_reminder_yesterday_does_not_stop_one_today(staff, archivist, overdue_loan):
    yesterday = timezone.now() - datetime.timedelta(days=1)
    Loan.objects.filter(pk=overdue_loan.pk).update(reminded_at=yesterday)
    services.loan_remind(loan=overdue_loan, by=archivist)
    overdue_loan.refresh_from_db()
    assert timezone.localdate(overdue_loan.reminded_at) == timezone.localdate()
    assert Notice.objects.filter(user=staff, read_at=None).count() == 1


def test_a_loan_not_yet_due_is_not_reminded(staff, archivist, filed_record):
    loan = lend(staff, archivist, filed_record(), overdue_by=-datetime.timedelta(hours=3))
    before = snapshot()
    with pytest.raises(LendingRefused, match="is not overdue: it is due back on"):
        services.loan_remind(loan=loan, by=archivist)
    assert snapshot() == before


def test_a_returned_loan_is_not_reminded(client, staff, archivist, overdue_loan):
    record = overdue_loan.record
    services.loan_return(loan=overdue_loan, by=archivist, pages_returned=record.pages, copies_returned=record.copies)
    before = snapshot()
    with pytest.raises(LendingRefused, match="This loan was closed on"):
        services.loan_remind(loan=overdue_loan, by=archivist)
    assert as_user(client, archivist).post(remind_url(overdue_loan)).status_code == 404
    assert snapshot() == before


@pytest.mark.parametrize(
    "role", [Role.STAFF, Role.OUTSIDE_STAFF, Role.DEPARTMENT_HEAD, Role.LEADERSHIP, Role.SYSADMIN]
)
def test_only_the_archivist_reminds(client, role_users, overdue_loan, role):
    before = snapshot()
    assert as_user(client, role_users[role]).post(remind_url(overdue_loan)).status_code == 403
    with pytest.raises(LendingRefused, match="Only the archivist"):
        services.loan_remind(loan=overdue_loan, by=role_users[role])
    assert snapshot() == before


def test_remind_refuses_get(client, archivist, overdue_loan):
    before = snapshot()
    response = as_user(client, archivist).get(remind_url(overdue_loan))
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert snapshot() == before


def test_anonymous_is_sent_to_login(client, overdue_loan):
    response = client.post(remind_url(overdue_loan))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert Loan.objects.get(pk=overdue_loan.pk).reminded_at is None
