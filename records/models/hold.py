from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.limits import date_validators

from records.models.record import Record, RecordDeletionRefused


class HoldQuerySet(models.QuerySet):
    def delete(self):
        raise RecordDeletionRefused("Holds are never deleted; release them instead.")

    def active(self, today=None):
        """Holds that freeze their record today: not released, and not past
        their end date (a hold ending today still freezes today)."""
        today = today or timezone.localdate()
        return self.filter(models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=today), released_at__isnull=True)

    def past_end(self, today=None):
        """Holds past their end date and not yet released: they no longer
        freeze their record and wait to be released."""
        today = today or timezone.localdate()
        return self.filter(released_at__isnull=True, ends_on__lt=today)


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
    # A hold for a dispute or an audit may end by itself; past this day it
    # no longer freezes the record (HoldQuerySet.active).
    ends_on = models.DateField(_("ends on"), null=True, blank=True, validators=date_validators(_("ends on")))
    # What the hold was placed on, as the holds register shows it: a class
    # and year ("HT·2024"), a client or a contract (records.services.holds.holds_place).
    scope = models.CharField(_("scope"), max_length=200, blank=True)
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
    def is_released(self):
        return self.released_at is not None

    @property
    def is_active(self):
        """Freezes its record today: not released and not past its end date."""
        return not self.is_released and (self.ends_on is None or self.ends_on >= timezone.localdate())

    def delete(self, *args, **kwargs):
        raise RecordDeletionRefused("Holds are never deleted; release them instead.")
