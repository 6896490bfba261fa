"""The legacy-ledger import wizard's stored state (issue 15,
records.ledgers): a named template of how a department's ledger is read
(kept for next year's file), and one upload on its way through the wizard's
steps until it is imported or cancelled."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LedgerTemplate(models.Model):
    """How one kind of legacy ledger is read: each column's field by its
    header text (so a column may move next year) and the values filled from
    the page. Saved by name from the mapping step and offered again."""

    kind = models.CharField(_("ledger kind"), max_length=32)
    name = models.CharField(_("template name"), max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("saved by"), on_delete=models.PROTECT,
        related_name="ledger_templates",
    )
    # {header text as normalised by records.ledgers.headers: field name}
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    fills = models.JSONField(_("filled values"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("ledger template")
        verbose_name_plural = _("ledger templates")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="ledger_template_unique_name")]

    def __str__(self):
        return self.name


class LedgerUploadState(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    IMPORTING = "importing", _("Importing")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class LedgerUpload(models.Model):
    """One file going through the wizard: where it is kept
    (records.import_files.ImportFileStorage), the plan chosen so far, and
    how it ended. The file is removed once imported or cancelled; an
    abandoned one goes with the daily clear_import_files."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT,
        related_name="ledger_uploads",
    )
    kind = models.CharField(_("ledger kind"), max_length=32)
    stored_name = models.CharField(_("stored file"), max_length=100, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    sheet_name = models.CharField(_("sheet"), max_length=255, blank=True)
    header_row = models.PositiveIntegerField(_("header row"), null=True, blank=True)
    mapping = models.JSONField(_("column mapping"), default=list, blank=True)
    fills = models.JSONField(_("filled values"), default=dict, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    state = models.CharField(
        _("state"), max_length=16, choices=LedgerUploadState.choices, default=LedgerUploadState.DRAFT
    )
    job = models.ForeignKey(
        "jobs.Job", verbose_name=_("job"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.TextField(_("result"), blank=True)
    # The check of a large file, made by a background job
    # (records.ledgers.checking): {"plan": the plan it was made for, "job":
    # the check job's id, "result": records.ledgers.types.Checked as JSON,
    # None while the job runs}. Emptied when the plan changes.
    checked = models.JSONField(_("check of the file"), null=True, blank=True)

    class Meta:
        verbose_name = _("ledger upload")
        verbose_name_plural = _("ledger uploads")
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name
