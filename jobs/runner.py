"""Running one job in the worker: claim it, call its kind's handler with a
JobRun, keep what it made, and say how it ended."""
import logging
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.exceptions import ActionRefused
from core.history import acting_as
from jobs.models import Job, JobState
from jobs.registry import job_kind

logger = logging.getLogger(__name__)

# Progress is written at most this often (and always at the end of a step
# the handler marks final): a 500-page register reports ~50 times, not 500.
PROGRESS_INTERVAL_SECONDS = 1.0


class JobRun:
    """What a handler gets: the job's parameters and owner, progress
    reports, and an output file that becomes the job's download."""

    def __init__(self, job, *, unit):
        self.job = job
        self.params = job.params
        self.owner = job.owner
        self.summary = ""
        self._unit = unit
        self._last_report = 0.0
        self._output = None
        self._output_name = ""
        self._output_type = ""
        # Transactions the handler opens hide its progress (see progress()).
        self._base_depth = len(connection.atomic_blocks)

    def progress(self, done, total=None, *, force=False):
        """Report `done` of `total` (in the kind's unit). Inside a database
        transaction nothing is written: other connections could not see it
        before the commit, and on SQLite the write would wait for it."""
        now = time.monotonic()
        if not force and now - self._last_report < PROGRESS_INTERVAL_SECONDS:
            return
        if len(connection.atomic_blocks) > self._base_depth:
            return
        self._last_report = now
        fields = {"done": done, "unit": self._unit, "heartbeat_at": timezone.now()}
        if total is not None:
            fields["total"] = total
        Job.objects.filter(pk=self.job.pk).update(**fields)

    def output(self, filename, content_type):
        """An open binary file to write the job's result into; it is kept
        with the job when the handler returns."""
        if self._output is not None:
            raise RuntimeError("A job makes one file")
        directory = Path(settings.JOBS_TMP_DIR)
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._output = tempfile.NamedTemporaryFile(dir=directory, prefix="job-", suffix=".part")
        self._output_name = filename
        self._output_type = content_type
        return self._output

    def _keep_output(self, job):
        if self._output is None:
            return
        self._output.flush()
        self._output.seek(0)
        job.result_name = self._output_name
        job.result_content_type = self._output_type
        job.result_file.save(self._output_name, File(self._output), save=False)

    def close(self):
        if self._output is not None:
            self._output.close()  # a NamedTemporaryFile removes itself


def _claim(job_id):
    """Mark the job running; None when it has already finished (a task run
    twice, after a restart, does nothing the second time)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        now = timezone.now()
        job.state = JobState.RUNNING
        job.started_at = now
        job.heartbeat_at = now
        job.attempts += 1
        job.save(update_fields=["state", "started_at", "heartbeat_at", "attempts"])
        return job


def _finish(job, run, *, failure=""):
    job.refresh_from_db(fields=["done", "total", "unit"])
    job.finished_at = timezone.now()
    job.failure = failure
    job.state = JobState.FAILED if failure else JobState.SUCCEEDED
    if not failure:
        run._keep_output(job)
        job.summary = str(run.summary)
        if job.total is not None:
            job.done = job.total
    job.save()


def execute_job(job_id):
    """The body of the jobs.tasks.run_job task."""
    job = _claim(job_id)
    if job is None:
        return
    kind = job_kind(job.kind)
    run = JobRun(job, unit=kind.unit)
    try:
        with translation.override(job.language), acting_as(job.owner):
            kind.handler(run)
            _finish(job, run)
    except ActionRefused as refusal:
        with translation.override(job.language):
            _finish(job, run, failure=refusal.message)
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        with translation.override(job.language):
            _finish(job, run, failure=_(
                "The job stopped because of an error in the archive system. It has been logged; "
                "ask the system administrator, or try again later."
            ))
        raise
    finally:
        run.close()
