"""send_loan_reminders: due tomorrow to the borrower, overdue to the
borrower and the archivists, once per loan, kind and day (R-LEND-5)."""
import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from accounts.models import Notice
from lending import services
from lending.models import Loan, ReminderKind, ReminderSent
from tests.lending.support import approved_request

TODAY = datetime.date(2025, 3, 10)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def at(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def run(day=TODAY):
    out = StringIO()
    call_command("send_loan_reminders", "--today", day.isoformat(), stdout=out)
    return out.getvalue()


@pytest.fixture
def loans(staff, leadership, archivist, filed_record):
    """Four open loans: due tomorrow, overdue, due today, due later; one returned."""
    for user, address in ((staff, "staff@example.com"), (leadership, "leader@example.com"),
                          (archivist, "archivist@example.com")):
        user.email = address
        user.save()
    made = {}
    for name, borrower, due in [
        ("tomorrow", staff, at(TODAY + datetime.timedelta(days=1), 17)),
        ("overdue", leadership, at(TODAY - datetime.timedelta(days=2), 17)),
        ("today", staff, at(TODAY, 17)),
        ("later", leadership, at(TODAY + datetime.timedelta(days=5), 9)),
        ("returned", staff, at(TODAY - datetime.timedelta(days=3), 9)),
    ]:
        loan = services.loan_check_out(request=approved_request(borrower, filed_record()), by=archivist)
        Loan.objects.filter(pk=loan.pk).update(due_at=due)
        made[name] = Loan.objects.get(pk=loan.pk)
    services.loan_return(loan=made["returned"], by=archivist, pages_returned=1, copies_returned=1)
    Notice.objects.all().delete()
    return made


def test_r_lend_5_reminders_go_to_borrowers_and_archivists(loans, staff, leadership, archivist, run_jobs):
    run_jobs()  # the mail of making the loans
    mail.outbox.clear()
    output = run()
    run_jobs()
    assert "2025-03-10: 1 due-tomorrow and 1 overdue reminders sent." in output
    assert set(ReminderSent.objects.values_list("loan", "kind", "day")) == {
        (loans["tomorrow"].pk, ReminderKind.DUE_TOMORROW, TODAY),
        (loans["overdue"].pk, ReminderKind.OVERDUE, TODAY),
    }
    due = Notice.objects.get(user=staff)
    assert "due tomorrow" in due.text and loans["tomorrow"].record.archive_number in due.text
    overdue_to = sorted(Notice.objects.filter(text__contains="is overdue").values_list("user__username", flat=True))
    assert overdue_to == sorted([leadership.username, archivist.username])
    assert sorted(message.to[0] for message in mail.outbox) == [
        "archivist@example.com", "leader@example.com", "staff@example.com",
    ]
    assert all(message.body.startswith(message.subject.removeprefix("Archive: ")[:20]) for message in mail.outbox)


def test_r_lend_5_second_run_the_same_day_sends_nothing(loans, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run()
    notices, mails = Notice.objects.count(), len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        output = run()
    assert "0 due-tomorrow and 0 overdue reminders sent" in output
    assert (Notice.objects.count(), len(mail.outbox)) == (notices, mails)


def test_r_lend_5_overdue_is_reminded_again_the_next_day(loans):
    run()
    output = run(TODAY + datetime.timedelta(days=1))
    # Next day: the overdue loan again, and the one due on TODAY is now overdue too.
    assert "0 due-tomorrow and 2 overdue reminders sent" in output
    output = run(TODAY + datetime.timedelta(days=2))
    assert "0 due-tomorrow and 3 overdue reminders sent" in output
    assert ReminderSent.objects.filter(loan=loans["overdue"], kind=ReminderKind.OVERDUE).count() == 3


def test_returned_loan_gets_no_reminder(loans):
    run(TODAY + datetime.timedelta(days=30))
    assert not ReminderSent.objects.filter(loan=loans["returned"]).exists()
    assert ReminderSent.objects.filter(kind=ReminderKind.OVERDUE).count() == 4


def test_command_runs_for_today_by_default(staff, archivist, filed_record):
    loan = services.loan_check_out(request=approved_request(staff, filed_record()), by=archivist)
    Loan.objects.filter(pk=loan.pk).update(due_at=timezone.now() + datetime.timedelta(days=1))
    loan.refresh_from_db()
    out = StringIO()
    call_command("send_loan_reminders", stdout=out)
    expected = 1 if timezone.localdate(loan.due_at) == timezone.localdate() + datetime.timedelta(days=1) else 0
    assert f"{expected} due-tomorrow" in out.getvalue()


def test_command_refuses_a_bad_date(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_loan_reminders", "--today", "10/03/2025", stdout=StringIO())
