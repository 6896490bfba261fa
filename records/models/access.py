from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from records.models.record import Record


class AccessGrantQuerySet(models.QuerySet):
    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(starts_at__lte=at, ends_at__gt=at, revoked_at__isnull=True)


class AccessGrant(models.Model):
    """A person may see one record they could not otherwise see, until an end
    time (R-LEND-4, R-ACCESS). Lending creates grants when a request to view
    a confidential record is approved; a grant lapses by itself."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.PROTECT, related_name="access_grants"
    )
    record = models.ForeignKey(
        Record, verbose_name=_("record"), on_delete=models.PROTECT, related_name="access_grants"
    )
    starts_at = models.DateTimeField(_("from"), default=timezone.now)
    ends_at = models.DateTimeField(_("until"))
    reason = models.CharField(_("reason"), max_length=300)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.PROTECT,
        related_name="access_grants_given",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = AccessGrantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["user", "ends_at"], name="grant_user_ends")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="grant_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.user} → {self.record} ({self.ends_at:%Y-%m-%d %H:%M})"

    @property
    def is_active(self):
        now = timezone.now()
        return self.revoked_at is None and self.starts_at <= now < self.ends_at
