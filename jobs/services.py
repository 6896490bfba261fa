"""Starting jobs and taking up jobs a stopped worker left behind. The task
is queued in the caller's transaction: an action that rolls back starts no
job."""
import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django_tasks_db.models import DBTaskResult
from django_tasks import TaskResultStatus

from jobs.models import Job, JobState
from jobs.registry import job_kind
from jobs.tasks import run_job


@transaction.atomic
def job_start(*, kind, owner, title, params=None, language=None):
    """Queue a job of `kind` for `owner`. The same job asked for again while
    the first is still waiting or running (a second click) is the first."""
    job_kind(kind)  # refuses an unknown kind here, not in the worker
    params = params or {}
    unfinished = Job.objects.select_for_update().filter(
        kind=kind, owner=owner, params=params, state__in=[JobState.QUEUED, JobState.RUNNING]
    )
    existing = unfinished.first()
    if existing is not None:
        return existing
    job = Job.objects.create(
        kind=kind, owner=owner, title=str(title)[:300], params=params,
        language=language or get_language() or "zh-hans", unit=job_kind(kind).unit,
    )
    result = run_job.enqueue(str(job.pk))
    job.task_id = result.id
    job.save(update_fields=["task_id"])
    return job


def job_mark_seen(*, job):
    if job.is_finished and job.seen_at is None:
        job.seen_at = timezone.now()
        job.save(update_fields=["seen_at"])


@transaction.atomic
def jobs_requeue_interrupted(*, worker_id):
    """Tasks this worker was running when it stopped (a restart, a crash,
    a power cut) go back to the queue, and their jobs say so: they run again
    from the start when the worker is back. Returns how many."""
    interrupted = DBTaskResult.objects.select_for_update().filter(status=TaskResultStatus.RUNNING)
    task_ids = [task.pk for task in interrupted if task.worker_ids and task.worker_ids[-1] == worker_id]
    if not task_ids:
        return 0
    DBTaskResult.objects.filter(pk__in=task_ids).update(status=TaskResultStatus.READY, started_at=None)
    Job.objects.filter(task_id__in=task_ids, state=JobState.RUNNING).update(
        state=JobState.QUEUED, done=0, heartbeat_at=None
    )
    return len(task_ids)


def jobs_clear_old_files(now=None):
    """Remove the files of jobs finished more than ARCHIVE_JOB_FILES_DAYS
    ago: they are copies made on demand (a register can be printed again);
    the job row stays, saying what it made. Returns how many."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.ARCHIVE_JOB_FILES_DAYS)
    old = Job.objects.filter(finished_at__lt=limit).exclude(result_file="")
    removed = 0
    for job in old.iterator():
        job.result_file.delete(save=False)
        Job.objects.filter(pk=job.pk).update(result_file="")
        removed += 1
    return removed
