"""One row per job a person (or the system) started: what it is, how far it
has got, and what came of it (a file to download, a summary, or why it
failed). The task queue's own row (django_tasks_db.DBTaskResult) only says
when the worker ran it; this one is what the user sees."""
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class JobState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Done")
    FAILED = "failed", _("Failed")

    @classmethod
    def finished(cls):
        return [cls.SUCCEEDED, cls.FAILED]


class ProgressUnit(models.TextChoices):
    """What a job counts; the label is the whole progress sentence."""

    PAGES = "pages", pgettext_lazy("job progress", "page %(done)s of %(total)s")
    ROWS = "rows", pgettext_lazy("job progress", "row %(done)s of %(total)s")
    RECORDS = "records", pgettext_lazy("job progress", "record %(done)s of %(total)s")
    FILES = "files", pgettext_lazy("job progress", "file %(done)s of %(total)s")
    ITEMS = "items", pgettext_lazy("job progress", "%(done)s of %(total)s")


def result_path(job, filename):
    # The stored name is the job's id; the download carries the real name.
    return f"jobs/{job.created_at:%Y/%m}/{job.pk}"


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("job"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="jobs",
    )
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # The language of the person who started it: the file is made in it.
    language = models.CharField(_("language"), max_length=16, default=settings.LANGUAGE_CODE)
    state = models.CharField(_("state"), max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    unit = models.CharField(_("progress unit"), max_length=16, choices=ProgressUnit.choices,
                            default=ProgressUnit.ITEMS)
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    summary = models.TextField(_("result"), blank=True)
    failure = models.TextField(_("why it failed"), blank=True)
    result_file = models.FileField(_("file"), upload_to=result_path, blank=True, max_length=200)
    result_name = models.CharField(_("file name"), max_length=200, blank=True)
    result_content_type = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    started_at = models.DateTimeField(_("running since"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Written with every progress report: a running job whose worker died
    # stops beating, and the next worker start takes it up again.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    seen_at = models.DateTimeField(_("seen at"), null=True, blank=True)
    task_id = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at"]
        indexes = [
            # "My jobs", newest first, and the unseen-results badge.
            models.Index(fields=["owner", "-created_at"], name="jobs_owner_newest"),
            models.Index(fields=["owner", "state", "seen_at"], name="jobs_owner_unseen"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_finished(self):
        return self.state in JobState.finished()

    @property
    def percent(self):
        if self.state == JobState.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(100 * self.done / self.total))

    def progress_text(self):
        """'第 120 / 490 页' and the like; empty before the total is known."""
        if self.total is None:
            return ""
        return ProgressUnit(self.unit).label % {"done": f"{self.done:,}", "total": f"{self.total:,}"}
