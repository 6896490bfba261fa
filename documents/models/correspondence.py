"""The correspondence registers (收文登记簿 / 发文登记表, R-SCOPE 3–4): every
internal document sent to or received from other departments, numbered per
year and direction without gaps."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Department
from core.models import user_field
from documents.models.base import NeverDeleted
from records.models import Record


class Direction(models.TextChoices):
    INCOMING = "in", _("Incoming")
    OUTGOING = "out", _("Outgoing")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    VERY_URGENT = "very_urgent", _("Very urgent")


class DocumentCounter(models.Model):
    """The last number handed out per kind and year: incoming and outgoing
    correspondence, and controlled documents. Locked and incremented in the
    transaction that saves the numbered row (core.models.next_in_year), so
    a rolled-back registration returns its number: no gaps. No history: the
    rows it numbers keep theirs."""

    class Kind(models.TextChoices):
        INCOMING = "in", _("Incoming")
        OUTGOING = "out", _("Outgoing")
        CONTROLLED = "controlled", _("Controlled")
        PURGE = "purge", _("Register purge list")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("document counter")
        verbose_name_plural = _("document counters")
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="documents_counter_kind_year")]

    def __str__(self):
        return f"{self.kind} {self.year}: {self.last}"


class Correspondence(NeverDeleted):
    """One line of the incoming or outgoing register. The document itself is
    filed as a record (through the filing desk) and linked here."""

    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial number"))
    number = models.CharField(_("document number"), max_length=60, unique=True)
    document_date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=300)
    pages = models.PositiveIntegerField(_("pages"), default=1)
    urgency = models.CharField(_("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    sender = models.ForeignKey(
        Department, verbose_name=_("sending department"), on_delete=models.PROTECT, related_name="documents_sent"
    )
    receivers = models.ManyToManyField(
        Department, verbose_name=_("receiving departments"), related_name="documents_received"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        related_name="correspondence_handled",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    record = models.OneToOneField(
        Record,
        verbose_name=_("filed as"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correspondence",
    )
    registered_by = user_field(_("registered by"), "correspondence_registered", null=False)
    registered_at = models.DateTimeField(_("registered at"))

    history = HistoricalRecords(m2m_fields=[receivers])

    class Meta:
        verbose_name = _("correspondence")
        verbose_name_plural = _("correspondence")
        ordering = ["-year", "direction", "-serial"]
        constraints = [
            models.UniqueConstraint(fields=["direction", "year", "serial"], name="documents_correspondence_serial")
        ]

    def __str__(self):
        return f"{self.number} {self.title}"
