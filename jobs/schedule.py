"""Work the worker does every day by itself (loan reminders, R-LEND-5): a
daily task is queued to run at its time of day; when it runs it queues its
next run. `run_worker` makes sure each is queued when it starts, so a fresh
database or a lost row heals itself. No cron is needed for them."""
import datetime
import functools

from django.db import connection, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

_daily = []


def register_daily(task, *, at: datetime.time):
    if all(existing is not task for existing, _time in _daily):
        _daily.append((task, at))


def reschedules(function):
    """For the body of a daily task: whatever happens today, tomorrow's run
    is queued when it ends.

        @task()
        @reschedules
        def send_daily_reminders(): ..."""

    @functools.wraps(function)
    def run(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        finally:
            ensure_scheduled()

    return run


def next_run(at, now=None):
    """The next moment at `at` local time after `now`."""
    now = timezone.localtime(now)
    moment = now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return moment if moment > now else moment + datetime.timedelta(days=1)


# Any constant shared by every process: the key of the lock below.
_SCHEDULE_LOCK = 0x61726368


@transaction.atomic
def ensure_scheduled(now=None):
    """Queue each daily task that has no run waiting; returns how many.
    Several workers (on several servers) may run this at the same moment:
    the check and the queueing happen under one lock, so a daily task is
    never queued twice (PostgreSQL: an advisory lock held until the end of
    the transaction; SQLite's transactions here take the write lock as they
    begin, transaction_mode IMMEDIATE)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SCHEDULE_LOCK])
    queued = 0
    for task, at in _daily:
        waiting = DBTaskResult.objects.filter(task_path=task.module_path, status=TaskResultStatus.READY)
        if not waiting.exists():
            task.using(run_after=next_run(at, now)).enqueue()
            queued += 1
    return queued
