"""The daily loan reminders (R-LEND-5) as a task the worker runs at
ARCHIVE_REMINDERS_AT every day (jobs.schedule); `manage.py
send_loan_reminders` still runs them by hand. Idempotent per loan, kind and
day, so a run by hand and the daily run never remind twice."""
from django.utils import timezone
from django_tasks import task

from jobs.schedule import reschedules
from lending.notices import send_reminders


@task()
@reschedules
def send_daily_reminders():
    send_reminders(timezone.localdate())
