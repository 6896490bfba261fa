import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from records.models.ocr import OcrFailure, OcrState, ocr_copy_path
from records.models.record import Record


def attachment_path(instance, filename):
    """Random, unguessable storage names; the original name is kept in the row."""
    return f"{instance.record_id or 'new'}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """An electronic file of a record, stored outside the web root and served
    only through a view that checks the user may see the record."""

    record = models.ForeignKey(
        Record, verbose_name=_("record"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="uploaded_attachments",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    extracted_text = models.TextField(
        _("extracted text"), blank=True, editable=False, help_text=_("Text read from PDF, DOCX and XLSX files for search.")
    )
    # Text recognition of a scan (issue 17, records.files.ocr): the copy is a
    # searchable PDF beside the original, which stays as uploaded.
    ocr_state = models.CharField(
        _("text recognition"), max_length=16, choices=OcrState.choices, default=OcrState.NOT_NEEDED, editable=False
    )
    ocr_failure = models.CharField(
        _("why text recognition failed"), max_length=16, choices=OcrFailure.choices, blank=True, editable=False
    )
    ocr_copy = models.FileField(
        _("searchable copy"), upload_to=ocr_copy_path, max_length=300, blank=True, editable=False
    )
    # Recorded when the copy is stored, so the file check (R-FILE-6) tells a
    # changed copy; blank for copies made before it was recorded.
    ocr_copy_sha256 = models.CharField(_("SHA-256 of the searchable copy"), max_length=64, blank=True, editable=False)
    ocr_finished_at = models.DateTimeField(_("text recognised at"), null=True, blank=True, editable=False)
    # A tombstone (R-DISP-3): the record was destroyed, the row stays with
    # the file's name, size and SHA-256; its text left the search index and
    # its bytes leave the storage after the commit (records.files.removal).
    destroyed_at = models.DateTimeField(_("destroyed at"), null=True, blank=True, editable=False)
    bytes_removed_at = models.DateTimeField(_("bytes removed at"), null=True, blank=True, editable=False)
    # The extracted text is derived from the file, which never changes; when
    # the bytes left the storage is the storage's bookkeeping, logged by
    # records.files.removal (the destruction itself is in the history).
    history = HistoricalRecords(excluded_fields=["extracted_text", "bytes_removed_at"])

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]
        indexes = [
            # What records.files.removal still has to remove: few rows, read nightly.
            models.Index(
                fields=["destroyed_at"],
                condition=models.Q(destroyed_at__isnull=False, bytes_removed_at__isnull=True),
                name="attachment_bytes_to_remove",
            ),
        ]

    def __str__(self):
        return self.original_name

    @property
    def is_destroyed(self):
        return self.destroyed_at is not None
