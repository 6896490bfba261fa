from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from records.models.record import Record, RecordDeletionRefused


class HoldQuerySet(models.QuerySet):
    def delete(self):
        raise RecordDeletionRefused("Holds are never deleted; release them instead.")

    def active(self):
        return self.filter(released_at__isnull=True)


class Hold(models.Model):
    """A freeze (冻结) on one record: while a hold is active the record is
    kept from weeding, write-off and destruction, whatever its retention
    says. Disposal (issue 12) and inventory (issue 13) ask records before
    they strike a record off (records.selectors.is_held,
    records.services.holds.refuse_if_held). A hold is placed and released
    through records.services.holds, each with a reason; it is never
    deleted, so history shows who froze a record, when and why."""

    record = models.ForeignKey(Record, verbose_name=_("record"), on_delete=models.PROTECT, related_name="holds")
    reason = models.CharField(_("reason"), max_length=300)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("placed by"), on_delete=models.PROTECT, related_name="holds_placed"
    )
    placed_at = models.DateTimeField(_("placed at"), default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("released by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="holds_released",
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    release_reason = models.CharField(_("reason for release"), max_length=300, blank=True)

    objects = HoldQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hold")
        verbose_name_plural = _("holds")
        ordering = ["-placed_at", "-pk"]
        constraints = [
            # Released means both: when, and by whom.
            models.CheckConstraint(
                condition=models.Q(released_at__isnull=True, released_by__isnull=True)
                | models.Q(released_at__isnull=False, released_by__isnull=False),
                name="hold_released_at_and_by_together",
            ),
        ]

    def __str__(self):
        return f"{self.record} · {self.reason}"

    @property
    def is_active(self):
        return self.released_at is None

    def delete(self, *args, **kwargs):
        raise RecordDeletionRefused("Holds are never deleted; release them instead.")
