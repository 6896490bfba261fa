from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FixityProblem(models.TextChoices):
    """What `verify_files` can find wrong with a stored file (R-FILE-6)."""

    MISSING = "missing", _("the file is missing")
    CHANGED = "changed", _("its content no longer matches the SHA-256 recorded at upload")
    UNREADABLE = "unreadable", _("the file cannot be read")


class FixityCheck(models.Model):
    """One run of `manage.py verify_files`: every stored electronic file
    re-read and compared with the SHA-256 recorded when it was uploaded
    (R-FILE-6: electronic copies are kept and checked). Rows are only ever
    added; the newest one decides whether the archivist's home page warns.

    `problems` lists one dict per file found wrong
    (records.maintenance.fixity.FileProblem.as_dict): its kind, what names it
    (attachment and record ids and the archive number, or another app's row
    and owner), the file's name and a FixityProblem code. Rows kept before
    other kinds of file were checked hold a record's file without a kind."""

    checked_at = models.DateTimeField(_("checked at"), default=timezone.now, db_index=True)
    files_checked = models.PositiveIntegerField(_("files checked"))
    problem_count = models.PositiveIntegerField(_("problems found"))
    problems = models.JSONField(_("problems"), default=list, blank=True)

    class Meta:
        verbose_name = _("file check")
        verbose_name_plural = _("file checks")
        ordering = ["-checked_at", "-pk"]
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.checked_at:%Y-%m-%d %H:%M} {self.files_checked}/{self.problem_count}"

    @property
    def in_order(self):
        return self.problem_count == 0
