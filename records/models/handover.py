from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from records.models.record import Record


class Handover(models.Model):
    """交接单: items received together from one person, counted and checked
    by the archivist, with both parties named (R-FILE-3). Printed as the
    handover list (移交清册) for both signatures."""

    number = models.CharField(_("handover number"), max_length=30, unique=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed over by"),
        on_delete=models.PROTECT,
        related_name="handovers_given",
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        related_name="handovers_received",
    )
    received_at = models.DateTimeField(_("received at"))
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["-received_at", "-pk"]

    def __str__(self):
        return self.number


class HandoverItem(models.Model):
    """One item of a handover, with what the archivist counted on receipt."""

    handover = models.ForeignKey(
        Handover, verbose_name=_("handover"), on_delete=models.PROTECT, related_name="items"
    )
    record = models.OneToOneField(
        Record, verbose_name=_("record"), on_delete=models.PROTECT, related_name="handover_item"
    )
    copies_received = models.PositiveSmallIntegerField(_("copies received"))
    pages_received = models.PositiveIntegerField(_("pages received"))
    format_ok = models.BooleanField(_("format checked"), default=True)
    remarks = models.CharField(_("remarks"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("handover item")
        verbose_name_plural = _("handover items")
        ordering = ["handover", "pk"]

    def __str__(self):
        return f"{self.handover} · {self.record}"
