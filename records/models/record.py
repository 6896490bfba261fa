import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.limits import INTEGER_MAX, SMALL_INTEGER_MAX, date_validators, range_validators
from core.text_input import CleanCharField, CleanLinesCharField, CleanTextField

from records.models.category import Category
from records.models.choices import MAX_RETENTION_YEARS, Medium, RecordStatus, SecurityLevel, retention_label
from records.models.location import Location


# The years a record may be filed under; the year is part of its archive
# number (R-FILE-5).
RECORD_YEARS = (1949, 2200)


class RecordDeletionRefused(Exception):
    """Records are never deleted; they move to void, weeded or destroyed."""


class RecordQuerySet(models.QuerySet):
    def delete(self):
        raise RecordDeletionRefused("Records are never deleted; change their status instead.")

    def catalogued(self):
        return self.filter(status__in=RecordStatus.catalogued())


class Record(models.Model):
    """档案: one filed item. Contracts, client files, internal and outgoing
    documents, loans and disposal all point at this table."""

    archive_number = models.CharField(
        _("archive number"), max_length=80, unique=True, null=True, blank=True, editable=False
    )
    item_number = models.PositiveIntegerField(_("item number"), null=True, blank=True, editable=False)
    title = CleanCharField(_("title"), max_length=300)
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="records"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=range_validators(_("year"), *RECORD_YEARS))
    document_date = models.DateField(_("date"), null=True, blank=True, validators=date_validators(_("date")))
    responsible_party = CleanCharField(_("responsible party"), max_length=200, blank=True)
    document_number = CleanCharField(_("document number"), max_length=100, blank=True)
    security_level = models.CharField(
        _("security level"), max_length=20, choices=SecurityLevel.choices, default=SecurityLevel.INTERNAL
    )
    retention_years = models.PositiveSmallIntegerField(
        _("retention (years)"),
        null=True,
        blank=True,
        help_text=_("Leave empty for permanent retention."),
        validators=range_validators(_("retention (years)"), 1, MAX_RETENTION_YEARS),
    )
    medium = models.CharField(_("medium"), max_length=20, choices=Medium.choices, default=Medium.PAPER)
    # R-FILE-1
    copies = models.PositiveSmallIntegerField(
        _("copies"),
        default=1,
        help_text=_("Normally one; important or much-used files get more."),
        validators=range_validators(_("copies"), 1, SMALL_INTEGER_MAX),
    )
    pages = models.PositiveIntegerField(
        _("pages"), default=1, validators=range_validators(_("pages"), 0, INTEGER_MAX)
    )
    location = models.ForeignKey(
        Location,
        verbose_name=_("location"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RecordStatus.choices, default=RecordStatus.DRAFT, db_index=True
    )
    keywords = CleanCharField(_("keywords"), max_length=300, blank=True)
    # R-FILE-3
    return_reason = CleanLinesCharField(
        _("reason for return"),
        max_length=300,
        blank=True,
        help_text=_("Why the archivist returned the item to its submitter."),
    )
    notes = CleanTextField(_("notes"), blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("owning department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submitted_records",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="filed_records",
    )
    filed_at = models.DateTimeField(_("filed at"), null=True, blank=True)
    # R-DISP-2
    retention_expires_on = models.DateField(
        _("retention ends on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("End of the retention period; empty for permanent records."),
    )
    # Set by records.services.disposition at the year-end appraisal (R-DISP-2).
    retention_extended_years = models.PositiveSmallIntegerField(
        _("retention extended by (years)"), default=0, editable=False
    )
    # Why the record was weeded, transferred out or destroyed, or its
    # retention changed, and who received it (records.services.disposition).
    disposition_reason = models.CharField(_("reason for disposition"), max_length=300, blank=True, editable=False)
    transferred_to = models.CharField(_("transferred to"), max_length=200, blank=True, editable=False)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RecordQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("record")
        verbose_name_plural = _("records")
        ordering = ["-year", "category__code", "item_number", "pk"]
        permissions = [
            ("view_confidential", _("Can see confidential records")),
            ("file_record", _("Can receive and file records")),
            ("approve_disposal", _("Can approve weeding and disposal lists")),
            ("approve_destruction", _("Can give final approval of destruction")),
        ]
        indexes = [
            models.Index(fields=["category", "year"], name="record_category_year"),
            models.Index(fields=["security_level", "status"], name="record_security_status"),
            models.Index(fields=["-created_at"], name="record_newest"),
            # Newest-first lists read the first page off this index instead
            # of sorting the whole visible archive (issue 11).
            models.Index(fields=["-filed_at", "-id"], name="record_newest_filed"),
            # Counts by status read only this index: the status, then what
            # records.selectors.visibility_condition asks of the row (its
            # level, its submitter; the id comes with every index). Levels
            # in descending order of their codes (public, internal,
            # confidential): a count stopping at the cap then reads the
            # records open to most people first, instead of stepping over
            # every confidential one a user may not see (issue 11).
            models.Index(fields=["status", "-security_level", "submitted_by"], name="record_status_visibility"),
            models.Index(fields=["retention_expires_on"], name="record_retention_end"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "year", "item_number"],
                condition=models.Q(item_number__isnull=False),
                name="record_item_number_unique_per_category_year",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=RecordStatus.before_filing())
                | models.Q(archive_number__isnull=False),
                name="record_catalogued_has_archive_number",
            ),
            models.CheckConstraint(condition=models.Q(copies__gte=1), name="record_copies_at_least_one"),
        ]

    def __str__(self):
        return f"{self.archive_number} {self.title}" if self.archive_number else self.title

    @property
    def retention_label(self):
        return retention_label(self.retention_years)

    @property
    def is_confidential(self):
        return self.security_level == SecurityLevel.CONFIDENTIAL

    @property
    def is_catalogued(self):
        return self.status in RecordStatus.catalogued()

    def compute_retention_expiry(self):
        """Retention runs from 1 January after the record's year, so a
        10-year record of 2020 may be disposed of from 1 January 2031 on;
        an extension at appraisal adds its years (R-DISP-2)."""
        if self.retention_years is None or not self.year:
            return None
        return datetime.date(self.year + self.retention_years + (self.retention_extended_years or 0), 12, 31)

    def save(self, *args, **kwargs):
        self.retention_expires_on = self.compute_retention_expiry()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RecordDeletionRefused("Records are never deleted; change their status instead.")
